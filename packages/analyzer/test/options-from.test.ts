// Options a program reads outside its command line (catalog `optionsFrom`; uWSGI's ini files and UWSGI_*
// variables, measured in ground-truth/programs.ns.test.ts): they choose the catalog's modes as command-line
// options do, the last value wins, and what cannot be read leaves the signals the modes differ on unknown.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";

const stop = (dockerfile: string, files: Record<string, string> = {}, script?: string) => {
  const ctx: Record<string, { content: string; mode: number }> = {};
  for (const [k, v] of Object.entries(files)) ctx[k] = { content: v, mode: 0o644 };
  if (script !== undefined) ctx["entrypoint.sh"] = { content: script, mode: 0o755 };
  const a = analyze(buildModel(dockerfile, { context: memoryFs(ctx) }));
  return { outcome: a.prediction.stop.outcome, notes: JSON.stringify(a.prediction.processTree), rules: a.findings.map((f) => f.ruleId) };
};
const DF = (cmd: string, extra = "") => `FROM python:3.12-slim\nCOPY app.ini /app/app.ini\n${extra}CMD ${cmd}\n`;
const ini = (body: string) => ({ "app.ini": `[uwsgi]\nmaster\nhttp-socket = :8000\n${body}` });

describe("uwsgi options from its ini file and environment", () => {
  test("die-on-term in the file its operand names: TERM stops it, and the note says where", () => {
    const r = stop(DF('["uwsgi", "/app/app.ini"]'), ini("die-on-term\n"));
    expect(r.outcome).toBe("graceful");
    expect(r.notes).toMatch(/reads die-on-term in \/app\/app\.ini:4/);
    expect(r.rules).not.toContain("stopsignal-mismatch");
  });
  test("--ini FILE and $UWSGI_INI name the file too", () => {
    expect(stop(DF('["uwsgi", "--ini", "/app/app.ini"]'), ini("die-on-term = true\n")).outcome).toBe("graceful");
    expect(stop(DF('["uwsgi"]', "ENV UWSGI_INI=/app/app.ini\n"), ini("die-on-term\n")).outcome).toBe("graceful");
  });
  test("without die-on-term, or with it turned off, TERM reloads it: SIGKILL after the grace period", () => {
    expect(stop(DF('["uwsgi", "/app/app.ini"]'), ini("")).outcome).toBe("killed");
    expect(stop(DF('["uwsgi", "/app/app.ini"]'), ini("die-on-term = off\n")).outcome).toBe("killed");
    // the file, read after the flag, turns it off (measured: uwsgi-file-after-flag)
    expect(stop(DF('["uwsgi", "--die-on-term", "/app/app.ini"]'), ini("die-on-term = false\n")).outcome).toBe("killed");
  });
  test("UWSGI_DIE_ON_TERM in the environment, from ENV or exported by the entrypoint", () => {
    expect(stop(DF('["uwsgi", "/app/app.ini"]', "ENV UWSGI_DIE_ON_TERM=1\n"), ini("")).outcome).toBe("graceful");
    const script = "#!/bin/sh\nexport UWSGI_DIE_ON_TERM=true\nexec \"$@\"\n";
    const df = 'FROM python:3.12-slim\nCOPY app.ini /app/app.ini\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["uwsgi", "/app/app.ini"]\n';
    expect(stop(df, ini(""), script).outcome).toBe("graceful");
  });
  test("a file that cannot be read, or die-on-term under a run-time condition: unknown, never the default", () => {
    const missing = stop('FROM python:3.12-slim\nCMD ["uwsgi", "/app/app.ini"]\n');
    expect(missing.outcome).toBe("unknown");
    expect(missing.notes).toMatch(/depends on options it reads outside its command line/);
    expect(stop(DF('["uwsgi", "/app/app.ini"]'), ini("if-env = PROD\ndie-on-term\nendif =\n")).outcome).toBe("unknown");
    // a condition around a setting no mode depends on changes nothing
    expect(stop(DF('["uwsgi", "/app/app.ini"]'), ini("die-on-term\nif-env = THREADS\nthreads = 4\nendif =\n")).outcome).toBe("graceful");
  });
  test("only the section uWSGI reads counts", () => {
    expect(stop(DF('["uwsgi", "/app/app.ini"]'), { "app.ini": "[other]\ndie-on-term\n[uwsgi]\nmaster\n" }).outcome).toBe("killed");
    expect(stop(DF('["uwsgi", "/app/app.ini:other"]'), { "app.ini": "[other]\ndie-on-term\n[uwsgi]\nmaster\n" }).outcome).toBe("graceful");
  });
});
