// The engine, through the docker CLI: every call is a child process with a hard time limit, and
// DOCKER_HOST (and the rest of the environment) is passed on untouched.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";

export interface DockerResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Wall time of the call in seconds. */
  seconds: number;
  /** Output past maxBytes was dropped. */
  cut?: boolean;
}

/** The docker CLI children still running (a build, a stop…): stopped on SIGINT/SIGTERM/SIGHUP, never orphaned. */
const children = new Set<import("node:child_process").ChildProcess>();
/** The children that make a container (`docker create`, `docker run`): let finish, so that it can be removed by name. */
const makers = new WeakSet<import("node:child_process").ChildProcess>();

/** Stop every docker child still running (SIGINT, then SIGKILL after graceMs); resolves when all have exited. */
export function stopChildren(graceMs = 1000): Promise<void> {
  const list = [...children];
  if (list.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    let left = list.length;
    const done = () => {
      if (--left === 0) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (const c of list) {
      if (c.exitCode !== null || c.signalCode !== null) done();
      else if (makers.has(c)) {
        // killing the client of a `docker create` in flight would leave the daemon to make the container
        // after the cleanup looked for it (seen: two such containers of the --image copy were left)
        c.once("close", done);
      } else {
        c.once("close", done);
        // SIGINT first (the CLI's Ctrl-C). Measured: the 20.10 client building with BuildKit ignores SIGINT and
        // SIGTERM (the build goes on); its SIGKILL closes the session and the daemon cancels the build (the
        // RUN step's process gone, no image), so the grace is short
        c.kill("SIGINT");
      }
    }
    const alive = (c: import("node:child_process").ChildProcess) => c.exitCode === null && c.signalCode === null;
    const timer = setTimeout(() => {
      for (const c of list) if (alive(c) && !makers.has(c)) c.kill("SIGKILL");
      // a maker has its own time limit (LIMITS.quick): wait for it, and half a second for the killed ones
      const makersLeft = list.filter((c) => makers.has(c) && alive(c)).map((c) => new Promise((r) => c.once("close", r)));
      void Promise.all([...makersLeft, new Promise((r) => setTimeout(r, 500))]).then(() => resolve());
    }, graceMs);
  });
}
export function runningChildren(): number {
  return children.size;
}

export interface DockerOptions {
  env: NodeJS.ProcessEnv;
  /** The docker client for everything but builds (default: `docker` from PATH). */
  client?: string;
}

/** Default limits (ms) of the calls; every wait of verify is bounded by one of these. */
/** start: `docker run -d` of a big image: the vfs storage driver copies its whole root filesystem first (a
 * 300 MB real Debian base took more than 20 s on a loaded 2-CPU machine). */
export const LIMITS = { quick: 20_000, build: 300_000, stopExtra: 30_000, start: 120_000 };

export class Docker {
  readonly env: NodeJS.ProcessEnv;
  readonly client: string;
  constructor(opts: DockerOptions) {
    this.env = opts.env;
    this.client = opts.client ?? opts.env.AUDIT_IMAGE_DOCKER ?? "docker";
  }

  /** Where the engine is, for messages. */
  host(): string {
    return this.env.DOCKER_HOST || "unix:///var/run/docker.sock (default)";
  }

  run(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; client?: string; maxBytes?: number } = {}): Promise<DockerResult> {
    const timeoutMs = opts.timeoutMs ?? LIMITS.quick;
    const maxOut = opts.maxBytes ?? 4_000_000;
    const maxErr = opts.maxBytes ?? 1_000_000;
    let cut = false;
    const t0 = process.hrtime.bigint();
    return new Promise((resolve) => {
      let stdout = "";
      let stderr = "";
      let timedOut = false;
      let done = false;
      const child = spawn(opts.client ?? this.client, args, { env: opts.env ?? this.env, stdio: ["ignore", "pipe", "pipe"] });
      children.add(child);
      if (args[0] === "create" || args[0] === "run") makers.add(child);
      const finish = (code: number | null, extraErr = "") => {
        children.delete(child);
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ code, stdout, stderr: stderr + extraErr, timedOut, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cut });
      };
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
        finish(null, `\n(timed out after ${timeoutMs} ms)`);
      }, timeoutMs);
      child.stdout.on("data", (d: Buffer) => {
        if (stdout.length < maxOut) stdout += d.toString("utf8");
        else cut = true;
      });
      child.stderr.on("data", (d: Buffer) => {
        if (stderr.length < maxErr) stderr += d.toString("utf8");
        else cut = true;
      });
      child.on("error", (e) => finish(null, String(e.message)));
      child.on("close", (code) => finish(code));
    });
  }

  /** Synchronous, for the signal handlers' cleanup. */
  runSync(args: string[], timeoutMs = 15_000): number | null {
    const r = spawnSync(this.client, args, { env: this.env, stdio: "ignore", timeout: timeoutMs });
    return r.status;
  }

  /** The daemon's version, or null when no engine answers. */
  async serverVersion(): Promise<string | null> {
    const r = await this.run(["version", "--format", "{{.Server.Version}}"], { timeoutMs: 10_000 });
    const v = r.stdout.trim();
    return r.code === 0 && v ? v : null;
  }
}

/**
 * How images are built. The 20.10 daemon answers builder version 1, so the docker 28 CLI falls back to the
 * legacy builder, which cannot do `COPY --chmod`. Debian's docker.io client (/usr/bin/docker, 20.10) has
 * BuildKit built in: use it with DOCKER_BUILDKIT=1 when it exists. `--network none` because the private
 * daemon has no bridge (BuildKit's RUN needs none or host). AUDIT_IMAGE_BUILD_CLIENT overrides the choice.
 */
export function buildClient(env: NodeJS.ProcessEnv): { client: string; env: NodeJS.ProcessEnv; args: string[]; label: string } {
  const override = env.AUDIT_IMAGE_BUILD_CLIENT;
  const debian = "/usr/bin/docker";
  const client = override || (fs.existsSync(debian) ? debian : env.AUDIT_IMAGE_DOCKER || "docker");
  const buildkit = env.DOCKER_BUILDKIT ?? (client === debian || override ? "1" : undefined);
  const e = { ...env, ...(buildkit !== undefined ? { DOCKER_BUILDKIT: buildkit } : {}) };
  return { client, env: e, args: ["--network", "none"], label: `${client}${buildkit === "1" ? " (BuildKit)" : ""}` };
}
