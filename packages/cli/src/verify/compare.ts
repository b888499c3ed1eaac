// Prediction versus observation, field by field.
import { shapeKey, withoutZombies, type Observation, type ObsNode } from "./engine.js";

/** What is compared: from the analyzer's Prediction, or from a fixture's committed expected.json summary. */
export interface Expectation {
  lifecycle: string;
  /** PID 1's argv; null when no process is predicted. */
  pid1: string[] | null;
  /** Absent: the tree is not compared (only PID 1 is). */
  tree?: ShapeNode | null;
  outcome: string;
  exitCode: number | null;
  stopSignal: string | null;
  /** The programs predicted to receive the stop signal (argv[0]s of deliveries with receives); absent: not compared. */
  receivers?: string[];
  /**
   * Programs the prediction says ignore the stop signal: left out on both sides, since "ignore" may be SIG_IGN
   * (the kernel discards the signal when it is sent) or a handler that does nothing with it (delivered, caught).
   */
  receiversIgnoring?: string[];
  /**
   * Programs the prediction says end with their writers (a process substitution's or a pipeline's reader: end of
   * file when the processes writing to it exit), which the kernel may SIGKILL as PID 1 exits before they see it.
   */
  readers?: string[];
}
export interface ShapeNode {
  argv: string[];
  children: ShapeNode[];
  /** The analyzer's role of the process (service, shell, tool…), when known. */
  role?: string;
}

export interface Agreement {
  pid1: boolean | null;
  tree: boolean | null;
  stop: boolean | null;
  exitCode: boolean | null;
  lifecycle: boolean | null;
  /** Who received the stop signal (kernel trace only). */
  receivers?: boolean | null;
}

export interface Row {
  field: string;
  predicted: string;
  observed: string;
  agrees: boolean | null;
}

export interface Comparison {
  agreement: Agreement;
  agrees: boolean;
  rows: Row[];
  notes: string[];
}

/** From `[argv, role, children]` (expected.json) or a ProcessNode-like `{argv, children}`. */
export function toShape(t: unknown): ShapeNode | null {
  if (!t) return null;
  if (Array.isArray(t)) return { argv: t[0] as string[], children: ((t[2] as unknown[]) ?? []).map((c) => toShape(c)!), ...(typeof t[1] === "string" ? { role: t[1] } : {}) };
  const n = t as { argv: string[]; children?: unknown[]; role?: string };
  return { argv: n.argv, children: (n.children ?? []).map((c) => toShape(c)!), ...(typeof n.role === "string" ? { role: n.role } : {}) };
}

export function showArgv(a: string[] | null): string {
  return a ? JSON.stringify(a) : "—";
}
export function showTree(n: ShapeNode | ObsNode | null, indent = ""): string[] {
  if (!n) return [indent + "—"];
  const z = (n as ObsNode).zombie ? " <defunct>" : "";
  return [indent + n.argv.join(" ") + z, ...n.children.flatMap((c) => showTree(c, indent + "  "))];
}

const eqArgv = (a: string[] | null, b: string[] | null) => JSON.stringify(a) === JSON.stringify(b);
const base = (p: string) => p.slice(p.lastIndexOf("/") + 1);

/**
 * Whether an observed process is the predicted one. /proc shows what a process made of its argv, so beside
 * an exact match:
 * - a script run through its #! line shows as [interpreter, (option), script path, args…]: it matches a
 *   predicted [script, args…] when the script's name and the arguments agree;
 * - a process that retitled itself (nginx's `nginx: master process …`, redis's `redis-server *:6379`) matches
 *   when the program it exec'd (the kernel trace; else /proc/PID/exe) is the predicted program and its title
 *   starts with that name: its arguments cannot be read back, so they are not compared (`how` says so).
 */
export function argvMatch(pred: string[] | null, node: { argv: string[]; program?: string; exe?: string | null } | null): { ok: boolean; how: "exact" | "interpreter" | "title" | null } {
  if (!pred || !node) return { ok: pred === null && node === null, how: pred === null && node === null ? "exact" : null };
  // a title set from inside (node's process.title: npm retitles itself "npm start") leaves the rest of the old
  // argv area as empty strings
  let o = node.argv;
  while (o.length > 1 && o[o.length - 1] === "") o = o.slice(0, -1);
  if (eqArgv(pred, o)) return { ok: true, how: "exact" };
  if (pred.length === 0) return { ok: false, how: null };
  const name = base(pred[0]!);
  // the same program named through PATH instead of by its path (npm 9 spawns `sh -c …`, newer npm `/bin/sh -c …`)
  if (o.length > 0 && base(o[0]!) === name && (o[0] === name || pred[0] === name) && eqArgv(pred.slice(1), o.slice(1)) && (node.program === undefined || base(node.program) === name))
    return { ok: true, how: "exact" };
  for (const k of [1, 2]) {
    if (o.length < k + 1 || (k === 2 && !o[1]!.startsWith("-"))) continue;
    // the program exec'd is the script, or (a `#!/usr/bin/env python3` line: env execs it in turn) the interpreter
    if (base(o[k]!) === name && eqArgv(pred.slice(1), o.slice(k + 1)) && (node.program === undefined || base(node.program) === name || base(node.program) === base(o[0]!))) return { ok: true, how: "interpreter" };
  }
  // a title that is the predicted command line itself (npm sets process.title to "npm start")
  if (o.length === 1 && pred.length > 1 && o[0] === pred.join(" ")) return { ok: true, how: "title" };
  // a program without a path is the trace's fallback to the process's own name: its exec was not seen
  const program = node.program?.includes("/") ? base(node.program) : null;
  const exe = node.exe ?? null;
  const first = (o[0] ?? "").split(/\s/)[0]!.replace(/:$/, "");
  const titled = o.length === 1 ? o[0] !== pred[0] : !eqArgv(o, pred);
  // the title's first word may be the program's family name without the version Debian puts in the binary's name
  // (php-fpm8.2 retitles itself "php-fpm: master process …"): the exec'd program still has to be the predicted one
  const family = base(first).length >= 3 && name.startsWith(base(first)) && /^[0-9.]+$/.test(name.slice(base(first).length));
  if (titled && (program === name || (program === null && exe !== null && exe === name)) && (base(first) === name || first === pred[0] || family)) return { ok: true, how: "title" };
  // its exec not seen, a single title that names the predicted program (redis-server's "redis-server *:6379",
  // whose binary Debian installs as redis-check-rdb) is taken for it
  if (titled && program === null && o.length === 1 && base(first) === name) return { ok: true, how: "title" };
  return { ok: false, how: null };
}

type ONode = ShapeNode & { zombie?: boolean; program?: string; exe?: string | null; worker?: boolean; pid?: number; hostPid?: number };

/** Whether the observed tree is the predicted one: processes matched with argvMatch, a service's own workers folded in. */
export function treeMatch(pred: ShapeNode | null, obs: ONode | null, notes: string[], pairs: [ONode, ShapeNode][] = []): boolean {
  if (!pred || !obs) return pred === obs;
  const m = argvMatch(pred.argv, obs);
  if (!m.ok) return false;
  const kids = obs.children.filter((c) => !(c as ONode).zombie) as ONode[];
  // match predicted children to distinct observed ones (small lists: try in order, backtrack)
  const used = new Set<number>();
  const local: string[] = [];
  const localPairs: [ONode, ShapeNode][] = [];
  const assign = (i: number): boolean => {
    if (i === pred.children.length) return true;
    for (let j = 0; j < kids.length; j++) {
      if (used.has(j)) continue;
      const sub: string[] = [];
      const subPairs: [ONode, ShapeNode][] = [];
      if (!treeMatch(pred.children[i]!, kids[j]!, sub, subPairs)) continue;
      used.add(j);
      if (assign(i + 1)) {
        local.push(...sub);
        localPairs.push(...subPairs);
        return true;
      }
      used.delete(j);
    }
    return false;
  };
  if (!assign(0)) return false;
  const rest = kids.filter((_, j) => !used.has(j));
  // a leftover child is a worker of this service when the kernel saw it forked without an exec, or (without a
  // trace) it runs the same executable as its parent, which is not a shell
  const isWorker = (c: ONode) => c.worker === true || (c.worker === undefined && !!c.exe && c.exe === obs.exe && !/^(?:sh|dash|bash|ash|busybox|mksh|zsh|ksh)$/.test(c.exe) && c.children.length === 0);
  if (!rest.every(isWorker)) return false;
  if (m.how === "title") notes.push(`${base(pred.argv[0]!)} (pid ${obs.pid ?? "?"}) retitled itself "${obs.argv.join(" ")}": matched by the program it exec'd${obs.program ? ` (${obs.program})` : ""}, its arguments not compared`);
  if (m.how === "interpreter") notes.push(`${base(pred.argv[0]!)} (pid ${obs.pid ?? "?"}) runs through its #! interpreter (${obs.argv[0]})`);
  if (rest.length) notes.push(`${base(pred.argv[0]!)} (pid ${obs.pid ?? "?"}) forked ${rest.length} worker${rest.length === 1 ? "" : "s"} of its own (${rest.map((c) => `pid ${c.pid ?? "?"}`).join(", ")}): folded into it`);
  notes.push(...local);
  pairs.push([obs, pred], ...localPairs);
  return true;
}

export function compare(exp: Expectation, obs: Observation): Comparison {
  const notes: string[] = [];
  const running = obs.lifecycle === "runs";
  const predictedRuns = exp.lifecycle === "runs";
  const lifecycle: boolean | null = exp.lifecycle === "unknown" ? null : exp.lifecycle === obs.lifecycle;

  let pid1: boolean | null;
  let tree: boolean | null;
  const root = running ? obs.tree : null;
  const p1 = (p: string[] | null) => (root ? argvMatch(p, root).ok : eqArgv(p, running ? obs.pid1 : null));
  const treeNotes: string[] = [];
  const pairs: [ONode, ShapeNode][] = [];
  const tm = (t: ShapeNode | null) => (root ? treeMatch(t, withoutZombies(root), treeNotes, pairs) : t === null);
  if (!predictedRuns && !running) {
    pid1 = null; // nothing ran long enough to be seen
    tree = null;
  } else if (exp.tree === undefined) {
    pid1 = p1(exp.pid1);
    tree = null;
  } else if (exp.lifecycle === "unknown") {
    pid1 = running ? (exp.pid1 ? p1(exp.pid1) : null) : null;
    tree = running && exp.tree ? tm(exp.tree) : null;
  } else {
    pid1 = p1(exp.pid1);
    tree = tm(exp.tree);
  }
  if (tree) notes.push(...treeNotes);
  void shapeKey;

  let obsOutcome = obs.stop?.outcome ?? "not-running";
  // The prediction counts a process that the kernel SIGKILLs when PID 1 exits only when it is long-running
  // (simulate.ts predictStop: a tool is not a service cut short). The same definition on the observed side:
  // the traced processes killed so, matched with predicted tools, do not make the stop abrupt.
  if (obsOutcome === "abrupt" && obs.timeline && tree) {
    const cut = obs.timeline.processes.filter((p) => p.exit?.signal === "SIGKILL" && /when PID 1 exited/.test(p.exit.by ?? "") && (p.startedAt === null || p.startedAt <= 0));
    const roleOf = (h: number) => pairs.find(([o]) => o.hostPid === h)?.[1].role;
    const readers = new Set((exp.readers ?? []).map(base));
    const tools = cut.filter((p) => roleOf(p.hostPid) === "tool" || readers.has(base(p.program)));
    if (cut.length && tools.length === cut.length) {
      obsOutcome = "graceful";
      notes.push(`the kernel SIGKILLed ${tools.map((p) => `${base(p.program)} (pid ${p.pid ?? "?"})`).join(", ")} when PID 1 exited; the prediction counts ${tools.length === 1 ? "it" : "them"} as a tool or a reader of PID 1's output that ends with it, not a service cut short, so the stop is graceful by its definition`);
    }
  }
  // The analyzer has no "fails" outcome: a container that cannot start has nothing to stop.
  const normOutcome = obsOutcome === "fails" ? "not-running" : obsOutcome;
  let stop: boolean | null = exp.outcome === "unknown" || normOutcome === "unknown" ? null : exp.outcome === normOutcome;
  if (stop !== null && lifecycle === false) stop = false;
  if (lifecycle === false) notes.push(`lifecycle: predicted ${exp.lifecycle}, the container ${obs.lifecycle === "fails" ? "could not start" : obs.lifecycle === "exits" ? "exited by itself" : "kept running"}`);

  const exitCode: boolean | null = exp.exitCode === null ? null : exp.exitCode === obs.exitCode;

  // who received the stop signal: only with the kernel's timeline, only when the container ran and stopped
  let receivers: boolean | null = null;
  const tl = obs.timeline;
  let obsReceivers = "—";
  // not when the prediction does not know how the stop ends: its deliveries are then guesses
  if (tl && exp.receivers && exp.outcome !== "unknown" && running && obs.stop && normOutcome !== "unknown") {
    // an observed receiver is named as the prediction names the process it was matched with (a script is
    // predicted as [interpreter, script]), else by the program it exec'd
    const predName = (hostPid: number) => {
      const pr = tree ? pairs.find(([o]) => (o as ONode & { hostPid?: number }).hostPid === hostPid) : undefined;
      return pr ? pr[1].argv[0] : undefined;
    };
    const ignoring = new Set((exp.receiversIgnoring ?? []).map(base));
    const seen = [...new Set(tl.receivers.map((r) => base(predName(r.hostPid) ?? r.program)))].filter((n) => !ignoring.has(n)).sort();
    const want = [...new Set(exp.receivers.map(base))].filter((n) => !ignoring.has(n)).sort();
    // a predicted receiver matches the program it exec'd or its #! script (both are names here)
    receivers = JSON.stringify(seen) === JSON.stringify(want);
    obsReceivers = tl.receivers.length ? tl.receivers.map((r) => `${base(predName(r.hostPid) ?? r.program)} (pid ${r.pid ?? "?"})`).join(", ") : "none";
  }
  const agreement: Agreement = { pid1, tree, stop, exitCode, lifecycle, ...(receivers !== null ? { receivers } : {}) };
  const agrees = Object.values(agreement).every((v) => v !== false);
  const rows: Row[] = [
    { field: "PID 1", predicted: showArgv(exp.pid1), observed: showArgv(running ? obs.pid1 : null), agrees: pid1 },
    { field: "tree", predicted: exp.tree === undefined ? "(not compared)" : showTree(exp.tree).join("\n"), observed: showTree(running ? obs.tree : null).join("\n"), agrees: tree },
    { field: "lifecycle", predicted: exp.lifecycle, observed: obs.lifecycle + (obs.runError ? ` (${obs.runError})` : ""), agrees: lifecycle },
    {
      field: "stop",
      predicted: exp.outcome,
      observed: obs.stop && obs.lifecycle === "runs" ? `${obsOutcome} (${obs.stop.signal}, ${obs.stop.seconds.toFixed(2)} s${obs.stop.killed ? ", SIGKILL" : ""})` : obsOutcome,
      agrees: stop,
    },
    { field: "exit code", predicted: exp.exitCode === null ? "—" : String(exp.exitCode), observed: obs.exitCode === null ? "—" : String(obs.exitCode), agrees: exitCode },
  ];
  if (receivers !== null) rows.push({ field: "received", predicted: exp.receivers!.length ? exp.receivers!.map(base).join(", ") : "none", observed: obsReceivers, agrees: receivers });
  return { agreement, agrees, rows, notes };
}
