// An "other" reaction that ends the program in every version (signalDetails.stops) is a stop; what the stop
// depends on (signalDetails.depends) is said in the outcome's reason. A stop that takes a set time (stopTakes:
// squid's shutdown_lifetime) stays unknown. Also: the catalog's binSh mode condition (doas by distribution),
// tools that end by themselves, and the init-script idiom (shell/commands.ts).
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze, programCatalog } from "../src/index.js";

const entry = (name: string) => programCatalog.programs.find((p) => p.name === name)!;
function run(dockerfile: string, files: Record<string, string> = {}) {
  const fs = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { content: v, mode: 0o755 }]));
  return analyze(buildModel(dockerfile, { context: memoryFs(fs) }));
}

describe("\"other\" with stops: a stop whatever the version", () => {
  test("every \"other\" + stops entry without stopTakes says what the stop depends on, or is postgres' QUIT", () => {
    for (const p of programCatalog.programs)
      for (const [sig, d] of Object.entries(p.signalDetails ?? {}))
        if (p.signals[sig] === "other" && d.stops && !p.stopTakes?.signals.includes(sig) && !(p.name === "postgres" && sig === "SIGQUIT"))
          expect(d.depends, `${p.name} ${sig}`).toBeTruthy();
  });
  test("pgbouncer as PID 1 on TERM: graceful, and the reason says what depends on the version", () => {
    const a = run('FROM debian:bookworm\nCMD ["pgbouncer", "/etc/pgbouncer/pgbouncer.ini"]\n');
    expect(a.prediction.stop.outcome).toBe("graceful");
    expect(a.prediction.stop.deliveries[0]!.action).toBe(entry("pgbouncer").signalDetails!.SIGTERM!.label);
    expect(a.prediction.stop.reason).toMatch(/from 1\.23 it waits until every client has disconnected/);
  });
  test("squid's TERM stops it only after shutdown_lifetime: still unknown", () => {
    const a = run('FROM debian:bookworm\nCMD ["squid", "-N"]\n');
    expect(a.prediction.stop.outcome).toBe("unknown");
  });
  test("consul agent: TERM ends it either way (leave_on_terminate), other subcommands are clients that exit", () => {
    expect(run('FROM alpine:3.20\nCMD ["consul", "agent", "-dev"]\n').prediction.stop.outcome).toBe("graceful");
    expect(run('FROM alpine:3.20\nCMD ["consul", "members"]\n').prediction.stop.outcome).toBe("not-running");
  });
});

describe("doas by the image's distribution (mode condition binSh)", () => {
  test("Alpine (BusyBox /bin/sh): doas execs the command", () => {
    const a = run('FROM alpine:3.20\nRUN apk add --no-cache doas redis\nCMD ["doas", "-u", "redis", "redis-server"]\n');
    expect(a.prediction.processTree?.argv[0]).toBe("redis-server");
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("Debian: doas stays PID 1 as the parent and passes TERM on", () => {
    const a = run('FROM debian:bookworm\nCMD ["doas", "-u", "redis", "redis-server"]\n');
    expect(a.prediction.processTree?.argv[0]).toBe("doas");
    expect(a.prediction.processTree?.children[0]?.argv[0]).toBe("redis-server");
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
});

describe("command-line tools as the ENTRYPOINT end by themselves", () => {
  for (const tool of ["shellcheck", "jq", "yq"])
    test(tool, () => {
      expect(entry(tool)).toMatchObject({ role: "tool", longRunning: false });
      expect(run(`FROM alpine:3.20\nENTRYPOINT ["${tool}"]\n`).prediction.stop.outcome).toBe("not-running");
    });
});

describe("an init script's start action leaves a daemon that the stop signal never reaches", () => {
  test("/etc/init.d/NAME start, then exec a service: abrupt", () => {
    const a = run('FROM debian:bookworm\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n', { "entrypoint.sh": "#!/bin/sh\n/etc/init.d/webmin start\nexec redis-server\n" });
    expect(a.prediction.processTree?.children.map((c) => c.argv)).toEqual([["webmin"]]);
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
  test("service NAME restart in a condition: the script goes on, the daemon is left", () => {
    const a = run("FROM debian:bookworm\nCMD service ssh restart && exec redis-server\n");
    expect(a.prediction.processTree?.argv[0]).toBe("redis-server");
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
  test("an init script's other actions (status, stop) leave nothing", () => {
    const a = run("FROM debian:bookworm\nCMD service ssh status; exec redis-server\n");
    expect(a.prediction.processTree?.children).toEqual([]);
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("/etc/init.d/cron is not the cron program", () => {
    const a = run("FROM debian:bookworm\nCMD /etc/init.d/cron start && exec redis-server\n");
    expect(a.prediction.processTree?.children[0]?.program).toBeNull();
  });
});

describe("a stop that waits out a set time (squid's shutdown_lifetime, measured in ground-truth/configs.ns)", () => {
  const df = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y squid\nCOPY squid.conf /etc/squid/squid.conf\nCMD ["squid", "-N"]\n';
  test("not set in the config it reads: the 30 s default, past docker stop's 10 s: killed, and grace-too-short says why", () => {
    const a = run(df, { "squid.conf": "http_port 3128\n" });
    expect(a.prediction.stop.outcome).toBe("killed");
    expect(a.prediction.stop.reason).toMatch(/only after about 32 s \(shutdown_lifetime not set in \/etc\/squid\/squid.conf/);
    expect(a.findings.map((f) => f.ruleId)).toContain("grace-too-short");
  });
  test("set to 3 seconds: it stops within the grace period: graceful, no finding", () => {
    const a = run(df, { "squid.conf": "http_port 3128\nshutdown_lifetime 3 seconds\n" });
    expect(a.prediction.stop.outcome).toBe("graceful");
    expect(a.findings.map((f) => f.ruleId)).not.toContain("grace-too-short");
  });
  test("a config it cannot read (an include that is not there): unknown", () => {
    const a = run('FROM debian:bookworm\nRUN apt-get update && apt-get install -y squid\nCMD ["squid", "-N", "-f", "/srv/squid.conf"]\n');
    expect(a.prediction.stop.outcome).toBe("unknown");
  });
});
