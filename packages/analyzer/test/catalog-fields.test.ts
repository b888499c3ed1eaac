// Behaviour that once hung on a program's name now comes from a field of the program catalog: each test
// runs a case with the real catalog, then with the field changed, and sees the answer follow the field.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";
import { programByName, type ProgramEntry } from "../src/programs.js";
import type { ProcessNode } from "../src/types.js";

type Files = Record<string, string>;
const run = (dockerfile: string, files: Files = {}) =>
  analyze(buildModel(dockerfile, { context: memoryFs(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { content: v, mode: 0o755 }]))) }));

/** Runs f with a catalog entry changed, and puts it back. */
function withEntry<T>(name: string, change: (e: ProgramEntry) => void, f: () => T): T {
  const e = programByName(name)!;
  const saved = structuredClone(e);
  try {
    change(e);
    return f();
  } finally {
    for (const k of Object.keys(e)) delete (e as unknown as Record<string, unknown>)[k];
    Object.assign(e, saved);
  }
}

const allNotes = (n: ProcessNode | null): string[] => (n ? [n.note ?? "", ...n.children.flatMap(allNotes)] : []);

describe("catalog fields that replace program-name branches", () => {
  test("forwards.sends: util-linux su sends SIGTERM to its child whatever signal it got", () => {
    // nginx tells the two apart: TERM is its fast stop, QUIT its graceful one.
    const df = 'FROM nginx:1.27\nSTOPSIGNAL SIGQUIT\nCMD ["su", "nginx", "-c", "exec nginx -g \'daemon off;\'"]\n';
    expect(programByName("su")!.forwards!.sends).toBe("SIGTERM");
    const nginx = (a: ReturnType<typeof run>) => a.prediction.stop.deliveries.find((d) => d.argv0 === "nginx");
    expect(nginx(run(df))).toMatchObject({ via: "forwarded by su", receives: true, action: "fast-stop" });
    const passesOn = withEntry("su", (e) => delete e.forwards!.sends, () => run(df));
    expect(nginx(passesOn)).toMatchObject({ via: "forwarded by su", receives: true, action: "graceful-stop" });
  });

  test("programsFrom and config: supervisord's children come from the config file the config field says where to find", () => {
    const df = 'FROM debian:bookworm\nCOPY supervisord.conf /etc/supervisor/supervisord.conf\nCMD ["supervisord", "-n"]\n';
    const conf = "[supervisord]\nnodaemon=true\n[program:web]\ncommand=nginx -g 'daemon off;'\n";
    const kids = (a: ReturnType<typeof run>) => a.prediction.processTree?.children.map((c) => c.argv[0]);
    expect(kids(run(df, { "supervisord.conf": conf }))).toEqual(["nginx"]);
    const elsewhere = withEntry("supervisord", (e) => (e.config!.search = ["/etc/elsewhere.conf"]), () => run(df, { "supervisord.conf": conf }));
    expect(kids(elsewhere)).toEqual([]);
    const none = withEntry("supervisord", (e) => delete e.programsFrom, () => run(df, { "supervisord.conf": conf }));
    expect(kids(none)).toEqual([]);
    // autostart=false: started on request (supervisorctl start); shown, with a note, so the stop covers it
    const lazy = run(df, { "supervisord.conf": conf + "[program:db]\ncommand=redis-server\nautostart=false\n" });
    expect(kids(lazy)).toEqual(["nginx", "redis-server"]);
    expect(lazy.prediction.processTree?.children[1]?.note).toMatch(/autostart=false/);
    // an [include]d file that a RUN writes (printf with \n inside double quotes) is listed and read
    const dfRun = 'FROM debian:bookworm\nCOPY supervisord.conf /etc/supervisor/supervisord.conf\nRUN mkdir -p /etc/supervisor/conf.d && printf "[supervisord]\\nnodaemon=true\\n" > /etc/supervisor/conf.d/fg.conf\nCMD ["supervisord", "-c", "/etc/supervisor/supervisord.conf"]\n';
    const inc = run(dfRun, { "supervisord.conf": "[include]\nfiles = /etc/supervisor/conf.d/*.conf\n[program:web]\ncommand=nginx -g 'daemon off;'\n" });
    expect(inc.prediction.lifecycle.state).toBe("runs");
    expect(kids(inc)).toEqual(["nginx"]);
    // -c names the file, in both spellings the field lists
    const dfC = 'FROM debian:bookworm\nCOPY supervisord.conf /srv/s.conf\nCMD ["supervisord", "-n", "--configuration=/srv/s.conf"]\n';
    expect(kids(run(dfC, { "supervisord.conf": conf }))).toEqual(["nginx"]);
  });

  test("duration: sleep under transientBelowSeconds is a pause, not the steady state (at the end of a script)", () => {
    // At the end of a script the shell waits for sleep: a long sleep is its steady state, a short one ends it.
    const script = (n: string) => ({ "e.sh": `#!/bin/sh\necho ready\nsleep ${n}\n` });
    const df = 'FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n';
    const state = (a: ReturnType<typeof run>) => a.prediction.lifecycle.state;
    expect(state(run(df, script("2")))).toBe("exits");
    expect(state(run(df, script("10")))).toBe("runs");
    const strict = withEntry("sleep", (e) => (e.duration!.transientBelowSeconds = 1), () => run(df, script("2")));
    expect(state(strict)).toBe("runs");
  });

  test("wrapper.user: a base entrypoint that drops privileges says so, unless the command already switches user", () => {
    const viaGosu = (cmd: string) => run(`FROM postgres:16\nCMD ${cmd}\n`);
    const note = /drops privileges with gosu first/;
    expect(allNotes(viaGosu('["postgres"]').prediction.processTree).join("\n")).toMatch(note);
    expect(allNotes(viaGosu('["gosu", "postgres", "postgres"]').prediction.processTree).join("\n")).not.toMatch(note);
    const noUser = withEntry("gosu", (e) => delete e.wrapper!.user, () => viaGosu('["gosu", "postgres", "postgres"]'));
    expect(allNotes(noUser.prediction.processTree).join("\n")).toMatch(note);
  });
  test("modes: the arguments pick how a program behaves (php -S serves and stops on INT only, php -a exits, caddy start forks)", () => {
    const php = (cmd: string, extra = "") => run(`FROM php:8.4-cli\n${extra}CMD ${cmd}\n`);
    const outcome = (a: ReturnType<typeof run>) => a.prediction.stop.outcome;
    // php -S: only SIGINT has a handler, so Docker's TERM is dropped at PID 1; STOPSIGNAL SIGINT stops it
    expect(outcome(php('["php", "-S", "0.0.0.0:80", "-t", "/srv"]'))).toBe("killed");
    expect(outcome(php('["php", "-S", "0.0.0.0:80", "-t", "/srv"]', "STOPSIGNAL SIGINT\n"))).toBe("graceful");
    // php -a reads its commands from stdin: without -i it is at its end, php exits
    expect(php('["php", "-a"]').prediction.lifecycle.state).toBe("exits");
    // without the modes, -S and -a are a plain php script run
    const noModes = withEntry("php", (e) => delete e.modes, () => php('["php", "-a"]'));
    expect(noModes.prediction.lifecycle.state).toBe("runs");
    // artisan: a command that does its work and exits is a step, also when the script is named by its path;
    // a loop that runs the scheduler then waits in sleep, not in php
    expect(php('["php", "artisan", "migrate", "--force"]').prediction.lifecycle.state).toBe("exits");
    expect(php('["php", "/var/www/html/artisan", "schedule:run"]').prediction.lifecycle.state).toBe("exits");
    expect(php('["php", "artisan", "queue:work"]').prediction.lifecycle.state).toBe("runs");
    const loop = php('["bash", "-c", "while true; do php /app/artisan schedule:run; sleep 60; done"]').prediction.processTree;
    expect(loop?.argv[0]).toBe("bash");
    expect(loop?.children.map((c) => c.argv[0])).toEqual(["sleep"]);
    // caddy: run serves, start forks into the background and exits, no subcommand prints help
    const caddy = (cmd: string) => run(`FROM alpine:3.20\nCMD ${cmd}\n`);
    expect(caddy('["caddy", "run", "--config", "/etc/caddy/Caddyfile"]').prediction.stop.outcome).toBe("graceful");
    expect(caddy('["caddy", "start"]').prediction.lifecycle.state).toBe("exits");
    expect(caddy('["caddy"]').prediction.lifecycle.state).toBe("exits");
    // uwsgi: TERM is a reload unless --die-on-term
    const uwsgi = (flags: string) => run(`FROM python:3.12-slim\nCMD ["uwsgi", "--master"${flags}]\n`).prediction.stop.outcome;
    expect(uwsgi("")).toBe("killed");
    expect(uwsgi(', "--die-on-term"')).toBe("graceful");
  });
  test("go-binary: a binary of unknown name that go build (or any RUN of a golang stage) made in an earlier stage is a Go program; other RUN outputs stay unknown", () => {
    const df = (run: string) =>
      `FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN ${run}\n\nFROM alpine:3.20\nCOPY --from=build /out/server /usr/local/bin/server\nCMD ["server"]\n`;
    const files = { "go.mod": "module x\n", "main.go": "package main\n" };
    const go = run(df("CGO_ENABLED=0 go build -o /out/server ."), files);
    expect(go.prediction.processTree?.program).toBe("go-binary");
    expect(go.prediction.stop.outcome).toBe("graceful");
    // what any RUN of the golang stage made is a Go program by its stage; in a stage on another image it stays unknown
    const made = run(df("make && cp build/server /out/server"), files);
    expect(made.prediction.processTree?.program).toBe("go-binary");
    const other = run(df("make && cp build/server /out/server").replace("FROM golang:1.22", "FROM debian:12"), files);
    expect(other.prediction.processTree?.program ?? null).toBeNull();
    expect(other.prediction.stop.outcome).toBe("unknown");
    // the entry decides: without it the Go binary is unknown too
    const removed = withEntry("go-binary", (e) => (e.signals = {}), () => run(df("go build -o /out/server ."), files));
    expect(removed.prediction.stop.outcome).toBe("killed");
  });
});
