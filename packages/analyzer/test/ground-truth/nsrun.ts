/**
 * nsrun: run an argv as PID 1 of a fresh PID namespace and watch what `docker stop` would do to it.
 *
 *   unshare --pid --fork --mount-proc --kill-child -- <argv…>
 *
 * `unshare --fork` forks once: the forked child mounts a fresh /proc and execs argv, so the child's
 * host pid IS the namespace's PID 1. The harness then, from the host:
 *   1. waits until PID 1 has exec'd argv (and, optionally, until the output matches `waitFor`),
 *      then `settleMs` more;
 *   2. snapshots the process tree (host /proc, descending /proc/<pid>/task/<tid>/children) and the
 *      signal dispositions of PID 1 (SigCgt/SigIgn/SigBlk of /proc/<pid>/status);
 *   3. sends `signal` to PID 1 with kill(2) from the HOST's PID namespace: exactly what dockerd →
 *      containerd → runc do for `docker stop`. The kernel (kernel/signal.c, sig_task_ignored) drops a
 *      signal to a namespace init whose handler is SIG_DFL unless it is SIGKILL/SIGSTOP sent from an
 *      ancestor namespace, so TERM to a handler-less PID 1 is dropped here just as under Docker
 *      (measured: see shells.ns.test.ts, "harness" block). `signalFrom: "namespace"` sends it from
 *      inside instead (nsenter + kill), for comparison;
 *   4. waits up to `graceMs` for PID 1 to exit; if it has not, snapshots the tree again and SIGKILLs
 *      PID 1 from the host, which makes the kernel kill everything in the namespace (= docker's
 *      SIGKILL after the stop timeout).
 * A hard timeout SIGKILLs everything whatever happens; the child is also started with --kill-child so it
 * dies with unshare, and every live namespace is SIGKILLed when this Node process exits.
 *
 * Exit status of PID 1: unshare (util-linux 2.38) exits with PID 1's exit code, or re-raises the signal
 * that killed PID 1 on itself. It cannot re-raise SIGKILL: it then prints
 * "unshare: sigprocmask unblock failed: Invalid argument" and exits 1. The harness recognises that line,
 * removes it from stderr and reports signal SIGKILL.
 */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants as fsConstants, existsSync, readFileSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { constants as osConstants, homedir } from "node:os";
import { join } from "node:path";

export interface NsRunOptions {
  /** argv to run as PID 1. argv[0] is looked up through env.PATH by unshare (execvp). */
  argv: string[];
  /** Full environment of PID 1. Default: a Docker-like {PATH, HOME=/root}. */
  env?: Record<string, string>;
  cwd?: string;
  /** Data written to PID 1's stdin (then closed). Default: stdin is /dev/null. */
  stdin?: string;
  /** Before settling, wait until stdout+stderr matches this (bounded by hardTimeoutMs). */
  waitFor?: string | RegExp;
  /** Time to let the tree settle after PID 1 has exec'd argv (and waitFor matched). Default 250 ms. */
  settleMs?: number;
  /** Signal to send to PID 1 ("TERM", "SIGUSR1", 15…). null: send nothing, just wait for exit. Default "TERM". */
  signal?: string | number | null;
  /** Where kill(2) is called from. "host" (default) = like docker stop. "namespace" = nsenter, kill 1 from inside. */
  signalFrom?: "host" | "namespace";
  /** How long to wait for PID 1 to exit after the signal before SIGKILL. Default 1500 ms. */
  graceMs?: number;
  /** Absolute bound on the whole run; everything is SIGKILLed at this point. Default settle+grace+5000 ms. */
  hardTimeoutMs?: number;
}

export interface NsProcess {
  /** pid inside the namespace (last field of NSpid). */
  pid: number;
  /** parent pid inside the namespace (0 for PID 1). */
  ppid: number;
  hostPid: number;
  /** State letter from /proc/<pid>/status: S, R, Z, T, D… */
  state: string;
  /** Name: from /proc/<pid>/status (comm, at most 15 chars). */
  comm: string;
  /** /proc/<pid>/cmdline split on NUL; empty for zombies. */
  argv: string[];
  /** Real uid (first field of Uid in /proc/<pid>/status). */
  uid: number;
  /** Target of /proc/<pid>/exe (the binary really running, e.g. /usr/bin/busybox for an applet); null for zombies. */
  exe: string | null;
}

export interface SignalDispositions {
  /** Signals with a handler installed (SigCgt), as names: "TERM", "INT", "SIG32"… */
  caught: string[];
  /** Signals set to SIG_IGN (SigIgn). */
  ignored: string[];
  /** Signals blocked by the main thread (SigBlk). */
  blocked: string[];
  /** Raw hex masks as in /proc/<pid>/status. */
  raw: { SigCgt: string; SigIgn: string; SigBlk: string };
}

export type StopOutcome =
  /** PID 1 exited before any signal was sent (e.g. the command finished, or a wrapper exited). */
  | "exited-before-signal"
  /** PID 1 exited within the grace period after the signal. */
  | "exited-after-signal"
  /** PID 1 was still running when the grace period ended and was SIGKILLed by the harness. */
  | "killed-after-grace"
  /** No signal was requested and PID 1 did not exit before the hard timeout. */
  | "hard-timeout";

export interface NsRunResult {
  argv: string[];
  /** PID 1 after settling (null if it had already exited). */
  pid1: NsProcess | null;
  /** Every process of the namespace after settling, PID 1 first, in depth-first order. */
  tree: NsProcess[];
  /** `tree` rendered as indented "pid ppid state argv" lines. */
  treeText: string;
  /** The tree just before the harness's SIGKILL (only when the grace period ran out). */
  treeAtGraceEnd: NsProcess[] | null;
  /** Dispositions of PID 1 after settling (null if it had already exited). */
  dispositions: SignalDispositions | null;
  /** Dispositions of PID 1 just before the harness's SIGKILL (only when the grace period ran out). */
  dispositionsAtGraceEnd: SignalDispositions | null;
  /** Processes in state Z after settling. */
  zombies: NsProcess[];
  /** The signal actually sent (canonical "SIGTERM"…), null if none was sent. */
  signalSent: string | null;
  signalFrom: "host" | "namespace";
  outcome: StopOutcome;
  /** true when PID 1 exited before the harness had to SIGKILL it. */
  exitedWithinGrace: boolean;
  /** How PID 1 ended: exit code, or the signal that killed it. */
  exit: { code: number | null; signal: string | null };
  /** ms from sending the signal to PID 1's exit (null when no signal was sent). */
  elapsedMs: number | null;
  /** ms from spawn to PID 1's exit. */
  totalMs: number;
  stdout: string;
  stderr: string;
}

const DEFAULT_ENV: Record<string, string> = {
  PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  HOME: "/root",
};

const SIGKILL_REEXEC_MSG = /^unshare: sigprocmask unblock failed: Invalid argument\n?/m;

/** An executable regular file (a name that merely exists, e.g. /dev/null bound over a binary, is not one). */
function isExecutable(p: string): boolean {
  try {
    accessSync(p, fsConstants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(":")) {
    const p = `${dir}/${cmd}`;
    if (dir && isExecutable(p)) return p;
  }
  for (const dir of ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]) if (isExecutable(`${dir}/${cmd}`)) return `${dir}/${cmd}`;
  return null;
}

/** Why nsrun cannot run here, or null when it can (root + util-linux unshare with --kill-child). NSRUN_DISABLE=1 forces a skip. */
export function nsrunUnavailable(): string | null {
  if (process.env.NSRUN_DISABLE) return "NSRUN_DISABLE is set";
  if (process.platform !== "linux") return "not Linux";
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return "not root (unshare --pid needs CAP_SYS_ADMIN)";
  const unshare = which("unshare");
  if (!unshare) return "unshare (util-linux) not found";
  const r = spawnSync(unshare, ["--pid", "--fork", "--mount-proc", "--kill-child", "--", "true"], { timeout: 5000 });
  if (r.status !== 0) return `unshare --pid --fork --mount-proc --kill-child failed: ${String(r.stderr).trim()}`;
  return null;
}

/** Absolute path of a program, or null. Tests use it to skip when a shell is missing. */
export function findProgram(cmd: string): string | null {
  return which(cmd);
}

// ---------------------------------------------------------------- signal names

const SIGNUM_TO_NAME = new Map<number, string>();
for (const [name, num] of Object.entries(osConstants.signals)) {
  // Prefer the canonical name when aliases exist (SIGIOT=SIGABRT, SIGPOLL=SIGIO).
  if (!SIGNUM_TO_NAME.has(num) || name === "SIGABRT" || name === "SIGIO") SIGNUM_TO_NAME.set(num, name);
}

/** "TERM" | "SIGTERM" | 15 → { name: "SIGTERM", num: 15 } */
export function parseSignal(sig: string | number): { name: string; num: number } {
  if (typeof sig === "number") return { name: SIGNUM_TO_NAME.get(sig) ?? `SIG${sig}`, num: sig };
  const s = sig.toUpperCase().replace(/^SIG/, "");
  if (/^\d+$/.test(s)) return parseSignal(Number(s));
  const name = `SIG${s}`;
  const num = (osConstants.signals as Record<string, number>)[name];
  if (num === undefined) throw new Error(`unknown signal ${sig}`);
  return { name, num };
}

/** Decode a /proc SigXxx hex mask: bit n-1 is signal n. Names without "SIG": "TERM", "INT", "SIG32". */
export function decodeSigMask(hex: string): string[] {
  let mask = BigInt(`0x${hex.trim() || "0"}`);
  const out: string[] = [];
  for (let n = 1; mask > 0n; n++, mask >>= 1n) {
    if (mask & 1n) {
      const name = n < 32 ? SIGNUM_TO_NAME.get(n) : undefined;
      out.push(name ? name.replace(/^SIG/, "") : `SIG${n}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- /proc reading

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function statusFields(hostPid: number): Record<string, string> | null {
  const txt = readText(`/proc/${hostPid}/status`);
  if (txt === null) return null;
  const out: Record<string, string> = {};
  for (const line of txt.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

function childrenOf(hostPid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${hostPid}/task`);
  } catch {
    return [];
  }
  const kids: number[] = [];
  for (const tid of tids) {
    const txt = readText(`/proc/${hostPid}/task/${tid}/children`);
    if (txt) for (const w of txt.trim().split(/\s+/)) if (w) kids.push(Number(w));
  }
  return kids.sort((a, b) => a - b);
}

function describe(hostPid: number, hostToNs: Map<number, number>): NsProcess | null {
  const st = statusFields(hostPid);
  if (!st) return null;
  const nspids = (st.NSpid ?? "").split(/\s+/).map(Number);
  const pid = nspids[nspids.length - 1] ?? hostPid;
  hostToNs.set(hostPid, pid);
  const hostPpid = Number(st.PPid ?? 0);
  const cmd = readText(`/proc/${hostPid}/cmdline`) ?? "";
  const argv = cmd.split("\0");
  if (argv[argv.length - 1] === "") argv.pop();
  let exe: string | null = null;
  try {
    exe = readlinkSync(`/proc/${hostPid}/exe`);
  } catch {
    exe = null;
  }
  return {
    pid,
    ppid: hostToNs.get(hostPpid) ?? 0,
    hostPid,
    state: (st.State ?? "?").charAt(0),
    comm: st.Name ?? "?",
    argv,
    uid: Number((st.Uid ?? "-1").split(/\s+/)[0]),
    exe,
  };
}

/** Snapshot the process tree rooted at a host pid (the namespace's PID 1), depth-first. */
export function snapshotTree(rootHostPid: number): NsProcess[] {
  const out: NsProcess[] = [];
  const hostToNs = new Map<number, number>();
  const walk = (hp: number, depth: number) => {
    if (depth > 64) return;
    const p = describe(hp, hostToNs);
    if (!p) return;
    if (hp === rootHostPid) p.ppid = 0;
    out.push(p);
    for (const c of childrenOf(hp)) walk(c, depth + 1);
  };
  walk(rootHostPid, 0);
  return out;
}

export function renderTree(tree: NsProcess[]): string {
  const depth = new Map<number, number>();
  return tree
    .map((p) => {
      const d = p.ppid === 0 ? 0 : (depth.get(p.ppid) ?? 0) + 1;
      depth.set(p.pid, d);
      const cmd = p.argv.length ? p.argv.join(" ") : `[${p.comm}]`;
      return `${"  ".repeat(d)}${p.pid} (ppid ${p.ppid}) ${p.state} ${cmd}`;
    })
    .join("\n");
}

function dispositionsOf(hostPid: number): SignalDispositions | null {
  const st = statusFields(hostPid);
  if (!st) return null;
  const raw = { SigCgt: st.SigCgt ?? "0", SigIgn: st.SigIgn ?? "0", SigBlk: st.SigBlk ?? "0" };
  return { caught: decodeSigMask(raw.SigCgt), ignored: decodeSigMask(raw.SigIgn), blocked: decodeSigMask(raw.SigBlk), raw };
}

// ---------------------------------------------------------------- the run

const live = new Set<number>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const hp of live) {
      try {
        process.kill(hp, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function killQuiet(pid: number, sig: NodeJS.Signals | number) {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

export async function nsrun(opts: NsRunOptions): Promise<NsRunResult> {
  const unshare = which("unshare");
  if (!unshare) throw new Error("nsrun: unshare not found");
  if (!opts.argv.length) throw new Error("nsrun: empty argv");
  const settleMs = opts.settleMs ?? 250;
  const graceMs = opts.graceMs ?? 1500;
  const hardTimeoutMs = opts.hardTimeoutMs ?? settleMs + graceMs + 5000;
  const signalFrom = opts.signalFrom ?? "host";
  const sig = opts.signal === null ? null : parseSignal(opts.signal ?? "TERM");
  installExitHook();

  const t0 = performance.now();
  const child = spawn(unshare, ["--pid", "--fork", "--mount-proc", "--kill-child", "--", ...opts.argv], {
    env: opts.env ?? DEFAULT_ENV,
    cwd: opts.cwd,
    stdio: [opts.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));

  let exitInfo: { code: number | null; signal: string | null; at: number } | null = null;
  const exited = new Promise<void>((resolve) => {
    child.on("exit", (code, signal) => {
      exitInfo = { code, signal, at: performance.now() };
      resolve();
    });
    child.on("error", (err) => {
      stderr += `nsrun: spawn error: ${err.message}\n`;
      exitInfo = { code: null, signal: null, at: performance.now() };
      resolve();
    });
  });
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const unsharePid = child.pid ?? -1;
  let initHostPid = -1;

  const killAll = () => {
    if (exitInfo !== null) return; // never signal a pid that may have been reused
    if (initHostPid > 0) killQuiet(initHostPid, "SIGKILL");
    if (unsharePid > 0) killQuiet(unsharePid, "SIGKILL");
  };
  const hard = setTimeout(killAll, hardTimeoutMs);
  const deadline = t0 + hardTimeoutMs;
  const isExited = () => exitInfo !== null;

  try {
    // 1. Find the forked child and wait until it has exec'd argv (its exe is no longer unshare's).
    const unshareExe = (() => {
      try {
        return readlinkSync(`/proc/${unsharePid}/exe`);
      } catch {
        return unshare;
      }
    })();
    while (!isExited() && performance.now() < deadline) {
      if (initHostPid < 0) initHostPid = childrenOf(unsharePid)[0] ?? -1;
      if (initHostPid > 0) {
        live.add(initHostPid);
        let exe: string | null = null;
        try {
          exe = readlinkSync(`/proc/${initHostPid}/exe`);
        } catch {
          exe = null;
        }
        if (exe !== null && exe !== unshareExe) break;
      }
      await sleep(5);
    }
    if (opts.waitFor !== undefined) {
      const re = typeof opts.waitFor === "string" ? null : opts.waitFor;
      const ok = () => (re ? re.test(stdout + stderr) : (stdout + stderr).includes(opts.waitFor as string));
      while (!isExited() && !ok() && performance.now() < deadline) await sleep(10);
    }
    // 2. Settle, snapshot.
    await Promise.race([sleep(settleMs), exited]);
    let tree: NsProcess[] = [];
    let dispositions: SignalDispositions | null = null;
    if (!isExited() && initHostPid > 0) {
      tree = snapshotTree(initHostPid);
      dispositions = dispositionsOf(initHostPid);
      // PID 1 may be a zombie waiting for unshare to reap it: then it has exited.
      if (tree[0]?.state === "Z") tree = [];
    }
    const pid1 = tree[0] ?? null;
    const zombies = tree.filter((p) => p.state === "Z");

    // 3. Signal.
    let signalSent: string | null = null;
    let tSig: number | null = null;
    let outcome: StopOutcome;
    let treeAtGraceEnd: NsProcess[] | null = null;
    let dispositionsAtGraceEnd: SignalDispositions | null = null;
    if (isExited() || pid1 === null) {
      outcome = "exited-before-signal";
    } else if (sig === null) {
      await Promise.race([exited, sleep(Math.max(0, deadline - performance.now()))]);
      outcome = isExited() ? "exited-before-signal" : "hard-timeout";
    } else {
      tSig = performance.now();
      if (signalFrom === "host") {
        killQuiet(initHostPid, sig.num);
      } else {
        const nsenter = which("nsenter") ?? "nsenter";
        spawnSync(nsenter, ["-t", String(initHostPid), "-p", "-m", "--", "kill", `-${sig.num}`, "1"], { timeout: 3000 });
      }
      signalSent = sig.name;
      // 4. Grace, then SIGKILL from the host (kills the whole namespace).
      await Promise.race([exited, sleep(graceMs)]);
      if (isExited()) {
        outcome = "exited-after-signal";
      } else {
        treeAtGraceEnd = snapshotTree(initHostPid);
        dispositionsAtGraceEnd = dispositionsOf(initHostPid);
        outcome = "killed-after-grace";
        killQuiet(initHostPid, "SIGKILL");
      }
    }
    await Promise.race([exited, sleep(Math.max(0, deadline - performance.now()))]);
    if (!isExited()) killAll();
    await exited;
    await Promise.race([closed, sleep(500)]);
    const ex = exitInfo as unknown as { code: number | null; signal: string | null; at: number };
    let exit = { code: ex.code, signal: ex.signal };
    if (ex.code === 1 && SIGKILL_REEXEC_MSG.test(stderr)) {
      stderr = stderr.replace(SIGKILL_REEXEC_MSG, "");
      exit = { code: null, signal: "SIGKILL" };
    }
    return {
      argv: opts.argv,
      pid1,
      tree,
      treeText: renderTree(tree),
      treeAtGraceEnd,
      dispositions,
      dispositionsAtGraceEnd,
      zombies,
      signalSent,
      signalFrom,
      outcome,
      exitedWithinGrace: outcome === "exited-after-signal",
      exit,
      elapsedMs: tSig === null ? null : Math.round(ex.at - tSig),
      totalMs: Math.round(ex.at - t0),
      stdout,
      stderr,
    };
  } finally {
    clearTimeout(hard);
    killAll();
    if (initHostPid > 0) live.delete(initHostPid);
  }
}

/** Run many measurements with bounded concurrency; results in input order. */
export async function nsrunAll(list: NsRunOptions[], concurrency = 8): Promise<NsRunResult[]> {
  const results: NsRunResult[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      results[i] = await nsrun(list[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));
  return results;
}

/** What a measurement observed, to append to a failed expectation's message. */
export function describeObserved(id: string, r: NsRunResult): string {
  return `\n--- observed (${id}) ---\ntree:\n${r.treeText}\ncaught=${r.dispositions?.caught} ignored=${r.dispositions?.ignored}\noutcome=${r.outcome} exit=${JSON.stringify(r.exit)} elapsed=${r.elapsedMs}\nstdout=${JSON.stringify(r.stdout)} stderr=${JSON.stringify(r.stderr)}`;
}

/** pnpm: on the PATH, else the copy npx keeps in its cache (~/.npm/_npx/HASH/node_modules/pnpm/bin/pnpm.cjs). */
export function pnpmCjs(): string | null {
  const onPath = findProgram("pnpm");
  if (onPath) return onPath;
  const base = join(homedir(), ".npm", "_npx");
  if (!existsSync(base)) return null;
  for (const d of readdirSync(base)) {
    const p = join(base, d, "node_modules", "pnpm", "bin", "pnpm.cjs");
    if (existsSync(p)) return p;
  }
  return null;
}
