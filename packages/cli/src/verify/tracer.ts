// The kernel's view of a container's stop: tracefs events (signal:signal_generate, signal:signal_deliver,
// sched:sched_process_fork/exec/exit, syscalls:sys_enter_exit_group) recorded in private tracefs instances
// while the container runs and stops, turned into a per-process timeline and classified with the
// prediction's definitions (graceful / killed / abrupt; packages/analyzer/src/simulate.ts predictStop).
//
// Two instances: "proc" follows the container's processes only (set_event_pid with event-fork, set to the
// host pid of PID 1 as soon as it is known; everything before that is recorded system-wide and filtered
// here), "sig" records signal_generate system-wide, for a signal sent from outside the container (docker
// stop's SIGTERM and SIGKILL come from the runtime, whose pid is not followed) is traced in the sender's
// context. Both use the "mono" clock, and a trace_marker line says when `docker stop` was called.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TraceEvent {
  t: number;
  tid: number;
  tgid: number | null;
  comm: string;
  type: string;
  f: Record<string, string>;
  /** Which tracefs instance recorded it: "proc" (the container's tasks) or "sig" (signals system-wide). */
  src?: string;
}

// "comm-tid (tgid) [cpu] flags time: event: fields"; a syscall event reads "sys_exit_group(error_code: 0)"
const LINE = /^\s*(.*)-(\d+)\s+\(\s*(\d+|-+)\)\s+\[\d+\]\s+\S+\s+(\d+\.\d+):\s+([a-z_]+)(?::\s?|(?=\())(.*)$/;
const LINE_NO_TGID = /^\s*(.*)-(\d+)\s+\[\d+\]\s+\S+\s+(\d+\.\d+):\s+([a-z_]+)(?::\s?|(?=\())(.*)$/;

/** Parse the text of a tracefs `trace` file (record-tgid on or off). Lines it cannot read are skipped. */
export function parseTrace(text: string): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    let comm: string, tid: number, tgid: number | null, t: number, type: string, rest: string;
    const m = LINE.exec(line);
    if (m) {
      comm = m[1]!.trim();
      tid = Number(m[2]);
      tgid = /^\d+$/.test(m[3]!) ? Number(m[3]) : null;
      t = Number(m[4]);
      type = m[5]!;
      rest = m[6]!;
    } else {
      const n = LINE_NO_TGID.exec(line);
      if (!n) continue;
      comm = n[1]!.trim();
      tid = Number(n[2]);
      tgid = null;
      t = Number(n[3]);
      type = n[4]!;
      rest = n[5]!;
    }
    const f: Record<string, string> = {};
    if (type === "sys_exit_group" || type === "sys_enter_exit_group") {
      const e = /error_code:\s*(0x[0-9a-f]+|-?\d+)/.exec(rest);
      if (e) f.error_code = String(Number(e[1]));
      type = "sys_exit_group";
    } else if (type === "tracing_mark_write") {
      f.text = rest.trim();
    } else {
      // key=value pairs; a value runs to the next " key=" (comm may hold blanks)
      const re = /(\w+)=(.*?)(?=\s+\w+=|$)/g;
      let kv: RegExpExecArray | null;
      while ((kv = re.exec(rest))) f[kv[1]!] = kv[2]!;
    }
    out.push({ t, tid, tgid, comm, type, f });
  }
  return out.sort((a, b) => a.t - b.t);
}

// ---------------------------------------------------------------- recording
export interface TraceSession {
  root: string;
  instances: string[];
  /** tracefs was not mounted and this session mounted it (it stays mounted). */
  mounted: boolean;
  /** Follow these host pids and their descendants from now on in the "proc" instance (adds to those followed). */
  follow(pids: number[]): void;
  /** A marker line in the trace (its time is the trace's clock). */
  mark(text: string): void;
  /** Stop recording and return the events and notes (events lost, …); removes the instances. */
  finish(): { events: TraceEvent[]; notes: string[] };
  /** Remove the instances (idempotent; safe in a signal handler). */
  close(): void;
}

const EVENTS_PROC = ["signal/signal_generate", "signal/signal_deliver", "sched/sched_process_fork", "sched/sched_process_exec", "sched/sched_process_exit", "syscalls/sys_enter_exit_group"];
const TRACE_READ_CAP = 64 * 1024 * 1024;

function findTracefs(): string | null {
  for (const d of ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"]) if (fs.existsSync(path.join(d, "events/signal/signal_generate")) && fs.existsSync(path.join(d, "instances"))) return d;
  return null;
}

/** Open a trace session, or say why there is none (not root, not Linux, no tracefs, an event missing). */
export function openTrace(register: (s: TraceSession) => void): TraceSession | { unavailable: string } {
  if (process.platform !== "linux") return { unavailable: "the kernel tracer needs Linux (tracefs)" };
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return { unavailable: "the kernel tracer needs root (tracefs)" };
  let root = findTracefs();
  let mounted = false;
  if (!root && fs.existsSync("/sys/kernel/tracing")) {
    spawnSync("mount", ["-t", "tracefs", "nodev", "/sys/kernel/tracing"], { stdio: "ignore", timeout: 10_000 });
    root = findTracefs();
    mounted = root !== null;
  }
  if (!root) return { unavailable: "no tracefs (neither /sys/kernel/tracing nor /sys/kernel/debug/tracing has signal events, and mounting tracefs failed)" };
  for (const e of EVENTS_PROC) if (!fs.existsSync(path.join(root, "events", e))) return { unavailable: `tracefs has no ${e.replace("/", ":")} event` };
  const base = `audit-image-verify-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  const proc = path.join(root, "instances", `${base}-proc`);
  const sig = path.join(root, "instances", `${base}-sig`);
  const w = (p: string, v: string) => fs.writeFileSync(p, v);
  let closed = false;
  const followed = new Set<number>();
  const session: TraceSession = {
    root,
    instances: [proc, sig],
    mounted,
    follow(pids: number[]) {
      const fresh = pids.filter((p) => p > 0 && !followed.has(p));
      if (!fresh.length) return;
      try {
        if (followed.size === 0) w(path.join(proc, "options/event-fork"), "1");
        // appending adds to the list (a plain write would replace it)
        fs.writeFileSync(path.join(proc, "set_event_pid"), fresh.join(" ") + "\n", { flag: "a" });
        for (const p of fresh) followed.add(p);
      } catch {
        /* the whole system stays recorded; the timeline filters */
      }
    },
    mark(text: string) {
      try {
        w(path.join(proc, "trace_marker"), text);
      } catch {
        /* no marker: the stop time is taken from the first signal from outside */
      }
    },
    finish() {
      const notes: string[] = [];
      const events: TraceEvent[] = [];
      for (const d of [proc, sig]) {
        try {
          w(path.join(d, "tracing_on"), "0");
        } catch {
          /* gone */
        }
      }
      for (const d of [proc, sig]) {
        try {
          const fd = fs.openSync(path.join(d, "trace"), "r");
          const chunks: Buffer[] = [];
          let total = 0;
          const buf = Buffer.alloc(1 << 20);
          for (;;) {
            const n = fs.readSync(fd, buf, 0, buf.length, null);
            if (n <= 0) break;
            chunks.push(Buffer.from(buf.subarray(0, n)));
            total += n;
            if (total >= TRACE_READ_CAP) {
              notes.push(`the kernel trace was cut at ${TRACE_READ_CAP / 1048576} MB`);
              break;
            }
          }
          fs.closeSync(fd);
          const text = Buffer.concat(chunks).toString("utf8");
          if (process.env.AUDIT_IMAGE_TRACE_DUMP) fs.appendFileSync(process.env.AUDIT_IMAGE_TRACE_DUMP, `### ${path.basename(d)}\n${text}`);
          const hdr = /entries-in-buffer\/entries-written:\s*(\d+)\/(\d+)/.exec(text);
          if (hdr && Number(hdr[2]) > Number(hdr[1])) notes.push(`the kernel trace lost ${Number(hdr[2]) - Number(hdr[1])} early events (ring buffer full); processes forked then are named from /proc`);
          for (const e of parseTrace(text)) events.push({ ...e, src: d === proc ? "proc" : "sig" });
        } catch (e) {
          notes.push(`the kernel trace could not be read (${(e as Error).message})`);
        }
      }
      session.close();
      events.sort((a, b) => a.t - b.t);
      return { events, notes };
    },
    close() {
      if (closed) return;
      closed = true;
      for (const d of [proc, sig]) {
        try {
          fs.writeFileSync(path.join(d, "tracing_on"), "0");
        } catch {
          /* gone */
        }
        try {
          fs.rmdirSync(d);
        } catch {
          /* not there */
        }
      }
    },
  };
  try {
    fs.mkdirSync(proc);
    register(session);
    fs.mkdirSync(sig);
    for (const d of [proc, sig]) {
      // per CPU: 32 MB in all for the container's events (8 MB a CPU at most), 1 MB a CPU for signals
      const perCpu = Math.max(1024, Math.min(8192, Math.floor(32768 / Math.max(1, os.availableParallelism?.() ?? os.cpus().length))));
      w(path.join(d, "buffer_size_kb"), String(d === proc ? perCpu : 1024));
      w(path.join(d, "trace_clock"), "mono");
      try {
        w(path.join(d, "options/record-tgid"), "1");
      } catch {
        /* older kernels: tgid taken from the events */
      }
    }
    for (const e of EVENTS_PROC) w(path.join(proc, "events", e, "enable"), "1");
    // system-wide, signals only: SIGCHLD (17) is left out, it says nothing about the stop
    w(path.join(sig, "events/signal/signal_generate/filter"), "sig != 17");
    w(path.join(sig, "events/signal/signal_generate/enable"), "1");
    w(path.join(proc, "tracing_on"), "1");
    w(path.join(sig, "tracing_on"), "1");
  } catch (e) {
    session.close();
    return { unavailable: `tracefs could not be set up (${(e as Error).message})` };
  }
  return session;
}

// ---------------------------------------------------------------- the timeline
export const SIGNAL_NAMES: Record<number, string> = {
  1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL",
  10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD",
  18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ",
  26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR", 31: "SIGSYS",
};
const sigName = (n: number) => SIGNAL_NAMES[n] ?? (n >= 34 ? `SIGRTMIN+${n - 34}` : `signal ${n}`);
/** Signals whose default action ends the process (signal(7): Term and Core). */
const DEFAULT_FATAL = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 24, 25, 26, 27, 29, 30, 31]);
const SI_KERNEL = 128;
const GENERATE_RESULT = ["delivered", "ignored", "already pending", "queue overflow", "info lost"];

export interface TimelineSignal {
  /** Seconds from the `docker stop` call (negative: before it). */
  t: number;
  signal: string;
  /** Container pid of the sender; null when it came from outside the container or from the kernel. */
  fromPid: number | null;
  from: string;
  /** delivered, ignored (dropped by the kernel: no handler on PID 1, or SIG_IGN), already pending… */
  result: string;
  /** What the receiver did with it when it was delivered: caught (a handler ran), default (its default action), ignored. */
  handled: "caught" | "default" | "ignored" | null;
}
export interface TimelineProcess {
  /** pid in the container (null when it was never seen in /proc and is not PID 1). */
  pid: number | null;
  hostPid: number;
  parentPid: number | null;
  /** What it exec'd (the exec event's filename, else /proc/PID/exe, else its command name). */
  program: string;
  /** Its command line as /proc showed it (the title it gave itself), when seen. */
  argv: string[] | null;
  /** Forked by a process of the same program without an exec of its own (nginx's workers): part of that service. */
  workerOf: number | null;
  startedAt: number | null;
  signals: TimelineSignal[];
  exit: { t: number; status: number | null; signal: string | null; by: string | null } | null;
}
export interface Timeline {
  stopAt: number;
  pid1ExitAt: number | null;
  processes: TimelineProcess[];
  /** Container pids (and programs) that received the stop signal before PID 1 exited, workers folded. */
  receivers: { pid: number | null; hostPid: number; program: string }[];
  outcome: "graceful" | "killed" | "abrupt" | "not-running" | "unknown";
  reason: string;
  notes: string[];
}

export interface ProcInfo {
  nsPid: number;
  argv: string[];
  exe: string | null;
}

/**
 * The container's processes and what happened to them. pid1Host: host pid of PID 1; procs: what /proc showed
 * of host pids while the container ran; stopSignal: the signal docker stop sends.
 */
export function buildTimeline(events: TraceEvent[], pid1Host: number, procs: Map<number, ProcInfo>, stopSignal: string): Timeline {
  const notes: string[] = [];
  const tgidOf = new Map<number, number>();
  for (const e of events) if (e.tgid !== null && e.tgid > 0) tgidOf.set(e.tid, e.tgid);
  const tg = (tid: number) => tgidOf.get(tid) ?? tid;
  // the container's tasks: PID 1 and every task forked from one of them
  const member = new Set<number>([pid1Host]);
  const parentOf = new Map<number, number>();
  const forkedAt = new Map<number, number>();
  for (const e of events) {
    if (e.type !== "sched_process_fork") continue;
    const parent = Number(e.f.pid);
    const child = Number(e.f.child_pid);
    if (member.has(parent) || member.has(tg(parent)) || member.has(e.tid)) {
      member.add(child);
      if (!parentOf.has(child)) parentOf.set(child, tg(parent));
      if (!forkedAt.has(child)) forkedAt.set(child, e.t);
    }
  }
  for (const h of procs.keys()) member.add(h);
  const marker = events.find((e) => e.type === "tracing_mark_write" && /audit-image: docker stop/.test(e.f.text ?? ""));
  const outsideSignal = (e: TraceEvent) => e.type === "signal_generate" && !member.has(e.tid) && !member.has(tg(e.tid)) && member.has(tg(Number(e.f.pid)));
  const firstOutside = events.find((e) => outsideSignal(e) && tg(Number(e.f.pid)) === pid1Host && Number(e.f.sig) !== 17);
  const stopAt = marker?.t ?? firstOutside?.t ?? events[events.length - 1]?.t ?? 0;
  if (!marker) notes.push("no stop marker in the kernel trace: times are counted from the first signal from outside the container");
  const rel = (t: number) => Math.round((t - stopAt) * 1000) / 1000;

  // processes: thread group leaders that are members
  const processes = new Map<number, TimelineProcess>();
  const ensure = (hostPid: number): TimelineProcess => {
    let p = processes.get(hostPid);
    if (!p) {
      const info = procs.get(hostPid);
      p = {
        pid: info?.nsPid ?? (hostPid === pid1Host ? 1 : null), hostPid, parentPid: null, program: info?.exe ?? "?", argv: info?.argv ?? null,
        workerOf: null, startedAt: forkedAt.has(hostPid) ? rel(forkedAt.get(hostPid)!) : null, signals: [], exit: null,
      };
      processes.set(hostPid, p);
    }
    return p;
  };
  const isProcess = (tid: number) => member.has(tid) && tg(tid) === tid;
  for (const h of procs.keys()) ensure(h);
  const execd = new Map<number, string>();
  let pid1ExitAt: number | null = null;
  const exitCode = new Map<number, number>();
  const pendingDeath = new Map<number, string>();
  for (const e of events) {
    switch (e.type) {
      case "sched_process_exec": {
        const h = tg(Number(e.f.pid) || e.tid);
        if (!member.has(h)) break;
        execd.set(h, e.f.filename ?? "?");
        ensure(h).program = e.f.filename ?? "?";
        pendingDeath.delete(h);
        break;
      }
      case "sys_exit_group":
        if (member.has(tg(e.tid))) exitCode.set(tg(e.tid), Number(e.f.error_code));
        break;
      case "signal_generate": {
        const target = tg(Number(e.f.pid));
        if (!member.has(target) || !isProcess(target)) break;
        const sig = Number(e.f.sig);
        if (sig === 17) break;
        const sender = tg(e.tid);
        const fromMember = member.has(sender);
        // One from outside is taken from "sig" only. One sent inside the container is in both instances, unless its
        // sender is a thread "proc" does not follow (a thread the process made before the trace began: the kernel's
        // SIGKILL at PID 1's exit comes from PID 1's last thread, memcached's or node's worker): taken from either,
        // the copy is dropped below (same signal, sender and time).
        if (e.src === "proc" && !fromMember) break;
        const kernelZap = sig === 9 && sender === pid1Host && pid1ExitAt !== null && Number(e.f.code) === SI_KERNEL;
        const p = ensure(target);
        const res = Number(e.f.res);
        const from = kernelZap ? "the kernel, when PID 1 exited" : fromMember ? `${path.basename(processes.get(sender)?.program ?? procs.get(sender)?.exe ?? e.comm)}` : Number(e.f.code) === SI_KERNEL ? "the kernel" : `outside the container (${e.comm})`;
        // one signal to a process with threads is traced once a thread (the kernel's SIGKILL at PID 1's exit)
        if (p.signals.some((x) => x.signal === sigName(sig) && x.from === from && Math.abs(x.t - rel(e.t)) < 0.005)) break;
        p.signals.push({
          t: rel(e.t), signal: sigName(sig),
          fromPid: fromMember && !kernelZap ? (processes.get(sender)?.pid ?? procs.get(sender)?.nsPid ?? null) : null,
          from, result: GENERATE_RESULT[res] ?? `result ${res}`, handled: null,
        });
        break;
      }
      case "signal_deliver": {
        const h = tg(e.tid);
        if (!member.has(h)) break;
        const sig = Number(e.f.sig);
        if (sig === 17) break;
        // the other threads of a process that execs (or exits) are SIGKILLed by the kernel: not a signal to it
        if (e.tid !== h && sig === 9) break;
        const p = ensure(h);
        const handler = e.f.sa_handler ?? "0";
        const handled = handler === "0" ? "default" : handler === "1" ? "ignored" : "caught";
        const s = [...p.signals].reverse().find((x) => x.signal === sigName(sig) && x.handled === null);
        if (s) s.handled = handled;
        else p.signals.push({ t: rel(e.t), signal: sigName(sig), fromPid: null, from: "unknown (generated before the trace)", result: "delivered", handled });
        if (handled === "default" && DEFAULT_FATAL.has(sig)) pendingDeath.set(h, sigName(sig));
        break;
      }
      case "sched_process_exit": {
        // the process ends when its last thread does (group_dead), which need not be the leader
        const h = tg(Number(e.f.pid) || e.tid);
        if (!member.has(h) || !isProcess(h)) break;
        // the leader's exit ends it too (its other threads, exiting with it, may not be followed)
        if (Number(e.f.pid || e.tid) !== h && e.f.group_dead !== "true") break;
        const p = ensure(h);
        if (p.exit) break;
        const killedBy = pendingDeath.get(h) ?? null;
        const zap = p.signals.find((s) => s.signal === "SIGKILL" && /when PID 1 exited/.test(s.from));
        p.exit = {
          t: rel(e.t),
          status: killedBy ? null : (exitCode.get(h) ?? null),
          signal: killedBy,
          by: zap && killedBy === "SIGKILL" ? "the kernel, when PID 1 exited" : killedBy ? (p.signals.filter((s) => s.signal === killedBy).pop()?.from ?? null) : null,
        };
        if (h === pid1Host && pid1ExitAt === null) pid1ExitAt = e.t;
        break;
      }
    }
  }
  // a SIGKILL sent by the exiting PID 1 in kernel context comes after its exit event: fix up the exits it caused
  for (const p of processes.values()) {
    if (p.exit?.signal === "SIGKILL" && !p.exit.by) {
      const z = p.signals.find((s) => s.signal === "SIGKILL");
      if (z) p.exit.by = z.from;
    }
  }
  // workers: forked from a member of the same program, no exec of their own
  for (const p of processes.values()) {
    const par = parentOf.get(p.hostPid);
    if (par !== undefined) p.parentPid = processes.get(par)?.pid ?? procs.get(par)?.nsPid ?? null;
    // a shell's forked copy is a subshell (a pipeline, a `( … ) &`), which the prediction names: not a worker
    const shell = (h: number) => /^(?:sh|dash|bash|ash|busybox|mksh|zsh|ksh|ksh93)$/.test(procs.get(h)?.exe ?? "");
    if (par !== undefined && !execd.has(p.hostPid) && processes.has(par) && p.hostPid !== pid1Host && !shell(par) && !shell(p.hostPid)) {
      const parent = processes.get(par)!;
      p.program = parent.program;
      p.workerOf = parent.pid;
    }
  }
  // a worker of a worker belongs to the first of its line
  for (const p of processes.values()) {
    let w = p.workerOf;
    const seen = new Set<number>();
    while (w !== null && !seen.has(w)) {
      seen.add(w);
      const up = [...processes.values()].find((q) => q.pid === w && q.workerOf !== null);
      if (!up) break;
      w = up.workerOf;
    }
    if (p.workerOf !== null) p.workerOf = w;
  }
  const list = [...processes.values()];
  list.sort((a, b) => (a.pid ?? 1e9) - (b.pid ?? 1e9) || a.hostPid - b.hostPid);

  // classification, with the prediction's definitions
  const pid1 = processes.get(pid1Host);
  const rel1 = pid1ExitAt === null ? null : rel(pid1ExitAt);
  const aliveAtStop = list.filter((p) => p.hostPid !== pid1Host && (p.startedAt === null || p.startedAt <= 0) && (p.exit === null || p.exit.t > 0));
  const dockerKill = pid1?.signals.find((s) => s.signal === "SIGKILL" && s.t >= 0 && s.fromPid === null && /outside/.test(s.from));
  const stopSig = stopSignal;
  const receivers = new Map<string, { pid: number | null; hostPid: number; program: string }>();
  for (const p of list) {
    if (p.workerOf !== null) continue;
    if (p.signals.some((s) => s.signal === stopSig && s.t >= 0 && (rel1 === null || s.t <= rel1) && s.result === "delivered")) receivers.set(`${p.hostPid}`, { pid: p.pid, hostPid: p.hostPid, program: p.program });
  }
  let outcome: Timeline["outcome"];
  let reason: string;
  const name = (p: TimelineProcess) => `${path.basename(p.program)} (pid ${p.pid ?? `host ${p.hostPid}`})`;
  if (!pid1) {
    outcome = "unknown";
    reason = "PID 1 is not in the kernel trace";
  } else if (rel1 === null) {
    outcome = "unknown";
    reason = "PID 1's exit is not in the kernel trace";
  } else if (rel1 < 0) {
    outcome = "not-running";
    reason = `PID 1 exited ${(-rel1).toFixed(2)} s before the stop`;
  } else if (dockerKill && dockerKill.t <= rel1) {
    outcome = "killed";
    reason = `PID 1 (${path.basename(pid1.program)}) was still running when the grace period ended: SIGKILL from ${dockerKill.from} at +${dockerKill.t.toFixed(2)} s`;
  } else {
    // SIGKILLed with PID 1 by the kernel, or (a shared PID namespace, where the pod's pause process is PID 1) by
    // the runtime from outside once the container's first process has exited: cut short either way.
    const cut = (p: TimelineProcess) => !!p.exit && p.exit.signal === "SIGKILL" && /when PID 1 exited|^outside the container/.test(p.exit.by ?? "");
    const lost = aliveAtStop.filter((p) => cut(p) && p.workerOf === null);
    const lostWorkers = aliveAtStop.filter((p) => cut(p) && p.workerOf !== null);
    const unseen = aliveAtStop.filter((p) => p.exit === null);
    if (lost.length || lostWorkers.length) {
      outcome = "abrupt";
      const all = [...lost, ...lostWorkers];
      reason = `PID 1 exited at +${rel1.toFixed(2)} s and ${all.every((p) => /when PID 1 exited/.test(p.exit?.by ?? "")) ? "the kernel" : "the kernel or the runtime"} SIGKILLed ${all.map((p) => `${name(p)}${p.workerOf !== null ? ` (a worker of pid ${p.workerOf})` : ""}${p.signals.some((s) => s.signal === stopSig && s.t >= 0 && s.result === "delivered") ? `, which had got ${stopSig}` : `, which never got ${stopSig}`}`).join("; ")}`;
    } else if (unseen.length) {
      outcome = "unknown";
      reason = `PID 1 exited at +${rel1.toFixed(2)} s; the trace has no exit of ${unseen.map(name).join(", ")}`;
    } else {
      outcome = "graceful";
      reason = `PID 1 exited at +${rel1.toFixed(2)} s${aliveAtStop.length ? ` after ${aliveAtStop.map(name).join(", ")} had exited` : ""}`;
    }
  }
  return { stopAt, pid1ExitAt: rel1, processes: list, receivers: [...receivers.values()], outcome, reason, notes };
}

/** One line per process: "PID 3 sleep: SIGKILL from the kernel, when PID 1 exited (+0.01 s)". */
export function describeTimeline(tl: Timeline): string[] {
  const out: string[] = [];
  const s = (t: number) => `${t >= 0 ? "+" : ""}${t.toFixed(2)} s`;
  for (const p of tl.processes) {
    const head = `PID ${p.pid ?? `? (host ${p.hostPid})`} ${path.basename(p.program)}${p.workerOf !== null ? ` (worker of PID ${p.workerOf})` : ""}`;
    const parts: string[] = [];
    for (const g of p.signals) {
      if (g.t < -0.5 && g.signal !== "SIGKILL") continue;
      parts.push(`${g.signal} from ${g.fromPid !== null ? `PID ${g.fromPid} ${g.from}` : g.from} at ${s(g.t)}${g.result !== "delivered" ? ` (${g.result})` : g.handled === "caught" ? " (caught)" : g.handled === "default" ? " (default action)" : g.handled === "ignored" ? " (ignored)" : ""}`);
    }
    if (p.exit) parts.push(p.exit.signal ? `died of ${p.exit.signal} at ${s(p.exit.t)}` : `exited${p.exit.status !== null ? ` ${p.exit.status}` : ""} at ${s(p.exit.t)}`);
    else parts.push("no exit seen");
    out.push(`${head}: ${parts.join(", ")}`);
  }
  return out;
}
