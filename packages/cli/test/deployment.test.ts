// Where the container runs: docker run flags (and, below, Compose files and Kubernetes manifests) change
// what runs as PID 1 and how it stops. Each rule of Docker's is measured on the engine (docs/deployments.md).
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { audit, type Deployment } from "audit-image";
import { cli, reportErrors, requireBundle, tmpdir } from "./helpers.js";

beforeAll(() => requireBundle());

const run = (d: Partial<Deployment>): Deployment => ({ kind: "docker-run", file: "<command line>", ...d });
const at = <T>(value: T) => ({ value, line: null });

async function one(text: string, deployment?: Deployment, files: Record<string, string> = {}) {
  const dir = tmpdir({ Dockerfile: text, ...files });
  for (const f of Object.keys(files)) if (f.endsWith(".sh")) fs.chmodSync(path.join(dir, f), 0o755);
  const report = await audit({ path: path.join(dir, "Dockerfile") }, { config: false, cwd: dir, ...(deployment ? { deployment } : {}) });
  expect(reportErrors(report)).toEqual([]);
  return report.results[0]!;
}

const WRAPPER = 'FROM debian:12\nCOPY run.sh /run.sh\nENTRYPOINT ["/run.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n';
const RUN_SH = '#!/bin/sh\nset -e\necho start\n"$@"\n';

describe("docker run flags", () => {
  test("--entrypoint is one executable and drops the image's CMD (measured: Config.Cmd null)", async () => {
    const r = await one(WRAPPER, run({ entrypoint: at(["nginx"]) }), { "run.sh": RUN_SH });
    expect(r.command.argv).toEqual(["nginx"]);
    expect(r.command.cmd).toBeNull();
    expect(r.command.entrypoint?.inherited).toEqual({ from: "deployment", file: "<command line>", line: null });
    expect(r.deployment).toEqual({ kind: "docker-run", file: "<command line>" });
  });
  test("--entrypoint '' with a command: the command alone (measured: Path x, Args [y])", async () => {
    const r = await one(WRAPPER, run({ entrypoint: at([]), command: at(["nginx", "-g", "daemon off;"]) }), { "run.sh": RUN_SH });
    expect(r.command.argv).toEqual(["nginx", "-g", "daemon off;"]);
    expect(r.processTree?.argv).toEqual(["nginx", "-g", "daemon off;"]);
  });
  test("--entrypoint '' alone: no command (measured: \"No command specified\")", async () => {
    const r = await one(WRAPPER, run({ entrypoint: at([]) }), { "run.sh": RUN_SH });
    expect(r.command.argv).toBeNull();
    expect(r.lifecycle.state).toBe("fails");
  });
  test("the command after the image replaces CMD and keeps the ENTRYPOINT", async () => {
    const r = await one(WRAPPER, run({ command: at(["redis-server"]) }), { "run.sh": RUN_SH });
    expect(r.command.argv).toEqual(["/run.sh", "redis-server"]);
  });
  test("--init: docker-init -- argv as PID 1 (measured: docker top shows /sbin/docker-init -- …)", async () => {
    const r = await one(WRAPPER, run({ init: at(true) }), { "run.sh": RUN_SH });
    expect(r.command.argv).toEqual(["/sbin/docker-init", "--", "/run.sh", "nginx", "-g", "daemon off;"]);
    expect(r.processTree).toMatchObject({ pid: 1, program: "tini", role: "init", children: [{ pid: 2, role: "shell" }] });
    // The shell no longer is PID 1: shell-stays-pid1 does not hold; the shell dies of TERM and nginx is killed with tini.
    expect(r.findings.map((f) => f.ruleId)).not.toContain("shell-stays-pid1");
    expect(r.stop.outcome).toBe("abrupt");
    expect(r.deployment?.init).toBe(true);
  });
  test("--stop-signal over STOPSIGNAL, --user", async () => {
    const r = await one('FROM debian:12\nSTOPSIGNAL SIGINT\nCMD ["nginx", "-g", "daemon off;"]\n', run({ stopSignal: at("SIGQUIT"), user: at("www-data") }));
    expect(r.stopSignal).toBe("SIGQUIT");
    expect(r.stop.signal).toBe("SIGQUIT");
    expect(r.stop.outcome).toBe("graceful");
  });
  test("-t / -i: a bare shell waits on its stdin; an interactive one (tty) ignores TERM (measured: exit 137 with -t, with and without --init)", async () => {
    const plain = await one('FROM debian:12\nCMD ["bash"]\n');
    expect(plain.lifecycle.state).toBe("exits");
    const tty = await one('FROM debian:12\nCMD ["bash"]\n', run({ tty: at(true) }));
    expect(tty.lifecycle.state).toBe("runs");
    expect(tty.stop).toMatchObject({ outcome: "killed", exitCode: 137 });
    const ttyInit = await one('FROM debian:12\nCMD ["bash"]\n', run({ tty: at(true), init: at(true) }));
    expect(ttyInit.stop).toMatchObject({ outcome: "killed", exitCode: 137 });
    const open = await one('FROM debian:12\nCMD ["bash"]\n', run({ stdin: at(true) }));
    expect(open.lifecycle.state).toBe("runs");
    expect(open.stop.outcome).toBe("killed"); // PID 1 without a handler (measured: exit 137)
    const openInit = await one('FROM debian:12\nCMD ["bash"]\n', run({ stdin: at(true), init: at(true) }));
    expect(openInit.stop.outcome).toBe("graceful"); // a non-interactive shell dies of TERM as tini's child (measured: exit 143 at once)
  });
});

describe("docker run flags on the command line", () => {
  test("--init, --entrypoint, --stop-signal, -u, -t and the command after --", () => {
    const dir = tmpdir({ Dockerfile: WRAPPER, "run.sh": RUN_SH });
    fs.chmodSync(path.join(dir, "run.sh"), 0o755);
    const r = cli(["--format", "json", "--no-config", "--init", "--entrypoint", "nginx", "--stop-signal", "3", "-u", "1000", "Dockerfile", "--", "-g", "daemon off;"], { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(reportErrors(report)).toEqual([]);
    const res = report.results[0];
    expect(res.command.argv).toEqual(["/sbin/docker-init", "--", "nginx", "-g", "daemon off;"]);
    expect(res.stopSignal).toBe("SIGQUIT");
    expect(res.deployment).toEqual({ kind: "docker-run", file: "<command line>", init: true });
    const tty = cli(["--no-config", "--no-color", "-t", "--entrypoint", "bash", "Dockerfile"], { cwd: dir });
    expect(tty.stdout).toMatch(/docker run flags/);
    expect(tty.stdout).toMatch(/ENTRYPOINT \["bash"\] +exec form · docker run flag/);
    expect(cli(["--stop-signal", "NOPE", "Dockerfile"], { cwd: dir }).code).toBe(2);
  });
});
