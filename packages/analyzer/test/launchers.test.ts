// Launchers as measured (ground-truth/run-scripts.ns.test.ts, servers.ns.test.ts) and documented: package-manager
// run-scripts (npm, yarn, pnpm, npx), Procfile runners (forego, foreman), and a program whose behaviour depends on
// the runtime its base image ships (dotnet). Each test runs the analyzer on a small image.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";
import { invocation } from "../src/exec/run-script.js";
import catalog from "../src/data/programs.json" with { type: "json" };
import type { ProcessNode } from "../src/types.js";
import type { RunScriptSpec } from "../src/programs.js";

type Files = Record<string, string>;
const run = (dockerfile: string, files: Files = {}) =>
  analyze(buildModel(dockerfile, { context: memoryFs(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { content: v, mode: 0o644 }]))) }));
const tree = (n: ProcessNode | null | undefined): unknown => (n ? [n.argv.join(" "), ...n.children.map(tree)] : null);
const spec = (name: string) => (catalog.programs as { name: string; runScript?: RunScriptSpec }[]).find((p) => p.name === name)!.runScript!;
const PKG = (scripts: Record<string, string>) => JSON.stringify({ name: "app", version: "1.0.0", scripts });
const SERVER = 'const s = require("http").createServer((q, r) => r.end("ok")).listen(8080);\nprocess.on("SIGTERM", () => s.close(() => process.exit(0)));\n';

describe("which script a package manager runs", () => {
  test("npm: start, run X, run-script X, extra words only after --; other subcommands are tools", () => {
    const npm = spec("npm");
    expect(invocation(npm, ["start"])).toEqual({ kind: "script", name: "start", extra: [] });
    expect(invocation(npm, ["start", "--", "--config=x"])).toEqual({ kind: "script", name: "start", extra: ["--config=x"] });
    expect(invocation(npm, ["--silent", "run", "prod"])).toEqual({ kind: "script", name: "prod", extra: [] });
    expect(invocation(npm, ["run-script", "dev", "--", "-p", "3000"])).toEqual({ kind: "script", name: "dev", extra: ["-p", "3000"] });
    expect(invocation(npm, ["install"])).toMatchObject({ kind: "tool" });
    expect(invocation(npm, ["--prefix", "/x", "start"])).toMatchObject({ kind: "unknown" });
    expect(invocation(npm, ["exec", "--", "x"])).toMatchObject({ kind: "unknown" });
    expect(invocation(npm, ["run", null])).toMatchObject({ kind: "unknown" });
  });
  test("yarn and pnpm: a first operand that is not one of their commands names a script; all later words are passed", () => {
    expect(invocation(spec("yarn"), ["dev", "--port", "3000"])).toEqual({ kind: "script", name: "dev", extra: ["--port", "3000"] });
    expect(invocation(spec("yarn"), ["install"])).toMatchObject({ kind: "tool" });
    expect(invocation(spec("yarn"), ["workspace", "web", "start"])).toMatchObject({ kind: "unknown" });
    expect(invocation(spec("pnpm"), ["--filter", "web", "run", "prod"])).toEqual({ kind: "script", name: "prod", extra: [], filter: "web" });
    expect(invocation(spec("pnpm"), ["-r", "start"])).toMatchObject({ kind: "unknown" });
  });
  test("npx runs its operands as the command", () => {
    expect(invocation(spec("npx"), ["--yes", "serve", "-s", "build"])).toEqual({ kind: "exec", words: ["serve", "-s", "build"] });
  });
});

describe("npm start: package.json's script as npm's child /bin/sh -c", () => {
  test("Debian (dash): dash stays as the app's parent, npm exits when dash dies of TERM: abrupt", () => {
    const a = run('FROM node:20-bookworm-slim\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n', { "package.json": PKG({ start: "node server.js" }), "server.js": SERVER });
    expect(tree(a.prediction.processTree)).toEqual(["npm start", ["/bin/sh -c node server.js", ["node server.js"]]]);
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
  test("Alpine (BusyBox): the app is npm's child and handles TERM: graceful", () => {
    const a = run('FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n', { "package.json": PKG({ start: "node server.js" }), "server.js": SERVER });
    expect(tree(a.prediction.processTree)).toEqual(["npm start", ["node server.js"]]);
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("no start script: npm runs node server.js when server.js exists, else it fails", () => {
    const a = run('FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n', { "package.json": PKG({}), "server.js": SERVER });
    expect(tree(a.prediction.processTree)).toEqual(["npm start", ["node server.js"]]);
    const b = run('FROM node:20-alpine\nWORKDIR /app\nCOPY package.json .\nCMD ["npm", "start"]\n', { "package.json": PKG({}) });
    expect(b.prediction.lifecycle.state).toBe("exits");
  });
  test("package.json not copied from the build context: what runs is unknown, and so is the stop", () => {
    const a = run('FROM node:20-alpine\nWORKDIR /app\nRUN git clone https://example.com/app.git .\nCMD ["npm", "start"]\n');
    expect(a.prediction.stop.outcome).toBe("unknown");
  });
  test("yarn 1 passes TERM to the app and exits at once: abrupt", () => {
    const a = run('FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["yarn", "start"]\n', { "package.json": PKG({ start: "node server.js" }), "server.js": SERVER });
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
  test("package.json's packageManager names another major (yarn@4, corepack): not the yarn measured, unknown", () => {
    const files = { "package.json": JSON.stringify({ name: "app", packageManager: "yarn@4.5.0", scripts: { start: "node server.js" } }), "server.js": SERVER };
    expect(run('FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["yarn", "start"]\n', files).prediction.stop.outcome).toBe("unknown");
  });
  test("scripts that run each other without end: cut short, and the stop is unknown, not graceful", () => {
    const a = run('FROM node:20-alpine\nWORKDIR /app\nCOPY package.json .\nCMD ["npm", "run", "a"]\n', { "package.json": PKG({ a: "npm run b", b: "npm run a" }) });
    expect(a.prediction.stop.outcome).toBe("unknown");
    expect(a.findings.some((f) => f.ruleId === "analysis-truncated")).toBe(true);
  });
  test("pnpm --filter NAME: the script of the workspace package named NAME, in its directory", () => {
    const a = run('FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["pnpm", "run", "prod"]\n', {
      "package.json": PKG({ prod: "pnpm --filter web run prod" }),
      "pnpm-workspace.yaml": "packages:\n  - web\n  - 'lib'\n",
      "lib/package.json": JSON.stringify({ name: "lib" }),
      "web/package.json": JSON.stringify({ name: "web", scripts: { prod: "cross-env NODE_ENV=production node server.js" } }),
      "web/server.js": SERVER,
    });
    expect(tree(a.prediction.processTree)).toEqual(["pnpm run prod", ["pnpm --filter web run prod", ["cross-env NODE_ENV=production node server.js", ["node server.js"]]]]);
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
});

describe("Procfile runners", () => {
  const PROCFILE = "web: nginx -g 'daemon off;'\nworker: redis-server\n";
  test("forego: each line runs as sh -c 'exec CMD'; QUIT (nginx's STOPSIGNAL) ends forego at once: abrupt", () => {
    const a = run('FROM nginx:1.27-alpine\nWORKDIR /app\nCOPY Procfile .\nCMD ["forego", "start", "-r"]\n', { Procfile: PROCFILE });
    expect(tree(a.prediction.processTree)).toEqual(["forego start -r", ["nginx -g daemon off;"], ["redis-server"]]);
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
  test("foreman: TERM to each of its processes (plain commands are exec'd by Ruby's spawn), waits for them: graceful", () => {
    const a = run('FROM ruby:3.3\nWORKDIR /app\nCOPY Procfile .\nCMD ["foreman", "start"]\n', { Procfile: "web: puma -p 3000\nworker: redis-server\n" });
    expect(tree(a.prediction.processTree)).toEqual(["foreman start", ["puma -p 3000"], ["redis-server"]]);
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("foreman: a command with shell syntax runs under sh -c; through dash its program never gets TERM: abrupt", () => {
    const a = run('FROM ruby:3.3\nWORKDIR /app\nCOPY Procfile .\nCMD ["foreman", "start"]\n', { Procfile: PROCFILE });
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
  test("a Procfile that cannot be read leaves its processes unknown", () => {
    const a = run('FROM ruby:3.3\nWORKDIR /app\nCMD ["foreman", "start"]\n');
    expect(a.prediction.stop.outcome).toBe("unknown");
  });
});

describe("dotnet: the runtime version its official base image ships", () => {
  const df = (tag: string) => `FROM mcr.microsoft.com/dotnet/runtime:${tag}\nWORKDIR /app\nCOPY app.dll .\nENTRYPOINT ["dotnet", "app.dll"]\n`;
  test("below .NET 10 the runtime's own SIGTERM handler ends the app: graceful", () => {
    expect(run(df("7.0"), { "app.dll": "x" }).prediction.stop.outcome).toBe("graceful");
    expect(run(df("8.0-alpine"), { "app.dll": "x" }).prediction.stop.outcome).toBe("graceful");
  });
  test(".NET 10, a tag without a version, or another image: the app decides, unknown", () => {
    expect(run(df("10.0"), { "app.dll": "x" }).prediction.stop.outcome).toBe("unknown");
    expect(run(df("latest"), { "app.dll": "x" }).prediction.stop.outcome).toBe("unknown");
    expect(run('FROM debian:12\nCOPY app.dll /\nENTRYPOINT ["dotnet", "/app.dll"]\n', { "app.dll": "x" }).prediction.stop.outcome).toBe("unknown");
  });
});

describe("a supervisor held by a program that does not stop (supervisord's stopwaitsecs, measured: mysqld_safe ignores TERM)", () => {
  const conf = (wait: string) => `[supervisord]\nnodaemon=true\n[program:db]\ncommand=/usr/bin/mysqld_safe\n${wait}[program:cache]\ncommand=redis-server\n`;
  const df = 'FROM debian:12\nRUN apt-get update && apt-get install -y supervisor mariadb-server redis-server\nCOPY supervisord.conf /etc/supervisord.conf\nCMD ["supervisord", "-c", "/etc/supervisord.conf"]\n';
  test("the default stopwaitsecs (10 s) is not below Docker's grace period: Docker's SIGKILL comes first", () => {
    const a = run(df, { "supervisord.conf": conf("") });
    expect(a.prediction.stop.outcome).toBe("killed");
  });
  test("stopwaitsecs=5: supervisord SIGKILLs mysqld_safe after 5 s and exits: abrupt", () => {
    const a = run(df, { "supervisord.conf": conf("stopwaitsecs=5\n") });
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
});

describe("a launcher script that runs its program as its child (Debian's apache2ctl)", () => {
  test("apache2ctl -D FOREGROUND: the script stays PID 1 with apache2 below it, drops TERM: killed", () => {
    const a = run('FROM ubuntu:22.04\nCMD ["apache2ctl", "-D", "FOREGROUND"]\n');
    expect(tree(a.prediction.processTree)).toEqual(["apache2ctl -D FOREGROUND", ["/usr/sbin/apache2 -D FOREGROUND"]]);
    expect(a.prediction.stop.outcome).toBe("killed");
  });
  test("under tini the TERM reaches the script, which dies of it; apache2 is killed by the kernel when the container ends", () => {
    const a = run('FROM debian:bookworm\nENTRYPOINT ["tini", "--"]\nCMD ["apache2ctl", "-DFOREGROUND"]\n');
    expect(tree(a.prediction.processTree)).toEqual(["tini -- apache2ctl -DFOREGROUND", ["apache2ctl -DFOREGROUND", ["/usr/sbin/apache2 -DFOREGROUND"]]]);
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
  test("apache2ctl start backgrounds apache2: not followed, unknown", () => {
    const a = run('FROM debian:bookworm\nCMD ["apache2ctl", "start"]\n');
    expect(a.prediction.stop.outcome).toBe("unknown");
  });
});
