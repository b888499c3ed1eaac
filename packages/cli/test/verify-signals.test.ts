// SIGTERM and SIGHUP to `audit-image verify` while it builds, runs, stops, and copies scripts out of an
// `--image`: it must leave no container,
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

type Phase = "building" | "running" | "stopping" | "inspecting";
function fixture(phase: Phase, mark: string): { dir: string; args: string[]; image?: string } {
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
  if (phase === "inspecting") {
    // --image: its entrypoint script is copied out with docker create + docker cp, then it runs and stops
    fs.writeFileSync(path.join(dir, "Dockerfile"), `FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["sleep", "${mark}"]\n`);
    fs.writeFileSync(path.join(dir, "e.sh"), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
    const tag = `audit-image-test-signals-${process.pid}:${Math.floor(Math.random() * 1e6)}`;
    const b = spawnSync("docker", ["build", "-q", "-t", tag, dir], { encoding: "utf8", timeout: 120_000, env: { ...process.env, DOCKER_BUILDKIT: "0" } });
    if (b.status !== 0) throw new Error(`docker build: ${b.stderr}`);
    return { dir, args: ["--stop-timeout", "60", "--image", tag], image: tag };
  }
  return { dir, args };
}

describe.skipIf(!enabled)("verify interrupted leaves nothing behind", () => {
  const cases: [Phase, "SIGTERM" | "SIGHUP"][] = [
    ["building", "SIGTERM"], ["building", "SIGHUP"], ["running", "SIGTERM"], ["running", "SIGHUP"],
    ["stopping", "SIGTERM"], ["stopping", "SIGHUP"], ["inspecting", "SIGTERM"], ["inspecting", "SIGHUP"],
  ];
  for (const [phase, sig] of cases) {
    {
      it(`${sig} while ${phase}`, async () => {
        const mark = `${600 + Math.floor(Math.random() * 300)}.${Math.floor(Math.random() * 1000)}`;
        const { dir, args, image } = fixture(phase, mark);
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ai-sig-tmp-"));
        const child = spawn(process.execPath, [BIN, "verify", ...args, ...(image ? [] : [dir])], { env: { ...process.env, TMPDIR: tmp }, stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        let sent = false;
        const exited = new Promise<number | null>((resolve) => child.on("close", (code, s) => resolve(code ?? (s ? -1 : null))));
        child.stderr.on("data", (d: Buffer) => {
          err += d.toString();
          const seen = phase === "building" ? /… building/.test(err) : phase === "running" ? /… running/.test(err) : phase === "inspecting" ? /… inspecting/.test(err) : /… stopping/.test(err);
          if (seen && !sent) {
            sent = true;
            // let the phase get going (the build's RUN starts, the container runs, docker stop waits);
            // --image: at once, while docker create / docker cp copy the script out
            setTimeout(() => child.kill(sig), phase === "building" ? 2500 : phase === "inspecting" ? 150 : 1500);
          }
        });
        const code = await exited;
        expect(sent, err).toBe(true);
        expect(code).toBe(sig === "SIGTERM" ? 143 : 129);
        expect(err).toMatch(/interrupted; removing the containers and images it created/);
        const pid = child.pid!;
        const prefix = `audit-image-verify-${pid}-`;
        const mine = (n: string) => n.startsWith("audit-image-verify") && n.includes(`-${pid}-`);
        const ps = docker(["ps", "-a", "--format", "{{.Names}}"]).stdout.split("\n").filter(mine);
        expect(ps, "containers left").toEqual([]);
        const images = docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]).stdout.split("\n").filter(mine);
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
        // and still none a moment later (a container whose creation was in flight at the signal)
        expect(docker(["ps", "-a", "--format", "{{.Names}}"]).stdout.split("\n").filter(mine), "containers left later").toEqual([]);
        if (image) {
          expect(docker(["image", "inspect", image]).status, "--image's own image is not verify's to remove").toBe(0);
          docker(["rmi", "-f", image]);
        }
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(tmp, { recursive: true, force: true });
      }, 120_000);
    }
  }
});
