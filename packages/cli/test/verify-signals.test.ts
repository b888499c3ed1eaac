// SIGTERM and SIGHUP to `audit-image verify` while it builds, runs and stops: it must leave no container,
// image, temporary directory, tracefs instance or docker child behind. Needs a Docker engine: runs when
// AUDIT_IMAGE_ENGINE_TESTS=1 and DOCKER_HOST answers (engine/tier.sh runs it so, after the tier).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN } from "./helpers.js";

const docker = (args: string[]) => spawnSync("docker", args, { encoding: "utf8", timeout: 30_000 });
const enabled = process.env.AUDIT_IMAGE_ENGINE_TESTS === "1" && docker(["version", "--format", "{{.Server.Version}}"]).status === 0;
const TRACEFS = ["/sys/kernel/tracing/instances", "/sys/kernel/debug/tracing/instances"].find((d) => fs.existsSync(d));

type Phase = "building" | "running" | "stopping";
function fixture(phase: Phase, mark: string): { dir: string; args: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-sig-"));
  const df =
    phase === "building"
      ? `FROM debian:bookworm\nRUN sleep ${mark}\nCMD ["sleep", "1000"]\n`
      : phase === "running"
        ? // the tree never settles: the argv of the child changes every round
          `FROM debian:bookworm\nCMD ["sh", "-c", "i=0; while :; do i=$((i+1)); sleep 0.$((i % 9 + 1)); done"]\n`
        : // sleep as PID 1 has no TERM handler: docker stop waits the whole grace period
          `FROM debian:bookworm\nCMD ["sleep", "${mark}"]\n`;
  fs.writeFileSync(path.join(dir, "Dockerfile"), df);
  const args = phase === "running" ? ["--settle", "60000"] : phase === "stopping" ? ["--stop-timeout", "60"] : [];
  return { dir, args };
}

describe.skipIf(!enabled)("verify interrupted leaves nothing behind", () => {
  for (const phase of ["building", "running", "stopping"] as Phase[]) {
    for (const sig of ["SIGTERM", "SIGHUP"] as const) {
      it(`${sig} while ${phase}`, async () => {
        const mark = `${600 + Math.floor(Math.random() * 300)}.${Math.floor(Math.random() * 1000)}`;
        const { dir, args } = fixture(phase, mark);
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ai-sig-tmp-"));
        const child = spawn(process.execPath, [BIN, "verify", ...args, dir], { env: { ...process.env, TMPDIR: tmp }, stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        let sent = false;
        const exited = new Promise<number | null>((resolve) => child.on("close", (code, s) => resolve(code ?? (s ? -1 : null))));
        child.stderr.on("data", (d: Buffer) => {
          err += d.toString();
          const seen = phase === "building" ? /… building/.test(err) : phase === "running" ? /… running/.test(err) : /… stopping/.test(err);
          if (seen && !sent) {
            sent = true;
            // let the phase get going (the build's RUN starts, the container runs, docker stop waits)
            setTimeout(() => child.kill(sig), phase === "building" ? 2500 : 1500);
          }
        });
        const code = await exited;
        expect(sent, err).toBe(true);
        expect(code).toBe(sig === "SIGTERM" ? 143 : 129);
        expect(err).toMatch(/interrupted; removing the containers and images it created/);
        const pid = child.pid!;
        const prefix = `audit-image-verify-${pid}-`;
        const ps = docker(["ps", "-a", "--format", "{{.Names}}"]).stdout.split("\n").filter((n) => n.startsWith(prefix));
        expect(ps, "containers left").toEqual([]);
        const images = docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]).stdout.split("\n").filter((n) => n.startsWith(prefix));
        expect(images, "images left").toEqual([]);
        expect(fs.readdirSync(tmp), "temporary directories left").toEqual([]);
        if (TRACEFS) expect(fs.readdirSync(TRACEFS).filter((n) => n.startsWith(prefix)), "tracefs instances left").toEqual([]);
        // no docker child (a build) is left running, and the build's RUN was stopped with it
        await new Promise((r) => setTimeout(r, 1500));
        const procs = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).map((p) => {
          try {
            return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ");
          } catch {
            return "";
          }
        });
        expect(procs.filter((c) => c.includes(prefix)), "docker children left").toEqual([]);
        if (phase !== "running") expect(procs.filter((c) => c.includes(`sleep ${mark}`)), "the build's or the container's process left").toEqual([]);
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(tmp, { recursive: true, force: true });
      }, 120_000);
    }
  }
});
