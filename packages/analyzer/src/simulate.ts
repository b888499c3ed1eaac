// From the steady-state process tree to what `docker stop` (and `docker kill -s`) does: who gets the
// signal, who handles it, and whether the container stops gracefully, abruptly, or by SIGKILL.
import { configStopTime } from "./exec/config.js";
import { imageEnv } from "./exec/roles.js";
import { DEFAULT_IGNORED, forwardTarget, programByName, rewrittenSignal, signalAction, type ProgramEntry, type ShellSignalReaction } from "./programs.js";
import { bare } from "./rules/rule.js";
import { analyzeHandler } from "./shell/trap-handler.js";
import { appHandlerFor } from "./app/scan.js";
import { allProcs, type Path, type Proc, type Trap, type World } from "./world.js";
import type { Delivery, Lifecycle, ProcessNode, ScenarioPrediction, SignalWalk, StopPrediction } from "./types.js";

/** The signals bash catches once an EXIT trap is set (SigCgt measured on bash 5.2). */
const BASH_FATAL = new Set(["SIGHUP", "SIGINT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGSYS"]);


interface Reaction {
  action: string;
  /** The process ends because of the signal. */
  stops: boolean;
  /** Signals it passes on. */
  forwardTo: { procs: Proc[]; signal: string; via: string }[];
  /** A shell trap handler that waits for what it killed before exiting. */
  waits: boolean;
  unknown: boolean;
  note?: string;
  /** A shell that acts only once its foreground command ends: when that command stops on the signal, so does the shell. */
  afterForeground?: boolean;
  /** A trap handler that runs `wait`: the shell ends only once these have stopped (measured: inits.ns.test.ts). */
  waitsFor?: Proc[];
  /** It stops, but how (and how fast) depends on something the image does not show (its version): said in the reason. */
  caveat?: string;
  /** It stops after a set time (squid's shutdown_lifetime, read from its config): seconds, and where they come from. */
  takes?: { seconds: number; where: string };
}

const name = (p: Proc) => bare(p.argv[0] ?? "?");

function descendants(p: Proc): Proc[] {
  return p.children.filter((c) => c.alive).flatMap((c) => [c, ...descendants(c)]);
}

function shellEntry(p: Proc): ProgramEntry | null {
  const k = p.shellKind;
  return k === "busybox" ? programByName("ash") : k && k !== "sh-unknown" ? programByName(k) : programByName("sh");
}

/** Each live process's parent. */
function parentMap(root: Proc): Map<Proc, Proc> {
  const out = new Map<Proc, Proc>();
  for (const q of allProcs(root)) for (const c of q.children) out.set(c, q);
  return out;
}

/**
 * A command a non-interactive shell started in the background (`&`) starts with SIGINT and SIGQUIT ignored
 * (measured for dash, bash, BusyBox ash, mksh and zsh), and so do the processes it starts in turn through shells:
 * SIG_IGN survives exec, and a shell cannot trap a signal it started with ignored. A program in between may
 * install its own handler, so the walk up stops at the first program that is not a shell.
 */
function startsIgnoring(parents: Map<Proc, Proc>, p: Proc, sig: string): boolean {
  if (sig !== "SIGINT" && sig !== "SIGQUIT") return false;
  for (let q: Proc | undefined = p; q; q = parents.get(q)) {
    const parent = parents.get(q);
    if (q.background && q.forkedFrom === undefined && parent?.shellKind) return true;
    if (q !== p && !q.shellKind) return false;
  }
  return false;
}

/** What a shell does with a signal it has no trap for (the catalog's shellSignals, measured), in its state. */
function shellReaction(p: Proc, sig: string, r: ShellSignalReaction, isPid1: boolean): Reaction {
  const base: Reaction = { action: "", stops: false, forwardTo: [], waits: false, unknown: false };
  const kind = p.shellKind === "sh-unknown" || !p.shellKind ? "sh" : p.shellKind === "busybox" ? "BusyBox ash" : p.shellKind;
  const state = p.shell?.state ?? "foreground";
  const fg = p.shell?.foreground ? ` ${name(p.shell.foreground)}` : "";
  switch (r) {
    case "ignored":
      return { ...base, action: "ignore" };
    case "caught":
      return { ...base, action: "ignore", note: `${kind} catches ${sig} but does nothing with it${isPid1 ? " (at PID 1 the kernel drops the signal its handler re-raises)" : ""}` };
    case "after-foreground":
      if (state === "foreground") return { ...base, action: "deferred", afterForeground: true, note: `${kind} catches ${sig} but acts only when its foreground command${fg} ends` };
      return { ...base, action: "exit", stops: true, note: `${kind} exits on ${sig}` };
    case "in-wait":
      if (state === "wait") return { ...base, action: "exit", stops: true, note: `${kind} exits on ${sig} while it waits` };
      return { ...base, action: "ignore", afterForeground: true, note: `${kind} waits for its foreground command${fg} and goes on, unless that command dies of ${sig} too` };
    case "at-once":
      return { ...base, action: "exit", stops: true, note: `${kind} exits at once on ${sig}` };
    default:
      if (isPid1) return { ...base, action: "dropped" };
      if (DEFAULT_IGNORED.has(sig)) return { ...base, action: "ignore" };
      return { ...base, action: "terminate", stops: true };
  }
}

/** What a trap handler sends where, whether it waits, and whether a target it kills is not known. */
function runHandler(w: World, root: Proc, p: Proc, trap: Trap, label: string) {
  const eff = analyzeHandler(w, root, p, trap);
  const forwardTo = eff.kills.map((k) => ({
    procs: k.targets === "all" ? descendants(p) : k.targets ?? [],
    signal: k.signal,
    via: `\`${k.text}\` in ${label} (${trap.file}:${trap.line})`,
  }));
  const unknown = eff.kills.some((k) => k.targets === null || (Array.isArray(k.targets) && k.targets.length === 0));
  return { kills: eff.kills.length, exits: eff.exits, reaction: { forwardTo, waits: eff.waits, unknown } };
}

function react(w: World, root: Proc, p: Proc, sig: string, parents: Map<Proc, Proc>): Reaction {
  // With a shared PID namespace the pod's pause process is PID 1: the container's first process is not.
  const isPid1 = p === root && !w.sharedPid;
  const none: Reaction = { action: "", stops: false, forwardTo: [], waits: false, unknown: false };
  if (p.readsStdin === "tty" && !p.shell && (sig === "SIGTERM" || sig === "SIGQUIT")) {
    // An interactive shell ignores SIGTERM and SIGQUIT (bash(1), SIGNALS: "When bash is interactive, in the
    // absence of any traps, it ignores SIGTERM … In all cases, bash ignores SIGQUIT"); measured on the engine
    // for bash and dash with -t, as PID 1 and as docker-init's child: docker stop ends in SIGKILL.
    return { ...none, action: "ignore", note: `${name(p)} is an interactive shell (it reads a terminal): it ignores ${sig}` };
  }
  if (!p.shell && p.shellKind && p.role === "shell" && p.longRunning === null) {
    // A shell whose commands are not known (`bash -c "exec $(printf ' %q' "$@")"`): what it runs, and so what the
    // signal does, is not known; its own default reaction says nothing about the service it would exec.
    const why = p.notes.find((n) => /only known at run time|does not parse|not in the build context|could not be read|cut short/.test(n));
    return { ...none, action: "unknown", unknown: true, note: `what ${name(p)} runs is not known${why ? ` (${why})` : ""}` };
  }
  if (p.shell || (p.shellKind && p.role === "shell")) {
    if (startsIgnoring(parents, p, sig)) return { ...none, action: "ignore", note: `${name(p)} was started in the background by a non-interactive shell: ${sig} is ignored, and it cannot trap it` };
    const trap = p.shell?.traps.get(sig);
    if (p.shell && trap) {
      if (trap.handler === "") return { ...none, action: "ignore" };
      if (p.shell.state === "foreground") {
        return { ...none, action: "deferred", note: `its trap (line ${trap.line}) runs only after the foreground command ${name(p.shell.foreground ?? p)} ends` };
      }
      const h = runHandler(w, root, p, trap, "the trap");
      const action = h.kills ? "forward" : "trap";
      // A handler that runs `wait` ends only when what it waits for has stopped (the processes it signalled,
      // else every child it started).
      const killed = h.reaction.forwardTo.flatMap((f) => f.procs);
      const waitsFor = h.reaction.waits ? (killed.length ? killed : p.children.filter((c) => c.alive && (c.longRunning !== false || c.shell))) : undefined;
      // Without `exit` in the handler, the interrupted `wait` returns and the script goes on (ShellRun.afterTrap):
      // to its end (the shell exits), to another wait (it waits for its jobs), or somewhere not followed.
      const after = h.exits ? "exits" : (p.shell.afterTrap ?? "exits");
      if (after === "waits") {
        // It waits for its jobs again: it ends once the jobs the handler signalled have stopped; if the handler
        // signalled none, it waits on and Docker's SIGKILL ends it.
        if (h.kills === 0) return { ...none, action, note: `after its trap (line ${trap.line}) the script waits for its jobs again` };
        return { ...none, action, stops: true, ...h.reaction, waits: true, waitsFor: waitsFor ?? killed };
      }
      if (after !== "exits") return { ...none, action, unknown: true, note: `what the script does after its trap (line ${trap.line}) ${after === "execs" ? "execs" : "differs by path"}` };
      return { ...none, action, stops: true, ...h.reaction, waitsFor };
    }
    const exitTrap = p.shell?.traps.get("EXIT");
    if (exitTrap && exitTrap.handler !== "" && p.shellKind === "bash" && BASH_FATAL.has(sig)) {
      // Measured (docs/measurements.md, "an EXIT trap and TERM"): bash with an EXIT trap catches the fatal
      // signals, even while a foreground child runs; it runs the EXIT trap and exits with 128+n at once.
      const h = runHandler(w, root, p, exitTrap, "the EXIT trap");
      return { ...none, action: "exit", stops: true, ...h.reaction, note: `bash runs its EXIT trap (line ${exitTrap.line}) on ${sig} and exits at once` };
    }
    const r = shellEntry(p)?.shellSignals?.[sig]?.[isPid1 ? "pid1" : "child"] ?? "default";
    return shellReaction(p, sig, r, isPid1);
  }
  const entry = p.program;
  if (!entry) {
    // a program the analysis reached only after a bound stopped it was never looked up in the catalog
    const cut = p.notes.some((n) => n.startsWith("analysis cut short"));
    return { ...none, action: "unknown", unknown: true, note: cut ? `the analysis was cut short before ${name(p)} was looked up` : `${name(p)} is not in the program catalog` };
  }
  const act = signalAction(entry, sig, isPid1);
  if (p.app) {
    // The application's own handler (or its framework's) replaces the interpreter's default for the signal.
    const h = appHandlerFor(p.app, sig);
    if (h) return { ...none, action: h.framework ? frameworkAction(entry, h.framework, sig) : "app-handler", stops: true, note: `${h.what}${h.file ? ` at ${h.file}${h.line ? `:${h.line}` : ""}` : ""} handles ${sig}` };
    const defaultStops = act === "graceful-stop" || act === "fast-stop" || (act === null && !isPid1 && !DEFAULT_IGNORED.has(sig));
    if (p.app.status !== "seen" && !defaultStops)
      return { ...none, action: "unknown", unknown: true, note: `${name(p)} stops on ${sig} only if the application installs a handler, and whether ${p.app.entry ?? "it"} does is not known: ${p.app.why ?? "its source was not read"}` };
  }
  if (startsIgnoring(parents, p, sig) && (act === null || entry.keepsIgnored?.includes(sig)))
    return { ...none, action: "ignore", note: `${name(p)} was started in the background by a non-interactive shell, with ${sig} ignored` };
  if (act === null) {
    if (isPid1) return { ...none, action: "dropped" };
    return DEFAULT_IGNORED.has(sig) ? { ...none, action: "ignore" } : { ...none, action: "terminate", stops: true };
  }
  if (act === "forward" && entry.forwards) {
    const f = entry.forwards;
    const covered = (f.signals.includes("*") || f.signals.includes(sig)) && !f.except.includes(sig);
    if (!covered) return isPid1 ? { ...none, action: "dropped" } : { ...none, action: "terminate", stops: true };
    const args = p.argv.slice(1);
    const sent = rewrittenSignal(entry, args, sig);
    if (sent === null) return { ...none, action: "ignore", note: `${name(p)} drops ${sig}: its --rewrite maps it to 0` };
    const to = forwardTarget(entry, args, imageEnv(w));
    const live = p.children.filter((c) => c.alive);
    const targets = to === "child" ? live.slice(0, 1) : to === "process-group" || to === "all-children" ? descendants(p) : live;
    const via = `forwarded by ${name(p)}${to === "process-group" ? " to its child's process group" : ""}${sent !== (f.sends ?? sig) ? ` as ${sent}` : ""}`;
    // Below PID 1, a forwarder that exits with its child (tini, npm, cross-env) ends only once that child has: it
    // waits for it (PID 1's own exit is decided in walkSignal).
    const waitsFor = !isPid1 && entry.exitsWithChild === true && !f.exitsAtOnce && live[0] ? [live[0]] : undefined;
    return { ...none, action: "forward", stops: f.exitsAtOnce === true || entry.exitsWithChild === true, forwardTo: [{ procs: targets, signal: sent, via }], waitsFor, note: f.exitsAtOnce ? `${name(p)} passes ${sig} on and exits at once, without waiting` : undefined };
  }
  if (entry.role === "supervisor" && (act === "graceful-stop" || act === "fast-stop")) {
    const f = entry.forwards;
    if (!f || !((f.signals.includes("*") || f.signals.includes(sig)) && !f.except.includes(sig))) {
      // runsvdir on TERM: it exits at once, its services are never told.
      const left = p.children.filter((c) => c.alive);
      return { ...none, action: act, stops: true, note: left.length ? `${name(p)} exits on ${sig} without stopping ${left.map(name).join(", ")}` : undefined };
    }
    // Each program is stopped with its own stop signal (supervisord's stopsignal, TERM by default). A supervisor
    // whose programs come from its config file stops only those: an orphan re-parented to it, or a job the shell
    // that exec'd it left in the background, is not one of its programs and never hears from it.
    const managed = entry.programsFrom?.format === "supervisord" ? p.children.filter((c) => c.supervisorStop !== undefined) : p.children;
    const forwardTo = managed.filter((c) => c.alive).map((c) => ({ procs: c.supervisorGroup ? [c, ...descendants(c)] : [c], signal: c.supervisorStop ?? "SIGTERM", via: `stopped by ${name(p)}${c.supervisorGroup ? " (to the process group, stopasgroup)" : ""}` }));
    // With a stop timeout of its own (supervisord's stopwaitsecs, foreman's -t) it waits for its programs, and ends
    // once they have; a program that does not stop holds it until the timeout (predictStop).
    const waitsFor = entry.programsFrom?.stopWaitSeconds !== undefined ? managed.filter((c) => c.alive) : undefined;
    return { ...none, action: act, stops: true, forwardTo, waits: true, ...(waitsFor?.length ? { waitsFor } : {}) };
  }
  if (act === "other") {
    // "other" that ends the program whatever the version or setting does (signalDetails.stops: pgbouncer's TERM, an
    // immediate shutdown in 1.18, from 1.23 one that waits for its clients, which with none exits at once) stops it
    // like graceful-stop does; what the stop depends on stays in the reason (`depends`). One whose stop takes a set
    // time (stopTakes: squid's shutdown_lifetime, which it waits out even with no client) stays unknown here.
    const d = entry.signalDetails?.[sig];
    const timed = entry.stopTakes?.signals.includes(sig);
    // A stop that takes a set time: known when the config it reads is (set there, or its default).
    const takes = d?.stops === true && timed ? timedStop(w, entry, p) : null;
    if (takes) return { ...none, action: d!.label ?? "other", stops: true, takes };
    if (d?.stops === true && !timed) {
      const label = d.label ?? "other";
      return { ...none, action: label, stops: true, caveat: `${entry.name} stops on ${sig} (${label})${d.depends ? `: ${d.depends}` : ""}` };
    }
    return { ...none, action: "unknown", unknown: true, note: `what ${entry.name} does with ${sig} is not known precisely` };
  }
  return { ...none, action: act, stops: act === "graceful-stop" || act === "fast-stop" };
}

/**
 * How long a stop that waits out a set time takes (stopTakes with fromConfig): the value its config sets, or the
 * default when the config it reads does not set it; null when that config could not be read in full.
 */
function timedStop(w: World, entry: ProgramEntry, p: Proc): { seconds: number; where: string } | null {
  const t = entry.stopTakes;
  if (!t?.fromConfig) return null;
  const c = configStopTime({ model: w.model }, entry, p.argv[0] ?? entry.name, p.argv.slice(1));
  if (c.kind === "set") return { seconds: c.seconds, where: c.where };
  if (c.kind === "default") return { seconds: t.seconds + t.fromConfig.extraSeconds, where: `${t.fromConfig.key} ${c.where}: its default, ${t.seconds} s` };
  return null;
}

/** What a framework of the application does with the signal (its catalog entry), graceful-stop if not stopping. */
function frameworkAction(entry: ProgramEntry, framework: string, sig: string): string {
  const a = entry.app?.frameworks.find((f) => f.name === framework)?.signals[sig];
  return a === "fast-stop" ? "fast-stop" : "graceful-stop";
}

export interface Walk {
  deliveries: Delivery[];
  received: Set<Proc>;
  stopped: Set<Proc>;
  unknown: boolean;
  pid1Exits: boolean;
  pid1Waits: boolean;
  /** Processes whose parent waits for them to end before it ends itself (a shell's foreground command). */
  waited: Set<Proc>;
  /** Processes the signal ends by its default action: they end on delivery, with nothing to cut short. */
  terminated: Set<Proc>;
  /** Processes whose reaction is not known. */
  unknownProcs: Set<Proc>;
  /** What PID 1 waits for before it ends (a supervisor's programs), when it does. */
  rootWaitsFor: Proc[];
  reasons: string[];
  /** What the stops depend on (the program's version…): added to the outcome's reason. */
  caveats: string[];
  /** Processes whose stop takes a set time, and how long. */
  slow: { p: Proc; seconds: number; where: string }[];
}

/** Follows a signal from PID 1 through forwarding, trap handlers and supervisors. */
export function walkSignal(w: World, root: Proc, sig: string, pidOf: (p: Proc) => number): Walk {
  const deliveries: Delivery[] = [];
  const received = new Set<Proc>();
  const stopped = new Set<Proc>();
  const terminated = new Set<Proc>();
  const unknownProcs = new Set<Proc>();
  let rootWaitsFor: Proc[] = [];
  const reasons: string[] = [];
  const caveats: string[] = [];
  const slow: Walk["slow"] = [];
  let unknown = false;
  let pid1Waits = false;
  const queue: { p: Proc; sig: string; via: string }[] = [{ p: root, sig, via: "docker stop" }];
  const seen = new Set<Proc>();
  const parents = parentMap(root);
  const waitingOnForeground: Proc[] = [];
  const waitingOnChildren: [Proc, Proc[]][] = [];
  /** Inits that forward the signal and exit only once their child has (tini, dumb-init): they wait for it. */
  const forwardersWithChild: Proc[] = [];
  let rootReaction: Reaction | null = null;
  while (queue.length) {
    const { p, sig: s, via } = queue.shift()!;
    if (seen.has(p)) continue;
    seen.add(p);
    const r = react(w, root, p, s, parents);
    if (r.afterForeground) waitingOnForeground.push(p);
    if (p === root) rootReaction = r;
    const receives = r.action !== "dropped";
    if (receives) received.add(p);
    if (r.stops && !r.waitsFor?.length) stopped.add(p);
    if (r.action === "terminate") terminated.add(p);
    if (r.action === "forward" && p.program?.exitsWithChild && p !== root) forwardersWithChild.push(p);
    if (r.waitsFor?.length) waitingOnChildren.push([p, r.waitsFor]);
    if (r.unknown) {
      unknown = true;
      unknownProcs.add(p);
    }
    if (p === root && r.waitsFor?.length) rootWaitsFor = r.waitsFor;
    if (r.note) reasons.push(r.note);
    if (r.caveat) caveats.push(r.caveat);
    if (r.takes) slow.push({ p, ...r.takes });
    deliveries.push({ pid: pidOf(p), argv0: p.argv[0] ?? "?", receives, action: r.action, via: via === "docker stop" ? via : via });
    for (const f of r.forwardTo) for (const t of f.procs) queue.push({ p: t, sig: f.signal, via: f.via });
    if (p === root && r.waits) pid1Waits = true;
  }
  // A shell that acts once its foreground command ends stops when that command stops on the signal (a signal sent
  // to the whole process group: dumb-init, tini -g).
  const waited = new Set<Proc>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const q of waitingOnForeground) {
      const fg = q.shell?.foreground;
      if (!stopped.has(q) && fg && stopped.has(fg)) {
        stopped.add(q);
        waited.add(fg);
        changed = true;
      }
    }
    for (const [q, those] of waitingOnChildren) {
      if (!stopped.has(q) && those.every((c) => stopped.has(c))) {
        stopped.add(q);
        for (const c of those) waited.add(c);
        changed = true;
      }
    }
  }
  // An init under another (docker-init over the image's tini) exits only once its child has: its parent's
  // exit cuts nothing short (measured: compose-init-doubled on the engine, graceful).
  for (const q of forwardersWithChild) {
    const c = q.children.find((x) => x.alive);
    if (c && stopped.has(c)) waited.add(c);
  }
  for (const [q, those] of waitingOnChildren) {
    const never = those.filter((c) => !stopped.has(c));
    if (!stopped.has(q) && never.length) reasons.push(`the trap of ${name(q)} waits for ${never.map(name).join(", ")}, which never stop${never.length === 1 ? "s" : ""} on ${sig}`);
  }
  // PID 1 exits when it stops by itself, or (inits, su) when the child it waits for stops.
  let pid1Exits = stopped.has(root);
  if (rootReaction?.action === "forward" && root.program?.exitsWithChild && !root.program.forwards?.exitsAtOnce) {
    const child = root.children.find((c) => c.alive);
    pid1Exits = !!child && stopped.has(child);
    pid1Waits = true;
    if (child && !received.has(child)) pid1Exits = false;
  }
  if (root.program?.exitsWithChild === false && root.role === "supervisor" && stopped.has(root)) pid1Waits = true;
  return { deliveries, received, stopped, unknown, pid1Exits, pid1Waits, waited, terminated, unknownProcs, rootWaitsFor, reasons, caveats, slow };
}

export function lifecycleOf(p: Path): Lifecycle {
  if (p.failed) return { state: "fails", reason: p.failed, exitCode: 127 };
  if (!p.root.alive) {
    const daemon = allProcs(p.root).find((q) => q.daemonized);
    if (daemon?.daemonUnsure) return { state: "unknown", reason: `${name(daemon)} daemonizes unless its config says otherwise (${daemon.daemonUnsure}): if it does, PID 1 exits and the container stops right after it starts` };
    const pid1 = { argv: p.root.argv, program: programOf(p.root) };
    if (daemon) return { state: "exits", reason: `${name(daemon)} daemonizes: its first process exits, so PID 1 exits and the container stops right after it starts`, exitCode: 0, pid1 };
    const why = p.root.notes.find((n) => /reads its commands|exits/.test(n));
    return { state: "exits", reason: why ?? `PID 1 (${name(p.root)}) reaches its end and exits: the container stops right after it starts`, exitCode: p.exitCode, pid1 };
  }
  if (p.root.longRunning === null) {
    const why = p.root.notes.find((n) => /does not parse|nests too deeply|only known at run time|not in the build context|could not be read|cut short|is not a value/.test(n));
    if (why) return { state: "unknown", reason: `${name(p.root)}: ${why}` };
    return { state: "unknown", reason: `${name(p.root)} is not in the program catalog: whether it keeps running is not known` };
  }
  if (p.root.longRunning === false && !p.root.shell) return { state: "exits", reason: `${name(p.root)} does its work and exits: the container stops right after it starts`, exitCode: 0, pid1: { argv: p.root.argv, program: programOf(p.root) } };
  return { state: "runs", reason: "PID 1 keeps running until it is stopped" };
}

export function predictScenario(w: World, p: Path, stopSignal: string, grace: number): ScenarioPrediction {
  const lifecycle = lifecycleOf(p);
  const procs = allProcs(p.root).filter((q) => q.alive).sort((a, b) => a.id - b.id);
  // With a shared PID namespace the pod's pause process is PID 1, and the container's processes come after it.
  const first = w.sharedPid ? 2 : 1;
  const pids = new Map<Proc, number>(procs.map((q, i) => [q, i + first]));
  const pidOf = (q: Proc) => pids.get(q) ?? 0;
  if (lifecycle.state !== "runs" && lifecycle.state !== "unknown") {
    return {
      lifecycle,
      processTree: lifecycle.state === "exits" && p.root.alive ? toNode(p.root, pidOf) : null,
      stop: { signal: stopSignal, gracePeriod: grace, deliveries: [], outcome: "not-running", reason: lifecycle.reason, exitCode: null },
      reloads: [],
      zombiesReaped: null,
    };
  }
  if (!p.root.alive) {
    // PID 1 ended, and what followed is not known (a daemon that forks unless its config says otherwise).
    return { lifecycle, processTree: null, stop: { signal: stopSignal, gracePeriod: grace, deliveries: [], outcome: "unknown", reason: lifecycle.reason, exitCode: null }, reloads: [], zombiesReaped: null };
  }
  const tree = toNode(p.root, pidOf);
  const stop = predictStop(w, p.root, stopSignal, grace, pidOf);
  return { lifecycle, processTree: tree, stop, reloads: predictReloads(w, p.root, stopSignal, pidOf), zombiesReaped: w.sharedPid ? true : reaps(p.root) };
}

function predictStop(w: World, root: Proc, sig: string, grace: number, pidOf: (p: Proc) => number): StopPrediction {
  const walk = walkSignal(w, root, sig, pidOf);
  const base = { signal: sig, gracePeriod: grace, deliveries: walk.deliveries };
  const others = allProcs(root).filter((q) => q.alive && q !== root && (q.longRunning !== false || q.shell));
  // A reader of the output (`exec > >(cat >> log)`) ends on end of file once its writers have exited; with
  // nothing else left behind, PID 1's exit cuts nothing short for it (measured: sh-exec-process-substitution).
  const readersOnly = others.length > 0 && others.every((q) => q.outputReader);
  const first = walk.deliveries[0]!;
  // "PID 1 (sh)", or the container's first process when PID 1 is the pod's pause process (shareProcessNamespace).
  const pid1 = w.sharedPid ? `the container's first process (${name(root)})` : `PID 1 (${name(root)})`;
  if (!walk.pid1Exits) {
    const held = heldSupervisor(root, walk, grace);
    if (held) {
      for (const q of others) if (!walk.received.has(q)) walk.deliveries.push({ pid: pidOf(q), argv0: q.argv[0] ?? "?", receives: false, action: "killed", via: held.outcome === "killed" ? `SIGKILL after ${grace} s` : "SIGKILL by the kernel when PID 1 exits" });
      return { ...base, outcome: held.outcome, reason: held.reason, exitCode: held.outcome === "killed" ? 137 : null };
    }
    if (walk.unknown && !["dropped", "deferred"].includes(first.action))
      return { ...base, outcome: "unknown", reason: walk.reasons.join("; ") || `what ${name(root)} does with ${sig} is not known`, exitCode: null };
    const why =
      first.action === "dropped"
        ? `${pid1} has no handler for ${sig}, so the kernel drops it`
        : first.action === "deferred"
          ? `${pid1} ${walk.reasons[0] ?? "defers the signal"}`
          : first.action === "ignore"
            ? `${pid1} ignores ${sig}`
            : `${pid1} does not exit on ${sig} (${first.action})${walk.reasons.length ? `: ${walk.reasons.join("; ")}` : ""}`;
    for (const q of others) if (!walk.received.has(q)) walk.deliveries.push({ pid: pidOf(q), argv0: q.argv[0] ?? "?", receives: false, action: "killed", via: `SIGKILL after ${grace} s` });
    return { ...base, outcome: "killed", reason: `${why}; after ${grace} s Docker sends SIGKILL`, exitCode: 137 };
  }
  if (walk.unknown) return { ...base, outcome: "unknown", reason: walk.reasons.join("; ") || "a process's reaction is not known", exitCode: null };
  if (readersOnly) {
    for (const q of others) walk.deliveries.push({ pid: pidOf(q), argv0: q.argv[0] ?? "?", receives: false, action: "ends", via: "end of file when the processes writing to it exit" });
    return { ...base, outcome: "graceful", reason: `${sig} reaches ${walk.deliveries.filter((d) => d.receives).map((d) => bare(d.argv0)).join(", ")}; ${others.map(name).join(", ")} read${others.length === 1 ? "s" : ""} its output and end${others.length === 1 ? "s" : ""} when it exits`, exitCode: null };
  }
  // PID 1 (or a process PID 1 waits for) stops only after a set time: past the grace period, SIGKILL comes first.
  const late = walk.slow.find((x) => x.seconds >= grace && (x.p === root || (walk.pid1Waits && walk.received.has(x.p))));
  if (late) {
    for (const q of others) if (!walk.received.has(q)) walk.deliveries.push({ pid: pidOf(q), argv0: q.argv[0] ?? "?", receives: false, action: "killed", via: `SIGKILL after ${grace} s` });
    return { ...base, outcome: "killed", reason: `${name(late.p)} stops on ${sig} only after about ${late.seconds} s (${late.where}); after ${grace} s Docker sends SIGKILL`, exitCode: 137 };
  }
  // PID 1 exits: everything still running dies with it.
  const missed = others.filter((q) => !walk.received.has(q));
  const unwaited = walk.pid1Waits ? others.filter((q) => walk.received.has(q) && !walk.stopped.has(q)) : others.filter((q) => walk.received.has(q));
  // (a package manager that runs a script likewise: it exits with its child, the script's shell; measured)
  const directChildOnly = root.program?.exitsWithChild && (root.role === "init" || !!root.program.runScript);
  // An init exits as soon as its direct child does; a grandchild still running then is killed, unless the child
  // waited for it (a shell's foreground command that stopped first).
  // A process the signal ends by its default action dies on delivery (signal(7): the default action of TERM,
  // INT, HUP… is "Term", terminate the process; it runs no code of its own): PID 1 exiting then cuts nothing
  // short for it (inits-wrappers.test.ts; tini -g delivering to a whole group is measured in inits.ns).
  const grandchildren = directChildOnly
    ? others.filter((q) => !root.children.includes(q) && walk.received.has(q) && !(walk.waited.has(q) && walk.stopped.has(q)) && !walk.terminated.has(q))
    : [];
  for (const q of missed) walk.deliveries.push({ pid: pidOf(q), argv0: q.argv[0] ?? "?", receives: false, action: "killed", via: w.sharedPid ? "SIGKILL when the container's first process exits" : "SIGKILL by the kernel when PID 1 exits" });
  // A foreground tool the kernel kills as PID 1 exits (a loop's `sleep 60`, once the loop's shell has died of the
  // signal) is not a service cut short: it is a step of a shell that was stopped (the engine tier's comparison
  // counts it so too). One started in the background is a helper left running, and is.
  const lost = [...new Set([...missed.filter((q) => q.role !== "tool" || q.background || q.shell), ...unwaited.filter((q) => q.longRunning !== false || q.shell), ...grandchildren])];
  if (lost.length === 0) {
    const also = walk.caveats.length ? ` (${walk.caveats.join("; ")})` : "";
    return { ...base, outcome: "graceful", reason: `${sig} reaches ${walk.deliveries.filter((d) => d.receives).map((d) => bare(d.argv0)).join(", ")}, and ${w.sharedPid ? "the container's first process" : "PID 1"} exits once the service has stopped${also}`, exitCode: null };
  }
  const parts: string[] = [];
  if (missed.length) parts.push(`${missed.map(name).join(", ")} never get${missed.length === 1 ? "s" : ""} ${sig}`);
  const early = lost.filter((q) => !missed.includes(q));
  if (early.length) parts.push(`PID 1 exits without waiting for ${early.map(name).join(", ")}`);
  // With a shared PID namespace the runtime (runc) SIGKILLs what is left of the container when its first process
  // exits (measured: docker run --pid container:<pause>, docs/deployments.md).
  const killer = w.sharedPid ? "the runtime SIGKILLs" : "the kernel SIGKILLs";
  const also = walk.caveats.length ? ` (${walk.caveats.join("; ")})` : "";
  return { ...base, outcome: "abrupt", reason: `${pid1} exits, but ${parts.join(", and ")}: ${killer} ${lost.length === 1 ? "it" : "them"} ${w.sharedPid ? "when that process exits" : "with PID 1"}${also}`, exitCode: null };
}

/**
 * A supervisor at PID 1 that waits for its programs (supervisord, foreman) and one of them that is known not to stop
 * on the signal: the supervisor SIGKILLs it when its stop timeout runs out and then exits. With a timeout at or past
 * Docker's grace period Docker's SIGKILL comes first (killed); below it the supervisor kills the program (abrupt),
 * unless a program whose reaction is not known may hold it past the grace period too. Null when that does not apply.
 */
function heldSupervisor(root: Proc, walk: Walk, grace: number): { outcome: "killed" | "abrupt"; reason: string } | null {
  if (!walk.rootWaitsFor.length || !walk.received.has(root)) return null;
  const stuck = walk.rootWaitsFor.filter((c) => walk.received.has(c) && !walk.stopped.has(c) && !walk.unknownProcs.has(c) && !descendantsUnknown(c, walk));
  if (!stuck.length) return null;
  const waitOf = (c: Proc) => c.supervisorStopWait ?? Infinity;
  const longest = Math.max(...stuck.map(waitOf));
  const who = stuck.map(name).join(", ");
  if (longest >= grace)
    return { outcome: "killed", reason: `PID 1 (${name(root)}) waits for ${who}, which ${stuck.length === 1 ? "does" : "do"} not stop on the signal, up to its stop timeout (${Number.isFinite(longest) ? `${longest} s` : "none"}); after ${grace} s Docker sends SIGKILL first` };
  const maybe = walk.rootWaitsFor.filter((c) => !walk.stopped.has(c) && (walk.unknownProcs.has(c) || descendantsUnknown(c, walk)));
  if (maybe.some((c) => waitOf(c) >= grace)) return null;
  return { outcome: "abrupt", reason: `PID 1 (${name(root)}) waits ${longest} s (its stop timeout) for ${who}, which ${stuck.length === 1 ? "does" : "do"} not stop on the signal, then SIGKILLs ${stuck.length === 1 ? "it" : "them"} and exits` };
}

function descendantsUnknown(p: Proc, walk: Walk): boolean {
  return descendants(p).some((q) => walk.unknownProcs.has(q));
}

function predictReloads(w: World, root: Proc, stopSignal: string, pidOf: (p: Proc) => number): SignalWalk[] {
  const sigs = new Set<string>();
  for (const q of allProcs(root)) {
    if (!q.alive || !q.program) continue;
    for (const [s, a] of Object.entries(q.program.signals))
      if ((a === "reload" || a === "reopen-logs") && ["SIGHUP", "SIGUSR1", "SIGUSR2"].includes(s) && s !== stopSignal) sigs.add(s);
  }
  const out: SignalWalk[] = [];
  for (const s of [...sigs].sort()) {
    const walk = walkSignal(w, root, s, pidOf);
    const handled = walk.deliveries.filter((d) => d.receives && (d.action === "reload" || d.action === "reopen-logs"));
    const deliveries = walk.deliveries.map((d) => ({ ...d, via: d.via === "docker stop" ? `docker kill -s ${s.replace(/^SIG/, "")}` : d.via }));
    const services = allProcs(root).filter((q) => q.alive && q.program && Object.entries(q.program.signals).some(([k, a]) => k === s && (a === "reload" || a === "reopen-logs")));
    const missed = services.filter((q) => !walk.received.has(q));
    const summary = missed.length
      ? `${s} stops at PID 1 (${name(root)}: ${walk.deliveries[0]!.action}); ${missed.map(name).join(", ")} never see${missed.length === 1 ? "s" : ""} it`
      : `${s} reaches ${handled.map((d) => bare(d.argv0)).join(", ") || "its handler"}`;
    out.push({ signal: s, deliveries, summary });
  }
  return out;
}

function reaps(root: Proc): boolean | null {
  if (root.shell) return true;
  if (root.role === "init" || root.role === "supervisor") return root.program?.reapsZombies ?? true;
  return root.program?.reapsZombies ?? null;
}

const programOf = (p: Proc): string | null => p.program?.name ?? (p.shellKind ? (p.shellKind === "sh-unknown" ? "sh" : p.shellKind) : null);

export function toNode(p: Proc, pidOf: (p: Proc) => number): ProcessNode {
  const node: ProcessNode = {
    pid: pidOf(p),
    argv: p.argv,
    program: programOf(p),
    role: p.shell || (p.shellKind && p.role === "shell") ? "shell" : p.role === "unknown" && p.background ? "helper" : p.role === "tool" && p.background ? "helper" : p.role,
    background: p.background,
    source: p.source,
    children: p.children.filter((c) => c.alive).sort((a, b) => a.id - b.id).map((c) => toNode(c, pidOf)),
  };
  if (p.app) node.app = p.app;
  const notes = [...new Set(p.notes)];
  if (notes.length) node.note = notes.join("; ");
  if (p.shell)
    node.shell = {
      state: p.shell.state,
      traps: [...p.shell.traps].map(([signal, t]) => ({ signal, handler: t.handler, file: t.file, line: t.line })),
    };
  return node;
}
