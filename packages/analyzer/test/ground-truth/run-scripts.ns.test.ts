/**
 * Ground truth for package managers that run a package.json script (npm start, yarn start, pnpm start, npx CMD):
 * each runs as PID 1 of a fresh PID namespace (nsrun.ts) with the stop signal sent from the host, as docker stop
 * sends it. The script is `node server.js`, an app that takes 1.5 s to stop after TERM or INT. The script shell
 * is dash (Debian's /bin/sh, which stays the parent of the app), bash or BusyBox ash (which exec the lone
 * command in place: Alpine's /bin/sh), chosen with npm_config_script_shell, as `script-shell` in .npmrc would.
 * The catalog's npm, npx, yarn and pnpm entries cite the cases by id.
 *
 * Needs root and util-linux unshare; a missing program is a visible skip. node and npm (with npx) on PATH; yarn 1
 * from PATH, from GT_NPM_BIN (`npm install --prefix DIR yarn@1`, GT_NPM_BIN=DIR/node_modules/.bin), or Debian's
 * yarnpkg; pnpm from PATH or npx's cache (`npx --yes pnpm@10 --version`); cross-env from GT_NPM_BIN or PATH
 * (`npm install --prefix DIR yarn@1 cross-env@7`); npm-run-all 4 from GT_NPM_BIN (`npm-run-all@4` in the same install); npm 10 from GT_NPM10 (DIR/node_modules/npm/bin/npm-cli.js after
 * `npm install --prefix DIR npm@10`). BusyBox: apt-get install busybox-static.
 */
import { afterAll, expect, it } from "vitest";
import { existsSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import catalog from "../../src/data/programs.json" with { type: "json" };
import { findProgram, nsrunUnavailable, pnpmCjs, type NsRunOptions, type NsRunResult } from "./nsrun.js";
import { describeMeasured, scratchDir, type MeasuredSpec } from "./measured.js";

const unavailable = nsrunUnavailable();
if (unavailable) console.warn(`[ground-truth] run-scripts: namespace measurements SKIPPED: ${unavailable}`);
const { dir, file } = scratchDir("run-scripts", unavailable);
const THIS = "packages/analyzer/test/ground-truth/run-scripts.ns.test.ts";

const NODE = findProgram("node");
const NPM = findProgram("npm");
const NPX = findProgram("npx");
const BASH = findProgram("bash");
const DASH = findProgram("dash");
const BUSYBOX = findProgram("busybox");
const fromNpmBin = (name: string) => {
  const d = process.env.GT_NPM_BIN;
  return d && existsSync(join(d, name)) ? join(d, name) : null;
};
/** yarn 1: GT_NPM_BIN, PATH, else Debian's yarnpkg (which needs NODE_PATH with a node that is not Debian's). */
const YARN = fromNpmBin("yarn") ?? findProgram("yarn") ?? findProgram("yarnpkg");
const PNPM = pnpmCjs();
const CROSS_ENV = fromNpmBin("cross-env") ?? findProgram("cross-env");
/** npm-run-all 4 from GT_NPM_BIN (`npm install --prefix DIR npm-run-all@4`): linked as the app's node_modules. */
const NPM_RUN_ALL = fromNpmBin("npm-run-all");
/** Another npm major (the node images ship npm 10): GT_NPM10 names its npm-cli.js (`npm install --prefix DIR npm@10`). */
const NPM10 = process.env.GT_NPM10 && existsSync(process.env.GT_NPM10) ? process.env.GT_NPM10 : null;

const app = join(dir, "app");
file(
  "app/package.json",
  JSON.stringify({
    name: "gt", version: "1.0.0", license: "MIT",
    scripts: { start: "node server.js", chain: "echo pre; node server.js", boot: "npm-run-all pre serve", pre: "echo pre", serve: "node server.js" },
  }),
);
// npm-run-all is found as the scripts find it: node_modules/.bin of the app (its package's node_modules, linked)
if (NPM_RUN_ALL && !unavailable) symlinkSync(join(NPM_RUN_ALL, "..", ".."), join(app, "node_modules"));
file(
  "app/server.js",
  'console.log("server ready " + process.pid);\nfor (const s of ["SIGTERM", "SIGINT"]) process.on(s, () => { console.log("server got " + s); setTimeout(() => { console.log("server done"); process.exit(0); }, 1500); });\nsetInterval(() => {}, 1000);\n',
);
/** BusyBox ash runs as `sh` through a symlink (as /bin/sh on Alpine). */
const busyboxSh = (() => {
  if (!BUSYBOX || unavailable) return BUSYBOX ? join(dir, "bb", "sh") : null;
  const d = join(dir, "bb");
  file("bb/.keep", "");
  symlinkSync(BUSYBOX, join(d, "sh"));
  return join(d, "sh");
})();

const SHELL_OF = { dash: DASH, bash: BASH, busybox: busyboxSh } as const;
type ShellName = keyof typeof SHELL_OF;
const env = (shell: ShellName) => ({
  PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  HOME: join(dir, "home"),
  npm_config_script_shell: SHELL_OF[shell] ?? "/bin/sh",
  npm_config_update_notifier: "false",
  // Debian's yarnpkg keeps its modules where only Debian's node looks
  NODE_PATH: "/usr/share/nodejs:/usr/lib/nodejs",
});
const run = (argv: string[], shell: ShellName, signal: string, graceMs: number): NsRunOptions => ({
  argv, env: env(shell), cwd: app, waitFor: "server ready", settleMs: 800, signal, graceMs, hardTimeoutMs: 40000,
});
const out = (r: NsRunResult) => r.stdout + r.stderr;
const comms = (r: NsRunResult) => r.tree.map((q) => q.comm);
const exitsWith = (code: number) => (r: NsRunResult) => {
  expect(r.outcome).toBe("exited-after-signal");
  expect(r.exit.code).toBe(code);
};
/** The app got the signal and finished its 1.5 s shutdown before PID 1 exited. */
const appStopped = (r: NsRunResult) => {
  expect(out(r)).toMatch(/server got SIG(TERM|INT)/);
  expect(out(r)).toMatch(/server done/);
};
/** The app was killed with PID 1: it never finished its shutdown. */
const appCutShort = (r: NsRunResult) => expect(out(r)).not.toMatch(/server done/);

const specs: MeasuredSpec[] = [
  {
    id: "npm-start-dash-term", group: "npm", title: "npm start through dash (TERM): npm → sh → node; sh dies, npm exits 1, the app never gets TERM",
    needs: [NODE, NPM, DASH], opts: run(["npm", "start"], "dash", "TERM", 8000),
    check: (r) => {
      expect(comms(r).slice(1)).toEqual(["dash", "node"]);
      exitsWith(1)(r);
      expect(out(r)).not.toMatch(/server got/);
      appCutShort(r);
    },
  },
  {
    id: "npm-start-bash-term", group: "npm", title: "npm start through bash (TERM): bash execs node, npm passes TERM to it, waits, exits 0",
    needs: [NODE, NPM, BASH], opts: run(["npm", "start"], "bash", "TERM", 8000),
    check: (r) => {
      expect(r.tree.length).toBe(2);
      expect(r.tree[1]!.comm).toBe("node");
      exitsWith(0)(r);
      appStopped(r);
    },
  },
  {
    id: "npm-start-busybox-term", group: "npm", title: "npm start through BusyBox ash (TERM): ash execs node, npm passes TERM to it, waits, exits 0",
    needs: [NODE, NPM, busyboxSh], opts: run(["npm", "start"], "busybox", "TERM", 8000),
    check: (r) => {
      expect(r.tree.length).toBe(2);
      exitsWith(0)(r);
      appStopped(r);
    },
  },
  {
    id: "npm-run-chain-busybox-term", group: "npm", title: "npm run chain (`echo pre; node server.js`) through BusyBox ash (TERM): ash execs the last command, npm waits for it",
    needs: [NODE, NPM, busyboxSh], opts: run(["npm", "run", "chain"], "busybox", "TERM", 8000),
    check: (r) => {
      expect(r.tree.length).toBe(2);
      exitsWith(0)(r);
      appStopped(r);
    },
  },
  {
    id: "npm-start-dash-int", group: "npm", title: "npm start through dash (INT): npm passes INT to sh, which waits for node; nothing stops",
    needs: [NODE, NPM, DASH], opts: run(["npm", "start"], "dash", "INT", 3000),
    check: (r) => {
      expect(r.outcome).toBe("killed-after-grace");
      expect(r.dispositions?.caught).toEqual(expect.arrayContaining(["TERM", "INT"]));
      expect(r.dispositions?.caught).not.toContain("HUP");
      expect(r.dispositions?.caught).not.toContain("QUIT");
    },
  },
  {
    id: "npm10-start-dash-term", group: "npm", title: "npm 10 start through dash (TERM): as npm 11, exit 1, the app never gets TERM",
    needs: [NODE, NPM10, DASH], opts: run([NODE ?? "node", NPM10 ?? "npm-cli.js", "start"], "dash", "TERM", 8000),
    check: (r) => { expect(comms(r).slice(1)).toEqual(["dash", "node"]); exitsWith(1)(r); appCutShort(r); },
  },
  {
    id: "npm10-start-bash-term", group: "npm", title: "npm 10 start through bash (TERM): as npm 11, TERM to node, waits, exit 0",
    needs: [NODE, NPM10, BASH], opts: run([NODE ?? "node", NPM10 ?? "npm-cli.js", "start"], "bash", "TERM", 8000),
    check: (r) => { exitsWith(0)(r); appStopped(r); },
  },
  {
    id: "npx-dash-term", group: "npx", title: "npx node server.js through dash (TERM): npm exec → sh → node; npx exits 1, the app never gets TERM",
    needs: [NODE, NPX, DASH], opts: run(["npx", "node", "server.js"], "dash", "TERM", 8000),
    check: (r) => {
      expect(r.tree.map((q) => q.comm).slice(1)).toEqual(["dash", "node"]);
      exitsWith(1)(r);
      appCutShort(r);
    },
  },
  {
    id: "npx-bash-term", group: "npx", title: "npx node server.js through bash (TERM): npx passes TERM to node, waits, exits 0",
    needs: [NODE, NPX, BASH], opts: run(["npx", "node", "server.js"], "bash", "TERM", 8000),
    check: (r) => {
      exitsWith(0)(r);
      appStopped(r);
    },
  },
  {
    id: "yarn-start-dash-term", group: "yarn 1", title: "yarn start through dash (TERM): yarn exits 1 at once, the app is killed with it",
    needs: [NODE, YARN, DASH], opts: run([YARN ?? "yarn", "start"], "dash", "TERM", 8000),
    check: (r) => {
      expect(r.tree.map((q) => q.comm).slice(1)).toEqual(["dash", "node"]);
      exitsWith(1)(r);
      expect(r.elapsedMs!).toBeLessThan(1000);
      appCutShort(r);
    },
  },
  {
    id: "yarn-start-bash-term", group: "yarn 1", title: "yarn start through bash (TERM): yarn passes TERM to node and exits 1 at once, without waiting",
    needs: [NODE, YARN, BASH], opts: run([YARN ?? "yarn", "start"], "bash", "TERM", 8000),
    check: (r) => {
      exitsWith(1)(r);
      expect(out(r)).toMatch(/server got SIGTERM/);
      expect(r.elapsedMs!).toBeLessThan(1000);
      appCutShort(r);
    },
  },
  {
    id: "yarn-start-int", group: "yarn 1", title: "yarn start through bash (INT): nothing happens at PID 1",
    needs: [NODE, YARN, BASH], opts: run([YARN ?? "yarn", "start"], "bash", "INT", 3000),
    check: (r) => {
      expect(r.outcome).toBe("killed-after-grace");
      expect(out(r)).not.toMatch(/server got/);
    },
  },
  {
    id: "pnpm-start-bash-term", group: "pnpm", title: "pnpm start through bash (TERM): bash execs node, pnpm passes TERM, waits, exits 0",
    needs: [NODE, PNPM, BASH], opts: run([NODE ?? "node", PNPM ?? "pnpm", "start"], "bash", "TERM", 8000),
    check: (r) => {
      exitsWith(0)(r);
      appStopped(r);
    },
  },
  {
    id: "npm-run-all-pnpm-bash-term", group: "npm-run-all", title: "pnpm boot (`npm-run-all pre serve`) through bash (TERM): pnpm → npm-run-all → pnpm run serve → node; npm-run-all dies at once, pnpm exits 1, the app is cut short",
    needs: [NODE, PNPM, BASH, NPM_RUN_ALL], opts: run([NODE ?? "node", PNPM ?? "pnpm", "boot"], "bash", "TERM", 8000),
    check: (r) => {
      expect(r.tree.length).toBe(4);
      expect(r.tree[1]!.argv.some((a) => a.endsWith("npm-run-all"))).toBe(true);
      expect(r.tree[2]!.argv.slice(-2)).toEqual(["run", "serve"]);
      exitsWith(1)(r);
      expect(r.elapsedMs!).toBeLessThan(1000);
      appCutShort(r);
    },
  },
  {
    id: "npm-run-all-npm-dash-term", group: "npm-run-all", title: "npm run boot (`npm-run-all pre serve`) through dash (TERM): npm → sh → npm-run-all → npm run serve → sh → node; npm exits 1, the app is cut short",
    needs: [NODE, NPM, DASH, NPM_RUN_ALL], opts: run(["npm", "run", "boot"], "dash", "TERM", 8000),
    check: (r) => {
      expect(r.tree.length).toBe(6);
      exitsWith(1)(r);
      appCutShort(r);
    },
  },
  {
    id: "npm-run-all-pid1-term", group: "npm-run-all", title: "npm-run-all pre serve as PID 1 (TERM): dropped, as node's default handler at PID 1; SIGKILL after the grace period",
    needs: [NODE, NPM, BASH, NPM_RUN_ALL], opts: run([NODE ?? "node", NPM_RUN_ALL ?? "npm-run-all", "pre", "serve"], "bash", "TERM", 3000),
    check: (r) => {
      expect(r.outcome).toBe("killed-after-grace");
      // without $npm_execpath the task runs with npm (which sets its process title to `npm run serve`)
      expect(r.tree.length).toBe(3);
      expect([r.tree[1]!.comm, ...r.tree[1]!.argv].join(" ")).toMatch(/npm run serve/);
      appCutShort(r);
    },
  },
  {
    id: "cross-env-term", group: "cross-env", title: "cross-env NODE_ENV=production node server.js (TERM): cross-env passes TERM to node, waits, exits 0",
    needs: [NODE, CROSS_ENV], opts: run([CROSS_ENV ?? "cross-env", "NODE_ENV=production", "node", "server.js"], "dash", "TERM", 8000),
    check: (r) => {
      expect(r.tree.length).toBe(2);
      exitsWith(0)(r);
      appStopped(r);
    },
  },
];

afterAll(() => {
  if (!unavailable) rmSync(dir, { recursive: true, force: true });
});

describeMeasured("package managers running a package.json script as PID 1, stopped from the host", unavailable, specs, 2, () => {
  it("every case a catalog entry cites is one of these, and each group's entry cites this file", () => {
    const progs = catalog.programs as { name: string; provenance?: { kind: string; test?: string }[] }[];
    const ids = new Set(specs.map((s) => s.id));
    const cited = new Set<string>();
    for (const p of progs)
      for (const v of p.provenance ?? [])
        if (v.kind === "measured" && v.test?.includes(THIS)) {
          const part = v.test.slice(v.test.indexOf(THIS));
          for (const m of part.matchAll(/`([a-z0-9-]+)`/g)) {
            expect(ids.has(m[1]!), `${p.name} cites ${m[1]}`).toBe(true);
            cited.add(m[1]!);
          }
        }
    for (const name of ["npm", "npx", "yarn", "pnpm", "cross-env", "npm-run-all"]) expect(progs.find((p) => p.name === name)?.provenance?.some((v) => v.test?.includes(THIS))).toBe(true);
  });
});
