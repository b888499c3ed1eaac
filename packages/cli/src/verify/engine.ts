// Build, run, observe and stop a container on a real engine; shared by `audit-image verify` and the engine
// tier (engine/tier.mjs). Observation is read from the host: `docker inspect` gives the host pid of the
// container's PID 1, and /proc/*/status (PPid, NSpid, State) plus /proc/*/cmdline give the tree, so the
// image needs no `ps`. When the engine is not on this host, `docker top` is the fallback.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildClient, Docker, LIMITS, stopChildren, type DockerResult } from "./docker.js";
import type { Deployment } from "@audit-image/dockerfile";
import { MAX_DOCKERFILE_BYTES, readBounded } from "../read.js";
import { materialize, rewriteHeredocs } from "./heredoc.js";
import { buildTimeline, openTrace, type ProcInfo, type Timeline, type TraceSession } from "./tracer.js";

// ---------------------------------------------------------------- cleanup registry
const live = { containers: new Set<string>(), images: new Set<string>(), dirs: new Set<string>(), traces: new Set<TraceSession>() };
let handlersFor: Docker | null = null;

/** Remove everything this process created that is still registered (synchronously: safe in signal handlers). */
export function cleanupSync(docker: Docker): void {
  for (const t of live.traces) t.close();
  live.traces.clear();
  for (const c of live.containers) docker.runSync(["rm", "-f", c]);
  live.containers.clear();
  for (const i of live.images) docker.runSync(["rmi", "-f", i]);
  live.images.clear();
  for (const d of live.dirs) fs.rmSync(d, { recursive: true, force: true });
  live.dirs.clear();
}

/**
 * On SIGINT, SIGTERM or SIGHUP: stop the docker children still running (a build is cancelled, not left to
 * finish and tag its image), then remove the containers, images (unless --keep), tracefs instances and
 * temporary directories, and exit 130 / 143 / 129. A second signal while cleaning up is ignored.
 */
export function installCleanupHandlers(docker: Docker, onSignal?: (sig: string) => void): void {
  if (handlersFor) return;
  handlersFor = docker;
  let cleaning = false;
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  const h = (sig: NodeJS.Signals) => {
    if (cleaning) return;
    cleaning = true;
    onSignal?.(sig);
    void stopChildren().then(() => {
      cleanupSync(docker);
      process.exit(codes[sig] ?? 1);
    });
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, h);
}

/** A container this process made (docker create, docker run): removed on a signal or at the end. */
export function registerContainer(name: string): void {
  live.containers.add(name);
}
export function forgetContainer(name: string): void {
  live.containers.delete(name);
}

export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  live.dirs.add(d);
  return d;
}
export function releaseDir(d: string): void {
  fs.rmSync(d, { recursive: true, force: true });
  live.dirs.delete(d);
}
export function forgetImage(tag: string): void {
  live.images.delete(tag);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

// ---------------------------------------------------------------- build
export interface BuildRequest {
  dockerfile: string;
  context: string;
  target?: string;
  buildArgs?: Record<string, string>;
  tag: string;
  /** Keep the image (not registered for removal). */
  keep?: boolean;
  /** Build FROM these images instead of the references named (the engine tier's real bases). */
  fromMap?: Record<string, string>;
}
export interface BuildOutcome {
  ok: boolean;
  tag: string;
  seconds: number;
  error: string | null;
  /** How the Dockerfile was rewritten for this engine (heredocs, # syntax). */
  notes: string[];
  /** The rewritten Dockerfile's text, when there was a rewrite. */
  rewritten: string | null;
  builder: string;
}

/** Memory bound of the build's RUN steps, where the builder applies it (the legacy builder does; measured). */
export const BUILD_MEMORY = "1g";

export async function buildImage(docker: Docker, req: BuildRequest): Promise<BuildOutcome> {
  const bc = buildClient(docker.env);
  const read = readBounded(req.dockerfile);
  const size = (() => {
    try {
      return fs.statSync(req.dockerfile).size;
    } catch {
      return 0;
    }
  })();
  if (!read.ok || size > MAX_DOCKERFILE_BYTES) {
    const why = !read.ok ? read.message : `larger than ${MAX_DOCKERFILE_BYTES / 1048576} MB, the bound of the static analysis`;
    return { ok: false, tag: req.tag, seconds: 0, error: `${req.dockerfile}: ${why}; not built`, notes: [], rewritten: null, builder: bc.label };
  }
  let text = read.text;
  const notes: string[] = [];
  // fromMap: a FROM reference built from another image (the engine tier's real Debian base)
  if (req.fromMap && Object.keys(req.fromMap).length) {
    const mapped = mapFrom(text, req.fromMap);
    if (mapped !== text) {
      notes.push(`FROM ${Object.entries(req.fromMap).map(([a, b]) => `${a} built from ${b}`).join(", ")}`);
      text = mapped;
    }
  }
  const rw = rewriteHeredocs(text);
  let dockerfile = req.dockerfile;
  let context = req.context;
  let tmp: string | null = null;
  if (rw.changed || text !== read.text) {
    tmp = tempDir("audit-image-build-");
    const ctx = path.join(tmp, "context");
    dockerfile = materialize(req.context, rw.changed ? rw : { text, changed: true, notes: [], files: [] }, ctx, notes);
    context = ctx;
  }
  const buildkit = / \(BuildKit\)$/.test(bc.label);
  // the legacy builder applies --memory to each RUN step (a 400 MB allocation under --memory 128m was killed);
  // the engine's BuildKit accepts the flag and does not (the same allocation succeeded); no builder has a pids limit
  const limits = buildkit ? [] : ["--memory", BUILD_MEMORY, "--memory-swap", BUILD_MEMORY, "--force-rm"];
  notes.push(buildkit
    ? "the build's RUN steps are not bounded: this engine's BuildKit ignores --memory, and docker build has no pids limit"
    : `the build's RUN steps were bounded to --memory ${BUILD_MEMORY}; docker build has no pids limit, so the number of processes was not bounded`);
  const args = ["build", ...bc.args, ...limits, "-q", "-t", req.tag, "-f", dockerfile];
  if (req.target) args.push("--target", req.target);
  for (const [k, v] of Object.entries(req.buildArgs ?? {})) args.push("--build-arg", `${k}=${v}`);
  args.push(context);
  if (!req.keep) live.images.add(req.tag);
  const r = await docker.run(args, { timeoutMs: LIMITS.build, client: bc.client, env: bc.env });
  if (tmp) releaseDir(tmp);
  const ok = r.code === 0;
  if (!ok) live.images.delete(req.tag);
  if (!ok) await docker.run(["rmi", "-f", req.tag]); // a build stopped after tagging
  const err = ok ? null : (r.stderr.trim().split("\n").filter((l) => /error|failed|ERROR/i.test(l)).slice(-3).join("\n") || r.stderr.trim().slice(-600) || `exit ${r.code}`);
  return { ok, tag: req.tag, seconds: r.seconds, error: err, notes: [...rw.notes, ...notes], rewritten: rw.changed ? rw.text : null, builder: bc.label };
}

/** Replace the image of every FROM whose reference is a key of map (stage names and flags are kept). */
export function mapFrom(text: string, map: Record<string, string>): string {
  return text.replace(/^(\s*FROM\s+(?:--\S+\s+)*)(\S+)/gim, (all, pre: string, ref: string) => (map[ref] ? pre + map[ref] : all));
}

// ---------------------------------------------------------------- /proc
export interface Proc {
  hostPid: number;
  ppid: number;
  nsPid: number;
  state: string;
  name: string;
  argv: string[];
  /** Basename of /proc/<pid>/exe (the program really running, e.g. "standin"), null when unreadable. */
  exe: string | null;
}

export interface ObsNode {
  argv: string[];
  /** The pid inside the container. */
  pid: number;
  /** The pid on the host (0 when the tree came from `docker top`). */
  hostPid?: number;
  /** What the process exec'd (the kernel trace's exec event), when the trace saw it. */
  program?: string;
  /** Forked by its parent without an exec of its own (a service's worker), when the kernel trace saw it. */
  worker?: boolean;
  zombie: boolean;
  exe: string | null;
  children: ObsNode[];
}

function readProc(pid: number): Proc | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (k: string) => new RegExp(`^${k}:\\s*(.*)$`, "m").exec(status)?.[1] ?? "";
    const ns = field("NSpid").trim().split(/\s+/);
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`);
    const argv = cmd.length ? cmd.toString("utf8").replace(/\0$/, "").split("\0") : [];
    let exe: string | null = null;
    try {
      exe = path.basename(fs.readlinkSync(`/proc/${pid}/exe`));
    } catch {
      exe = null;
    }
    const state = field("State").trim().charAt(0);
    const name = field("Name").trim();
    return { hostPid: pid, ppid: Number(field("PPid")), nsPid: Number(ns[ns.length - 1] ?? 0), state, name, argv: argv.length ? argv : [`[${name}]`], exe };
  } catch {
    return null;
  }
}

/** The container's process tree from the host's /proc (null when PID 1 is gone or not on this host). */
export function hostTree(hostPid: number): ObsNode | null {
  const root = readProc(hostPid);
  if (!root) return null;
  const byParent = new Map<number, Proc[]>();
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    const p = readProc(Number(e));
    if (!p) continue;
    const list = byParent.get(p.ppid) ?? [];
    list.push(p);
    byParent.set(p.ppid, list);
  }
  const build = (p: Proc, depth: number): ObsNode => ({
    argv: p.argv,
    pid: p.nsPid,
    hostPid: p.hostPid,
    zombie: p.state === "Z",
    exe: p.exe,
    children: depth > 50 ? [] : (byParent.get(p.hostPid) ?? []).sort((a, b) => a.nsPid - b.nsPid).map((c) => build(c, depth + 1)),
  });
  return build(root, 0);
}

/** Fallback for a remote engine: `docker top` (argv words are split on blanks, so quoting is lost). */
async function topTree(docker: Docker, name: string): Promise<ObsNode | null> {
  const r = await docker.run(["top", name, "-eo", "pid,ppid,stat,args"]);
  if (r.code !== 0) return null;
  const rows = r.stdout.trim().split("\n").slice(1).map((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l);
    return m ? { pid: Number(m[1]), ppid: Number(m[2]), stat: m[3]!, args: m[4]! } : null;
  }).filter((x): x is NonNullable<typeof x> => !!x);
  const pids = new Set(rows.map((x) => x.pid));
  const root = rows.find((x) => !pids.has(x.ppid));
  if (!root) return null;
  const build = (x: (typeof rows)[number]): ObsNode => ({
    argv: x.args.replace(/ <defunct>$/, "").split(/\s+/),
    pid: x.pid,
    zombie: x.stat.startsWith("Z"),
    exe: null,
    children: rows.filter((c) => c.ppid === x.pid).map(build),
  });
  return build(root);
}

export function countZombies(n: ObsNode | null): number {
  return n ? (n.zombie ? 1 : 0) + n.children.reduce((a, c) => a + countZombies(c), 0) : 0;
}
export function withoutZombies(n: ObsNode): ObsNode {
  return { ...n, children: n.children.filter((c) => !c.zombie).map(withoutZombies) };
}
/** The tree's shape: argv nesting, children in a canonical order. */
/** A note stays readable: a tree of chown with thousands of paths is cut, with the length said. */
const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`);

export function shapeKey(n: { argv: string[]; children: { argv: string[]; children: unknown[] }[] } | null): string {
  if (!n) return "null";
  const kids = (n.children as { argv: string[]; children: { argv: string[]; children: unknown[] }[] }[]).map(shapeKey).sort();
  return JSON.stringify(n.argv) + (kids.length ? "{" + kids.join(",") + "}" : "");
}
function walk(n: ObsNode | null, f: (n: ObsNode) => void): void {
  if (!n) return;
  f(n);
  n.children.forEach((c) => walk(c, f));
}

// ---------------------------------------------------------------- run + observe + stop
export type ObservedLifecycle = "runs" | "exits" | "fails";
export type ObservedOutcome = "graceful" | "abrupt" | "killed" | "not-running" | "fails" | "unknown";

export interface Observation {
  image: string;
  lifecycle: ObservedLifecycle;
  pid1: string[] | null;
  /** The settled tree, zombies included (marked). */
  tree: ObsNode | null;
  zombies: number;
  stop: { signal: string; seconds: number; exitCode: number | null; killed: boolean; outcome: ObservedOutcome } | null;
  /** The container's exit code in the end (after the stop, or when it exited by itself). */
  exitCode: number | null;
  /** docker run's error, or the exec error the container printed. */
  runError: string | null;
  logs: string[];
  /** The log read was cut (only its last lines were kept). */
  logsCut: boolean;
  /** Stand-in processes of the settled tree and what they logged. */
  standins: { pid: number; name: string; gotSignal: string | null; stopped: boolean }[];
  settleMs: number;
  source: "proc" | "docker-top" | "none";
  /** "kernel" when the stop was traced in the kernel (tracefs), "off", or why there is no trace. */
  tracer: string;
  /** The kernel's per-process timeline of the run and the stop. */
  timeline: Timeline | null;
  notes: string[];
}

export interface RunOptions {
  stopTimeout: number;
  /** Upper bound of the wait for the tree to settle (ms). */
  settleMs: number;
  /** How long the tree shape must stay unchanged to count as settled (ms). */
  stableMs?: number;
  name?: string;
  /** Variables of the container's environment: `docker run -e K=V`. */
  env?: Record<string, string>;
  /** Trace the container's processes in the kernel when possible (default true). */
  trace?: boolean;
  /** Told when the stop begins. */
  onStop?: () => void;
  /** More `docker run` flags (--init, -t, --entrypoint …), before the image. */
  runArgs?: string[];
  /** The command after the image (replaces CMD). */
  command?: string[];
  /** The container `name` exists already (created by Compose): start it instead of `docker run`. */
  existing?: boolean;
}

/** docker run's flags for the run flags of the CLI (args.ts RunFlags), as docker run takes them. */
export function dockerRunArgs(f: { init?: boolean; stopSignal?: string; entrypoint?: string; user?: string; workdir?: string; tty?: boolean; interactive?: boolean }): string[] {
  return [
    ...(f.init ? ["--init"] : []),
    ...(f.tty ? ["-t"] : []),
    ...(f.interactive ? ["-i"] : []),
    ...(f.stopSignal !== undefined ? ["--stop-signal", f.stopSignal] : []),
    ...(f.entrypoint !== undefined ? ["--entrypoint", f.entrypoint] : []),
    ...(f.user !== undefined ? ["--user", f.user] : []),
    ...(f.workdir !== undefined ? ["--workdir", f.workdir] : []),
  ];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const EXEC_ERROR = /^(?:exec |.*exec: ")(.*?)(?:": |: )(no such file or directory|exec format error|permission denied|not a directory)/m;

interface StateInfo { running: boolean; pid: number; exitCode: number; error: string; status: string; oom: boolean; stopSignal: string }
async function inspectState(docker: Docker, name: string): Promise<StateInfo | null> {
  const r = await docker.run(["inspect", "-f", "{{json .State}}\t{{json .Config.StopSignal}}", name]);
  if (r.code !== 0) return null;
  const [st, sig] = r.stdout.trim().split("\t");
  try {
    const s = JSON.parse(st!);
    const stop = sig ? (JSON.parse(sig) as string) : "";
    return { running: !!s.Running, pid: s.Pid ?? 0, exitCode: s.ExitCode ?? 0, error: s.Error ?? "", status: s.Status ?? "", oom: !!s.OOMKilled, stopSignal: stop || "SIGTERM" };
  } catch {
    return null;
  }
}

/** At most this many of the container's last log lines are read (and this many bytes of each stream). */
export const LOG_LINES = 2000;
const LOG_BYTES = 1_000_000;
async function readLogs(docker: Docker, name: string, obs: Observation): Promise<void> {
  const r = await docker.run(["logs", "--tail", String(LOG_LINES + 1), name], { maxBytes: LOG_BYTES });
  let lines = (r.stdout + (r.stderr ? "\n" + r.stderr : "")).split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.trim() !== "");
  const cut = r.cut || lines.length > LOG_LINES;
  if (lines.length > LOG_LINES) lines = lines.slice(-LOG_LINES);
  obs.logs = lines;
  if (cut) {
    obs.logsCut = true;
    obs.notes.push(`the container log was cut: only its last ${LOG_LINES} lines (at most ${LOG_BYTES / 1_000_000} MB a stream) were read`);
  }
}

const STANDIN_LINE = /^standin ([^[\s]+)\[(\d+)\]: (.*)$/;

/** Walk a tree and keep what /proc showed of each process, for the kernel timeline. */
function remember(procs: Map<number, ProcInfo>, n: ObsNode | null): void {
  walk(n, (x) => {
    if (x.hostPid && !x.zombie) procs.set(x.hostPid, { nsPid: x.pid, argv: x.argv, exe: x.exe });
  });
}

export async function runAndObserve(docker: Docker, image: string, opts: RunOptions): Promise<Observation> {
  const name = opts.name ?? uniqueName("audit-image-verify");
  const stableMs = opts.stableMs ?? 1000;
  const notes: string[] = [];
  const obs: Observation = {
    image, lifecycle: "runs", pid1: null, tree: null, zombies: 0, stop: null, exitCode: null, runError: null,
    logs: [], logsCut: false, standins: [], settleMs: 0, source: "none", tracer: "off", timeline: null, notes,
  };
  live.containers.add(name);
  let trace: TraceSession | null = null;
  if (opts.trace === false) obs.tracer = "turned off (--no-trace)";
  else {
    const t = openTrace((x) => live.traces.add(x));
    if ("unavailable" in t) obs.tracer = t.unavailable;
    else {
      trace = t;
      obs.tracer = "kernel";
      if (t.mounted) notes.push(`tracefs was not mounted: verify mounted it at ${t.root} (it stays mounted)`);
    }
  }
  const procs = new Map<number, ProcInfo>();
  try {
    const envArgs = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    const run = opts.existing
      ? await docker.run(["start", name])
      : await docker.run(["run", "-d", "--name", name, "--network", "none", "--memory", "256m", "--pids-limit", "256", "--cpus", "1", ...envArgs, ...(opts.runArgs ?? []), image, ...(opts.command ?? [])], { timeoutMs: LIMITS.start });
    const t0 = Date.now();
    if (run.code !== 0) {
      const st = await inspectState(docker, name);
      obs.lifecycle = "fails";
      obs.runError = (st?.error || run.stderr.trim().split("\n")[0] || `docker run exited ${run.code}`).replace(/^docker: Error response from daemon: /, "");
      obs.exitCode = st ? st.exitCode : run.code;
      obs.stop = { signal: st?.stopSignal ?? "SIGTERM", seconds: 0, exitCode: obs.exitCode, killed: false, outcome: "fails" };
      if (st) await readLogs(docker, name, obs);
      return obs;
    }
    // Settle: poll the tree until its shape has not changed for stableMs, or until settleMs.
    let st = await inspectState(docker, name);
    if (trace && st?.pid) trace.follow([st.pid]);
    const pid1Host = st?.pid ?? 0;
    let last = "";
    let lastChange = Date.now();
    let tree: ObsNode | null = null;
    const proc = fs.existsSync("/proc/self/status");
    while (st?.running) {
      const t = st.pid > 0 && proc && fs.existsSync(`/proc/${st.pid}`) ? hostTree(st.pid) : null;
      if (t) {
        obs.source = "proc";
        tree = t;
        remember(procs, t);
        trace?.follow([...procs.keys()]);
      } else if (st.pid > 0 && !fs.existsSync(`/proc/${st.pid}`)) {
        // not on this host (or already gone): docker top
        const tt = await topTree(docker, name);
        if (tt) {
          obs.source = "docker-top";
          tree = tt;
        }
      }
      const key = shapeKey(tree ? withoutZombies(tree) : null);
      if (key !== last) {
        last = key;
        lastChange = Date.now();
      }
      const now = Date.now();
      if (now - t0 >= opts.settleMs) {
        notes.push(`the tree did not settle within ${opts.settleMs} ms; observed the last snapshot`);
        break;
      }
      if (tree && now - lastChange >= stableMs) break;
      await sleep(200);
      st = await inspectState(docker, name);
    }
    obs.settleMs = Date.now() - t0;
    if (obs.source === "docker-top") {
      notes.push("process tree read with `docker top` (the engine is not on this host): argv words are split on blanks");
      if (trace) {
        trace.close();
        live.traces.delete(trace);
        trace = null;
        obs.tracer = "the engine is not on this host: its processes are not in this kernel's trace";
      }
    }
    st = st ?? (await inspectState(docker, name));
    if (!st) throw new Error(`container ${name} disappeared`);
    if (!st.running) {
      // Ended by itself before the stop: an exec error (runc prints it and exits 1, or 126/127) or a normal exit.
      await readLogs(docker, name, obs);
      const execErr = EXEC_ERROR.exec(obs.logs.join("\n"));
      const failed = !!st.error || ((st.exitCode === 126 || st.exitCode === 127 || st.exitCode === 1) && !!execErr && obs.logs.length <= 3);
      obs.lifecycle = failed ? "fails" : "exits";
      obs.runError = failed ? st.error || execErr![0] : null;
      obs.exitCode = st.exitCode;
      obs.stop = { signal: st.stopSignal, seconds: 0, exitCode: st.exitCode, killed: false, outcome: failed ? "fails" : "not-running" };
      if (tree) notes.push(`saw ${clip(shapeKey(tree), 400)} before the container exited`);
      return obs;
    }
    obs.tree = tree;
    obs.pid1 = tree ? tree.argv : null;
    if (obs.source === "proc") confirmPrograms(tree);
    obs.zombies = countZombies(tree);
    const standinPids = new Map<number, string>();
    walk(tree, (n) => {
      if (!n.zombie && n.exe === "standin") standinPids.set(n.pid, n.argv[0] ? path.basename(n.argv[0]) : "standin");
    });
    // Stop with the image's stop signal (docker uses Config.StopSignal itself) and a short grace period.
    if (trace && pid1Host) {
      const last = hostTree(pid1Host);
      remember(procs, last);
      trace.follow([...procs.keys()]);
    }
    opts.onStop?.();
    trace?.mark("audit-image: docker stop");
    const stopping = docker.run(["stop", "-t", String(opts.stopTimeout), name], { timeoutMs: opts.stopTimeout * 1000 + LIMITS.stopExtra });
    // Without the kernel trace, the host's /proc is watched during the stop (every 20 ms): a process seen
    // exited (gone or a zombie) in a look where PID 1 was still running had an exit of its own
    const ownExit = new Set<number>();
    if (!trace && obs.source === "proc" && pid1Host) {
      let done = false;
      void stopping.then(() => (done = true));
      const watched: number[] = [];
      walk(tree, (n) => {
        if (n.hostPid && n.hostPid !== pid1Host && !n.zombie) watched.push(n.hostPid);
      });
      const exited = (h: number) => {
        try {
          return /^State:\s*[ZX]/m.test(fs.readFileSync(`/proc/${h}/status`, "utf8"));
        } catch {
          return true;
        }
      };
      while (!done && watched.length) {
        const gone = watched.filter((h) => !ownExit.has(h) && exited(h));
        if (exited(pid1Host)) break;
        for (const h of gone) ownExit.add(h);
        await sleep(20);
      }
    }
    const stop = await stopping;
    if (stop.code !== 0) notes.push(`docker stop: ${stop.stderr.trim() || `exit ${stop.code}`}`);
    const after = await inspectState(docker, name);
    await readLogs(docker, name, obs);
    const exitCode = after ? after.exitCode : null;
    obs.exitCode = exitCode;
    const stopSignal = after?.stopSignal ?? st.stopSignal ?? "SIGTERM";
    const killed = exitCode === 137 && !after?.oom && stop.seconds >= opts.stopTimeout - 0.25;
    const lines = obs.logs.map((l) => STANDIN_LINE.exec(l)).filter((m): m is RegExpExecArray => !!m);
    for (const [pid, nm] of standinPids) {
      const mine = lines.filter((m) => Number(m[2]) === pid);
      const got = mine.find((m) => /^got SIG/.test(m[3]!));
      obs.standins.push({ pid, name: nm, gotSignal: got ? got[3]!.replace(/^got /, "") : null, stopped: mine.some((m) => /^stopped\b/.test(m[3]!)) });
    }
    // the kernel's view first
    let timeline: Timeline | null = null;
    if (trace) {
      const f = trace.finish();
      live.traces.delete(trace);
      trace = null;
      timeline = buildTimeline(f.events, pid1Host, procs, stopSignal);
      timeline.notes.unshift(...f.notes);
      obs.timeline = timeline;
      annotate(tree, timeline);
    }
    let outcome: ObservedOutcome;
    if (timeline && timeline.outcome !== "unknown") {
      outcome = timeline.outcome === "not-running" ? "not-running" : timeline.outcome;
      // the stand-ins' logs are a second source: say when they tell another story
      const cut = obs.standins.filter((s) => s.gotSignal && !s.stopped);
      if (outcome === "graceful" && cut.length) notes.push(`the kernel trace shows a graceful stop, but the stand-in log of ${cut.map((s) => `${s.name} (pid ${s.pid})`).join(", ")} has no "stopped" line`);
    } else {
      if (timeline) notes.push(`the kernel trace could not classify the stop: ${timeline.reason}`);
      const others: ObsNode[] = [];
      walk(tree, (n) => {
        if (n !== tree && !n.zombie) others.push(n);
      });
      const unseen = others.filter((n) => !(n.exe === "standin" && obs.standins.some((s) => s.pid === n.pid && s.stopped)) && !(n.hostPid && ownExit.has(n.hostPid)));
      if (!timeline && ownExit.size) notes.push(`seen in /proc exiting before PID 1 did: ${others.filter((n) => n.hostPid && ownExit.has(n.hostPid)).map((n) => `${path.basename(n.argv[0] ?? "?")} (pid ${n.pid})`).join(", ")}`);
      if (killed) outcome = "killed";
      else if (exitCode === 137 && stop.seconds < opts.stopTimeout - 0.25) {
        outcome = "abrupt";
        notes.push("exit 137 before the grace period ended: something SIGKILLed PID 1");
      } else if (obs.standins.some((s) => !s.stopped)) outcome = "abrupt";
      else if (unseen.length) {
        // PID 1 exited; whether the others had exited before it, or were SIGKILLed with it, is not visible
        outcome = "unknown";
        notes.push(`${timeline ? "" : `no kernel trace (${obs.tracer}): `}PID 1 exited within the grace period, but ${unseen.map((n) => `${path.basename(n.argv[0] ?? "?")} (pid ${n.pid})`).join(", ")} ${unseen.length === 1 ? "was" : "were"} alive at the stop and no exit of ${unseen.length === 1 ? "its" : "their"} own was observed: graceful or abrupt cannot be told`);
      } else outcome = "graceful";
    }
    if (outcome === "abrupt" && !timeline) {
      const cut = obs.standins.filter((s) => !s.stopped);
      if (cut.length)
        notes.push(`PID 1 exited within the grace period, but ${cut.map((s) => `${s.name} (pid ${s.pid}) ${s.gotSignal ? `got ${s.gotSignal} and was killed before it finished` : "never got a signal"}`).join("; ")}`);
    }
    if (timeline && outcome !== "unknown") notes.push(`kernel trace: ${timeline.reason}`);
    obs.stop = { signal: stopSignal, seconds: Math.round(stop.seconds * 100) / 100, exitCode, killed, outcome };
    return obs;
  } finally {
    if (trace) {
      trace.close();
      live.traces.delete(trace);
    }
    await docker.run(["rm", "-f", name]);
    live.containers.delete(name);
  }
}

const PATH_DIRS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** Resolve a path inside the root of a container process (symbolic links followed inside that root), to a stat. */
function statInRoot(hostPid: number, p: string): fs.Stats | null {
  const root = `/proc/${hostPid}/root`;
  let cur = p;
  for (let hop = 0; hop < 16; hop++) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(root + cur);
    } catch {
      return null;
    }
    if (!st.isSymbolicLink()) return st;
    let target: string;
    try {
      target = fs.readlinkSync(root + cur);
    } catch {
      return null;
    }
    cur = target.startsWith("/") ? target : path.posix.join(path.posix.dirname(cur), target);
  }
  return null;
}

/**
 * Without the kernel's exec event, what a retitled process runs is confirmed through its files: the first word
 * of its title (`redis-server *:6379`, `nginx: master process …`), looked up in the container's usual PATH
 * directories inside its own root, names its program when that file is its /proc/PID/exe (same device and
 * inode; redis-server is a link to redis-check-rdb, so the exe's name alone does not say it).
 */
export function confirmPrograms(tree: ObsNode | null): void {
  walk(tree, (n) => {
    if (n.program || !n.hostPid || n.zombie) return;
    // only a title: an argv[0] with blanks in it (an exec'd argv[0] is a path, an interpreter's too)
    if (!/\s/.test(n.argv[0] ?? "")) return;
    const word = n.argv[0]!.split(/\s/)[0]!.replace(/:$/, "");
    if (!word) return;
    let exe: fs.Stats;
    try {
      exe = fs.statSync(`/proc/${n.hostPid}/exe`);
    } catch {
      return;
    }
    const candidates = word.startsWith("/") ? [word] : word.includes("/") ? [] : PATH_DIRS.map((d) => `${d}/${word}`);
    for (const c of candidates) {
      const st = statInRoot(n.hostPid, c);
      if (st && st.dev === exe.dev && st.ino === exe.ino) {
        n.program = c;
        return;
      }
    }
  });
}

/** The kernel's names for the settled tree's processes: what each exec'd, and which are a service's workers. */
function annotate(tree: ObsNode | null, tl: Timeline): void {
  const byHost = new Map(tl.processes.map((p) => [p.hostPid, p]));
  walk(tree, (n) => {
    const p = n.hostPid ? byHost.get(n.hostPid) : undefined;
    if (!p) return;
    if (p.program !== "?") n.program = p.program;
    if (p.workerOf !== null) n.worker = true;
  });
}

export async function removeImage(docker: Docker, tag: string): Promise<void> {
  await docker.run(["rmi", "-f", tag]);
  live.images.delete(tag);
}

/** A Compose binary: the docker plugin (v2), else docker-compose (v1); null when neither runs. */
export async function composeClient(docker: Docker): Promise<{ label: string; run: (a: string[], timeoutMs?: number) => Promise<DockerResult> } | null> {
  if ((await docker.run(["compose", "version"])).code === 0) return { label: "docker compose", run: (a, timeoutMs = 30_000) => docker.run(["compose", ...a], { timeoutMs }) };
  const v1 = (a: string[], timeoutMs = 30_000) => docker.run(a, { timeoutMs, client: "docker-compose", env: { ...docker.env, COMPOSE_DOCKER_CLI_BUILD: "0", DOCKER_BUILDKIT: "0" } });
  return (await v1(["version"])).code === 0 ? { label: "docker-compose", run: v1 } : null;
}

/**
 * Compose creates the service's container (`up --no-start --no-build --no-deps`, in a project of its own;
 * `image`: an image built beforehand, put in by an override file), renamed `<project>-verify`. `cleanup`
 * removes the project (containers, network) and the override. An error: the message.
 */
export async function createWithCompose(
  docker: Docker,
  req: { file: string; service: string; image?: string; project?: string },
): Promise<{ name: string; label: string; cleanup: () => Promise<void> } | { error: string }> {
  const compose = await composeClient(docker);
  if (!compose) return { error: "no Compose here: neither `docker compose` nor `docker-compose` runs" };
  const project = req.project ?? uniqueName("audit-image-verify").toLowerCase().replace(/[^a-z0-9]/g, "");
  const base = ["-p", project, "-f", req.file, "--project-directory", path.dirname(req.file)];
  let dir: string | null = null;
  if (req.image) {
    dir = tempDir("audit-image-compose-");
    fs.writeFileSync(path.join(dir, "image.yaml"), `services:\n  ${JSON.stringify(req.service)}:\n    image: ${JSON.stringify(req.image)}\n`);
    base.push("-f", path.join(dir, "image.yaml"));
  }
  const cleanup = async () => {
    await compose.run([...base, "down", "--volumes", "--remove-orphans"], 120_000);
    if (dir) releaseDir(dir);
  };
  const up = await compose.run([...base, "up", "--no-start", "--no-build", "--no-deps", req.service], 300_000);
  if (up.code !== 0) {
    await cleanup();
    return { error: `${compose.label} up --no-start failed:\n${(up.stderr || up.stdout).trim().split("\n").slice(-20).join("\n")}` };
  }
  const id = (await compose.run([...base, "ps", "-q", req.service])).stdout.trim().split("\n")[0];
  if (!id) {
    await cleanup();
    return { error: `${compose.label} created no container for ${req.service}` };
  }
  const name = `${project}-verify`;
  await docker.run(["rename", id, name]);
  return { name, label: compose.label, cleanup };
}

/**
 * A Kubernetes container as `docker run` flags, for the engine to reproduce what can be reproduced: command
 * (its first word as --entrypoint, the rest before args), args, env, lifecycle.stopSignal, runAsUser,
 * workingDir, tty, stdin. Not the kubelet's part (preStop, the grace period); a shared PID namespace is
 * `--pid container:<pause>` (startPause).
 */
export function deploymentRunArgs(d: Deployment): { runArgs: string[]; command?: string[] } {
  const runArgs: string[] = [];
  let command: string[] | undefined;
  if (d.entrypoint) {
    const [first, ...rest] = d.entrypoint.value;
    runArgs.push("--entrypoint", first ?? "");
    command = [...rest, ...(d.command?.value ?? [])];
  } else if (d.command) command = [...d.command.value];
  for (const [k, v] of Object.entries(d.env ?? {})) runArgs.push("-e", `${k}=${v.value}`);
  if (d.stopSignal) runArgs.push("--stop-signal", d.stopSignal.value);
  if (d.user) runArgs.push("--user", d.user.value);
  if (d.workingDir) runArgs.push("--workdir", d.workingDir.value);
  if (d.tty?.value) runArgs.push("-t");
  if (d.stdin?.value) runArgs.push("-i");
  return { runArgs, ...(command && command.length ? { command } : {}) };
}

/** A stand-in for the pod's pause container (PID 1 of the shared PID namespace): a shell that exits on TERM. */
export async function startPause(docker: Docker, name: string, image = "debian:12"): Promise<{ ok: boolean; error: string; cleanup: () => Promise<void> }> {
  live.containers.add(name);
  const r = await docker.run(["run", "-d", "--name", name, "--network", "none", image, "sh", "-c", 'trap "exit 0" TERM; while :; do sleep 1; done']);
  return {
    ok: r.code === 0,
    error: r.stderr.trim(),
    cleanup: async () => {
      await docker.run(["rm", "-f", name]);
      live.containers.delete(name);
    },
  };
}
