#!/usr/bin/env node
// engine/tool-image.mjs: the image of the tool itself (Dockerfile at the repository root), built and run on
// the private engine.
//
// The engine has no registry, so node:20-slim cannot be pulled. The base this test uses instead is made here,
// the way engine/base-images.sh makes its stand-ins: the engine's debian:bookworm stand-in (dash, no Node)
// with THIS HOST's node binary and the shared libraries ldd names for it copied in at the same paths, and a
// `node` user (uid 1000, as in the node images). It is tagged PREFIX-node:20-slim and given to the build as
// NODE_IMAGE; so the image under test is the root Dockerfile, on a stand-in for node:20-slim whose Node is
// the host's (its version is printed).
//
// Checks:
//   1. audit-image predicts the tool image to stop gracefully (the prediction the Dockerfile is made for);
//   2. `docker run --rm -v "$PWD:/src" -w /src IMAGE` on a fixture prints what the host CLI prints (JSON,
//      byte for byte), and exits as it does (1: the fixture's error);
//   3. docker stop of a running tool (waiting on standard input) ends it by its SIGTERM handler, exit 143,
//      well before the SIGKILL; and the control: node without a handler as PID 1 is SIGKILLed (137).
//
// Needs DOCKER_HOST (engine/dockerd.sh) with the base images (engine/base-images.sh) and a build of the
// repository. Images are named with AUDIT_IMAGE_SELFTEST_PREFIX (default audit-image-selftest); nothing
// else is removed. Exit 1 on a failed check.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const DIR = process.env.AUDIT_IMAGE_ENGINE_DIR ?? "/tmp/audit-image-engine";
process.env.DOCKER_HOST ??= `unix://${DIR}/docker.sock`;
const PREFIX = process.env.AUDIT_IMAGE_SELFTEST_PREFIX ?? "audit-image-selftest";
const BASE = `${PREFIX}-node:20-slim`;
const IMAGE = `${PREFIX}-tool:latest`;
const { buildClient } = await import(path.join(ROOT, "packages/cli/dist/verify/docker.js"));
const build = buildClient(process.env);

let failed = 0;
const check = (ok, msg, detail = "") => {
  console.log(`  ${ok ? "✓" : "✗"} ${msg}`);
  if (!ok) {
    failed++;
    if (detail) console.log(detail.replace(/^/gm, "    | "));
  }
};
const sh = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, timeout: 300000, ...opts });
  return { code: r.status, stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : "") };
};
const docker = (args, opts = {}) => sh("docker", args, opts);
const dockerBuild = (args) => sh(build.client, ["build", ...build.args, ...args], { env: build.env });

console.log(`== the tool's image on the engine (${build.label})`);
if (docker(["version", "--format", "{{.Server.Version}}"]).code !== 0) {
  console.log("tool image: skipped: no Docker engine answers at " + process.env.DOCKER_HOST);
  process.exit(0);
}
if (docker(["image", "inspect", "debian:bookworm"]).code !== 0) {
  console.log("tool image: the engine has no debian:bookworm stand-in: run engine/base-images.sh first");
  process.exit(1);
}

// 1. the prediction
const cli = path.join(ROOT, "packages/cli/bin/audit-image.js");
const predicted = JSON.parse(sh(process.execPath, [cli, "--format", "json", "--no-config", "Dockerfile"], { cwd: ROOT }).stdout);
const res = predicted.results[0];
check(res.stop.outcome === "graceful" && res.findings.length === 0, `audit-image predicts the tool image: PID 1 ${res.processTree?.argv.join(" ")}, stop ${res.stop.outcome}, ${res.findings.length} findings`);

// 2. the stand-in base: debian:bookworm + the host's node and its libraries
const ctx = fs.mkdtempSync(path.join(os.tmpdir(), "audit-image-node-base-"));
try {
  const node = fs.realpathSync(process.execPath);
  const libs = [...sh("ldd", [node]).stdout.matchAll(/(\/\S+)/g)].map((m) => m[1]);
  for (const f of [node, ...libs]) {
    const dest = path.join(ctx, "rootfs", f.replace(/^\/(bin|sbin|lib|lib64)\//, "/usr/$1/"));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(fs.realpathSync(f), dest);
    fs.chmodSync(dest, 0o755);
  }
  fs.mkdirSync(path.join(ctx, "rootfs/usr/local/bin"), { recursive: true });
  fs.symlinkSync(node.replace(/^\/bin\//, "/usr/bin/"), path.join(ctx, "rootfs/usr/local/bin/node"));
  fs.writeFileSync(
    path.join(ctx, "Dockerfile"),
    [
      "# made by engine/tool-image.mjs: a stand-in for node:20-slim (the host's node on the debian:bookworm stand-in)",
      "FROM debian:bookworm",
      "COPY rootfs/ /",
      "RUN echo 'node:x:1000:1000:node:/home/node:/bin/sh' >> /etc/passwd && echo 'node:x:1000:' >> /etc/group && mkdir -p /home/node && chown 1000:1000 /home/node",
      'CMD ["node"]',
      "",
    ].join("\n"),
  );
  const b = dockerBuild(["-q", "-t", BASE, ctx]);
  check(b.code === 0, `base ${BASE}: debian:bookworm stand-in + host node ${process.version} (${node}) + ${libs.length} libraries`, b.stderr);
} finally {
  fs.rmSync(ctx, { recursive: true, force: true });
}
if (failed) process.exit(1);

// 3. the tool's image, from the root Dockerfile
const t0 = Date.now();
const ib = dockerBuild(["-q", "-t", IMAGE, "--build-arg", `NODE_IMAGE=${BASE}`, ROOT]);
check(ib.code === 0, `docker build --build-arg NODE_IMAGE=${BASE} -t ${IMAGE} . (${((Date.now() - t0) / 1000).toFixed(1)} s)`, ib.stderr);
if (failed) process.exit(1);
const size = docker(["image", "inspect", IMAGE, "--format", "{{.Size}}"]).stdout.trim();
console.log(`    image size ${(Number(size) / 1048576).toFixed(1)} MiB (the base's node binary and libraries included)`);

// 4. run on a fixture, as documented: docker run --rm -v "$PWD:/src" -w /src IMAGE
const fx = fs.mkdtempSync(path.join(os.tmpdir(), "audit-image-tool-fixture-"));
try {
  for (const f of ["Dockerfile", "entrypoint.sh"]) fs.copyFileSync(path.join(ROOT, "test-images/seed-args-without-exec", f), path.join(fx, f));
  fs.chmodSync(fx, 0o755);
  for (const f of fs.readdirSync(fx)) fs.chmodSync(path.join(fx, f), 0o644);
  const inImage = docker(["run", "--rm", "--network", "none", "-v", `${fx}:/src`, "-w", "/src", IMAGE, "--format", "json"]);
  const onHost = sh(process.execPath, [cli, "--format", "json"], { cwd: fx });
  check(inImage.code === 1 && inImage.code === onHost.code, `docker run --rm -v "$PWD:/src" -w /src ${IMAGE} --format json: exit ${inImage.code} (host CLI: ${onHost.code})`, inImage.stderr);
  check(inImage.stdout === onHost.stdout && /"ruleId": "shell-stays-pid1"/.test(inImage.stdout), "the same JSON report as the host CLI (shell-stays-pid1 at entrypoint.sh:4)", inImage.stdout.slice(0, 600));
  const tty = docker(["run", "--rm", "--network", "none", "-v", `${fx}:/src`, "-w", "/src", IMAGE]);
  check(/shell-stays-pid1 +entrypoint\.sh:4/.test(tty.stdout), "without arguments: ./Dockerfile, the picture and the error", tty.stdout.slice(0, 600));
} finally {
  fs.rmSync(fx, { recursive: true, force: true });
}

// 5. docker stop of a running tool: waiting for a Dockerfile on standard input (-i, no data)
const name = `${PREFIX}-stop-${process.pid}`;
const started = docker(["run", "-d", "-i", "--network", "none", "--name", name, IMAGE, "-"]);
if (started.code === 0) {
  sh("sleep", ["1"]);
  const running = docker(["inspect", name, "--format", "{{.State.Running}}"]).stdout.trim();
  const s0 = Date.now();
  docker(["stop", "-t", "10", name]);
  const secs = (Date.now() - s0) / 1000;
  const code = docker(["inspect", name, "--format", "{{.State.ExitCode}}"]).stdout.trim();
  docker(["rm", "-f", name]);
  check(running === "true" && code === "143" && secs < 5, `docker stop while it waits on stdin: running ${running}, stopped in ${secs.toFixed(1)} s, exit ${code} (its SIGTERM handler; a SIGKILL would be 137 after 10 s)`);
} else check(false, "docker run -d -i", started.stderr);
// the control: the same node as PID 1 without a handler ignores SIGTERM (PID 1 gets no default action)
const bare = docker(["run", "-d", "-i", "--network", "none", "--name", `${name}-bare`, "--entrypoint", "node", IMAGE, "-e", "process.stdin.resume()"]);
if (bare.code === 0) {
  sh("sleep", ["1"]);
  const s0 = Date.now();
  docker(["stop", "-t", "2", `${name}-bare`]);
  const secs = (Date.now() - s0) / 1000;
  const code = docker(["inspect", `${name}-bare`, "--format", "{{.State.ExitCode}}"]).stdout.trim();
  docker(["rm", "-f", `${name}-bare`]);
  check(code === "137" && secs >= 2, `control: node without a handler as PID 1 ignores SIGTERM: SIGKILLed after ${secs.toFixed(1)} s (docker stop -t 2), exit ${code}`);
} else check(false, "docker run -d -i (control)", bare.stderr);

console.log(failed ? `tool image: ${failed} check(s) failed` : `tool image: built, runs as documented, and stops gracefully as predicted`);
process.exit(failed ? 1 : 0);
