// analyze(): from the Dockerfile model to the prediction and the findings. Pure: it reads files only
// through the model's build-context view and runs nothing.
//
// Scenarios: each run-time path ends in a prediction; paths that end alike are one scenario. The headline
// (the first scenario, shown at the top) is the run the image exists for: a run that reaches a long-running
// service beats the others; among equals, the one that assumes the fewest run-time settings (a file present
// is one, except in a VOLUME, where a file absent is: the first run's; then: one that
// keeps running, one whose end is not known, one that exits, one that cannot start). When no run reaches a
// service, a run that keeps running leads before the number of settings is counted. When the headline
// reaches the service, the runs that exit or fail are its preconditions ("exits 1 when PASSWORD is empty
// or unset"). A path the interpreter lost track of (cut short, a script it could not read) has an
// unknown outcome, never a SIGKILL it cannot know about.
import type { DockerfileModel } from "@audit-image/dockerfile";
import { runRules, type RuleSettings } from "./rules/index.js";
import { startLine } from "./start-line.js";
import { predictScenario } from "./simulate.js";
import { startPid1 } from "./exec/start.js";
import { shellRunner } from "./shell/run.js";
import { bare } from "./names.js";
import { PRESENCE_TESTS, stableOpposite } from "./shell/test.js";
import { DEFAULT_LIMITS, findProc, type Issue, type Limits, type Path, type World } from "./world.js";
import type { Finding, Headline, Precondition, Prediction, ProcessNode, Scenario, ScenarioPrediction } from "./types.js";

export interface AnalyzeOptions {
  /** Grace period of `docker stop` in seconds (10 for Docker and Compose, 30 for Kubernetes). */
  stopTimeout?: number;
  /** A stop signal that overrides STOPSIGNAL (`docker run --stop-signal`). */
  stopSignal?: string;
  /**
   * Variables of the container's environment fixed for the analysis, as `docker run -e K=V` sets them
   * (over the image's ENV). A condition on them is decided, which picks the scenario.
   */
  env?: Record<string, string>;
  limits?: Partial<Limits>;
  rules?: RuleSettings;
  /** Prefix for build-context paths in findings (the context directory as the user names it). */
  contextPrefix?: string;
}

export interface Analysis {
  prediction: Prediction;
  findings: Finding[];
  /** Everything the interpreter noticed, for rules and tests. */
  issues: Issue[];
}

/** Scenarios shown by name in a condition before "and N more cases". */
const MAX_ALTERNATIVES = 4;

export function analyze(model: DockerfileModel, options: AnalyzeOptions = {}): Analysis {
  const d = model.deployment;
  // The grace period the deployment sets wins over the option (stop_grace_period, terminationGracePeriodSeconds).
  const total = d?.gracePeriod?.value ?? options.stopTimeout ?? 10;
  // A preStop hook runs first and its time counts against the grace period; the kubelet then gives the
  // signal at least 2 s (kubernetes.io, "Container hooks" and "Pod Lifecycle: Termination of Pods").
  const preStopSeconds = d?.preStop?.value.seconds ?? null;
  const grace = preStopSeconds !== null && preStopSeconds > 0 ? Math.max(total - preStopSeconds, 2) : total;
  const config = model.config;
  const stopSignal = options.stopSignal ?? config?.stopSignal.value ?? "SIGTERM";
  const w: World = {
    model,
    binSh: model.binSh,
    limits: { ...DEFAULT_LIMITS, ...(options.limits ?? {}) },
    steps: 0,
    valueBytes: 0,
    work: 0,
    line: 0,
    issues: [],
    notes: new Set(),
    truncated: model.truncated ? { ...model.truncated, file: model.file } : null,
    parseCache: new Map(),
    becomeDepth: 0,
    nextId: 1,
    shell: shellRunner,
    ...(d?.sharedPid?.value ? { sharedPid: true } : {}),
    ...(d?.tty?.value ? { stdin: "tty" as const } : d?.stdin?.value ? { stdin: "open" as const } : {}),
  };
  if (d?.sharedPid?.value) w.notes.add(`the pod shares one PID namespace (shareProcessNamespace): its pause process is PID 1, and ${bare(model.command?.argv?.[0] ?? "the command")} is not`);
  if (d?.init?.value) w.notes.add(`docker-init (tini) is PID 1 (${d.kind === "compose" ? "init: true" : "--init"}) and runs the command as its child`);
  const argv = model.command?.argv ?? null;
  let scenarios: Scenario[] = [];
  let headline: Headline | null = null;
  let conditionOf: ((scenarios: number[]) => string) | undefined;
  let main: ScenarioPrediction;
  const fixed = Object.entries(options.env ?? {});
  for (const e of model.effects)
    if (e.kind === "bin-sh-relinked")
      w.notes.add(e.binSh === "unknown"
        ? `a RUN at Dockerfile line ${e.line} changes /bin/sh in a way that is not followed: which shell it is, is not known`
        : `/bin/sh is ${e.binSh} in this image: the RUN at Dockerfile line ${e.line} relinks it (the base image's is ${model.target?.base.binSh ?? "unknown"})`);
  if (fixed.length) w.notes.add(`the container's environment has ${fixed.map(([k, v]) => `${k}=${v}`).join(", ")} (--env)`);
  if (!argv || !config) {
    const inherited = model.command?.unknownBase ?? null;
    const reason = inherited !== null
      ? `the command comes from the base image ${inherited}, which is not in the catalog: its ENTRYPOINT and CMD are not known (give them with --base-config)`
      : model.target ? "no command: neither ENTRYPOINT nor CMD is set" : "there is no stage to run";
    main = {
      lifecycle: { state: inherited !== null ? "unknown" : "fails", reason },
      processTree: null,
      stop: { signal: stopSignal, gracePeriod: grace, deliveries: [], outcome: inherited !== null ? "unknown" : "not-running", reason, exitCode: null },
      reloads: [],
      zombiesReaped: null,
    };
  } else {
    const line = startLine(model);
    const fromDeployment = [model.command?.entrypoint, model.command?.cmd].find((x) => x?.origin.kind === "deployment")?.origin;
    const source = fromDeployment?.kind === "deployment" ? { file: fromDeployment.file, line: fromDeployment.line ?? d?.line ?? 1 } : line !== null ? { file: model.file, line } : null;
    const env = new Map(Object.entries(config.env).map(([k, v]) => [k, v.unknown ? null : v.value] as [string, string | null]));
    for (const [k, v] of fixed) env.set(k, v);
    const paths = resolveHeld(foldContinuations(startPid1(w, argv, source, config.user.value, env)), w.unresolvedHolds ?? new Set());
    const predicted = mergeScenarios(paths.map((p) => ({ p, s: honest(w, p, predictScenario(w, p, stopSignal, grace)) })));
    const ordered = orderScenarios(predicted, w.truncated !== null, model.volumes ?? []);
    main = ordered[0]!.s;
    if (ordered.length > 1) {
      // "otherwise" is the scenario whose conditions were merged away; when several are, none is "otherwise".
      const open = ordered.filter((c) => c.conds.some((a) => a.length === 0)).length;
      const otherwise = open > 1 ? "in other cases" : "otherwise";
      scenarios = ordered.map(({ conds, s }) => ({ condition: conditionText(conds, otherwise), ...s }));
      headline = headlineOf(ordered, otherwise);
      conditionOf = (idx) => conditionText(simplify(idx.flatMap((i) => ordered[i]!.conds)), otherwise);
    }
  }
  if (d?.preStop || grace !== total) {
    // The stop as the deployment runs it: the whole grace period, and the preStop hook that eats into it.
    const withPreStop = (s: ScenarioPrediction): ScenarioPrediction => ({
      ...s,
      stop: { ...s.stop, gracePeriod: total, ...(d?.preStop ? { preStop: { ...d.preStop.value, signalAfter: preStopSeconds, killAfter: preStopSeconds === null ? null : preStopSeconds + grace } } : {}) },
    });
    main = withPreStop(main);
    scenarios = scenarios.map((s) => ({ ...s, ...withPreStop(s) }));
  }
  // The model may find it is partial while the interpreter reads the context (a .dockerignore's bound).
  if (!w.truncated && model.truncated) w.truncated = { ...model.truncated, file: model.file };
  const notes = [...w.notes];
  const prediction: Prediction = { ...main, scenarios, headline, notes, truncated: w.truncated };
  const prefix = options.contextPrefix ?? "";
  const locate = (imagePath: string, line: number) => {
    if (imagePath === model.file) return { file: model.file, line };
    const r = imagePath.startsWith("/") ? model.resolve(imagePath) : null;
    if (r?.kind === "context") {
      const src = r.file.source;
      if (src.kind === "context") return { file: prefix + src.path, line };
      if (src.kind === "heredoc") return { file: model.file, line: src.line + line - 1 };
    }
    return { file: imagePath, line };
  };
  // With a deployment, the image on its own too: the rules compare (what the deployment fixes, what it breaks).
  const image = model.deployment && model.image ? analyze(model.image, { ...options, stopTimeout: options.stopTimeout ?? 10 }) : null;
  const findings = runRules({ model, prediction, issues: w.issues, stopSignal, grace, locate, ...(conditionOf ? { conditionOf } : {}), ...(image ? { image: { findings: image.findings, prediction: image.prediction } } : {}) }, options.rules);
  return { prediction, findings, issues: w.issues };
}

/**
 * The continuations of interrupted waits (Path.resumeOf) are not runs of their own: each tells the waiting
 * shell of the other paths what its script does after a trap handler (ShellRun.afterTrap).
 */
function foldContinuations(paths: Path[]): Path[] {
  const runs = paths.filter((p) => !p.resumeOf);
  for (const c of paths) {
    if (!c.resumeOf) continue;
    const q = findProc(c, c.resumeOf.proc);
    const after = !q || !q.alive ? "exits" : !q.shell ? "execs" : q.shell.state === "loop" ? "mixed" : "waits";
    for (const r of runs) {
      const sh = findProc(r, c.resumeOf.proc)?.shell;
      if (!sh || sh.state !== "wait" || sh.line !== c.resumeOf.line) continue;
      sh.afterTrap = sh.afterTrap === undefined || sh.afterTrap === after ? after : "mixed";
    }
  }
  return runs;
}

/**
 * A foreground command in the middle of a script was followed both ways (shell/commands.ts foreground()):
 * held (the shell waits for it: it is the service) and returned (the script goes on). When some path that
 * takes it to return ends with something running, it was a step of the setup: the held path goes. When
 * none does (the script only exits after it), it was the service the shell waits for: those paths go.
 */
function resolveHeld(paths: Path[], unresolved: ReadonlySet<number>): Path[] {
  const running = (p: Path) => !p.failed && p.root.alive && (p.root.longRunning !== false || !!p.root.shell);
  // A shell whose script the analysis lost track of (cut short by a bound): where it goes is not known.
  const lost = (p: Path) => !!p.cut || (p.root.alive && (p.root.role === "shell" || p.root.shellKind !== null) && !p.root.shell);
  const drop = new Set<Path>();
  for (const held of paths) {
    if (held.heldBy === undefined) continue;
    const goneOn = paths.filter((q) => q.assumedDone?.includes(held.heldBy!));
    // That no run that went on reaches a service is only known when each was followed to its end: a run that
    // went on and was cut short, or dropped (past the bound on paths, or a loop state seen before), never
    // makes the held command the service (a one-shot `rails runner x.rb` or `java -jar installer.jar` taken
    // for it was a confident "killed").
    if (unresolved.has(held.heldBy) || goneOn.some((q) => running(q) || lost(q))) drop.add(held);
    else for (const q of goneOn) drop.add(q);
  }
  const kept = paths.filter((p) => !drop.has(p));
  // Holds nest (a shell held by its child, which is held by its own): when the analysis was cut short
  // between them, each way can drop the other. Never every run: then all of them are kept.
  return kept.length ? kept : paths;
}

/**
 * A path whose end is not known (the interpreter lost track: the analysis was cut short, a script could
 * not be read, its text is only known at run time) has an unknown outcome: what `docker stop` does to a
 * process tree nobody knows is not known either, and saying "SIGKILL after 10 s" would be a guess.
 */
function honest(w: World, p: Path, s: ScenarioPrediction): ScenarioPrediction {
  if (s.lifecycle.state !== "unknown") return s;
  const root = p.root;
  const lost = root.alive && (root.role === "shell" || root.shellKind !== null) && !root.shell;
  let reason = s.lifecycle.reason;
  if (lost) {
    const why = root.notes.find((n) => /does not parse|nests too deeply|only known at run time|not in the build context|could not be read|cut short|text is not known/.test(n));
    const who = bare(root.argv[0] ?? "the shell");
    if (why) reason = `${who}: ${why}`;
    else if (w.truncated) reason = `the analysis was cut short (${w.truncated.reason}) before ${who}'s script reached its end on this path`;
    else reason = `the analysis lost track of ${who}'s script on this path: it neither reached the service nor ended`;
  }
  const lifecycle = { ...s.lifecycle, reason };
  if (s.stop.outcome === "unknown" && !lost) return { ...s, lifecycle };
  return {
    ...s,
    lifecycle,
    stop: { ...s.stop, deliveries: lost ? [] : s.stop.deliveries, outcome: "unknown", reason: `what runs is not known (${reason}), so neither is what ${s.stop.signal} does`, exitCode: null },
    reloads: lost ? [] : s.reloads,
  };
}

interface Candidate {
  /** The conditions of each path that ends this way (alternatives). */
  conds: string[][];
  s: ScenarioPrediction;
}

/** Paths that end in the same prediction are one scenario; their conditions are alternatives. */
function mergeScenarios(list: { p: Path; s: ScenarioPrediction }[]): Candidate[] {
  const out = new Map<string, Candidate>();
  for (const { p, s } of list) {
    const key = JSON.stringify([s.lifecycle.state, s.lifecycle.exitCode ?? null, shape(s.processTree), s.stop.outcome, s.stop.deliveries.map((d) => [d.argv0, d.receives, d.action])]);
    const conds = [...new Set(p.conds)];
    const prev = out.get(key);
    if (prev) prev.conds.push(conds);
    else out.set(key, { conds: [conds], s });
  }
  for (const c of out.values()) c.conds = simplify(c.conds);
  return [...out.values()];
}

/**
 * The alternatives of a scenario, simplified by logic on stable conditions (a variable's value, which
 * cannot change during the run): "B and not B" never holds; "X, or not X and R" is "X, or R" (and so
 * "A and B, or A and not B" is "A", and "A, or not A and B" is "A, or B").
 */
export function simplify(alts: string[][]): string[][] {
  const contradicts = (a: string[]) => a.some((x) => {
    const o = stableOpposite(x);
    return o !== null && a.includes(o);
  });
  let out = alts.filter((a) => !contradicts(a));
  if (out.length === 0) out = alts;
  // (x and S) or (not x and R), with S within R: R already covers the part of "not x and R" that matters.
  const reduce = (): boolean => {
    for (let i = 0; i < out.length; i++) {
      for (let j = 0; j < out.length; j++) {
        if (i === j) continue;
        const a = out[i]!;
        const b = out[j]!;
        for (const x of b) {
          const o = stableOpposite(x);
          if (o === null || !a.includes(o)) continue;
          const r = a.filter((y) => y !== o);
          if (b.every((y) => y === x || r.includes(y))) {
            out[i] = r;
            return true;
          }
        }
      }
    }
    return false;
  };
  for (let n = 0; n < 1000; n++) {
    out = absorb(out);
    if (!reduce()) break;
  }
  return absorb(out);
}

/** "A, or A and B" is "A": an alternative that holds more conditions than another one adds nothing. */
function absorb(alts: string[][]): string[][] {
  const sets = alts.map((a) => new Set(a));
  const keep: string[][] = [];
  const seen = new Set<string>();
  alts.forEach((a, i) => {
    const key = [...sets[i]!].sort().join("\u0000");
    if (seen.has(key)) return;
    const wider = sets.some((other, j) => j !== i && other.size < sets[i]!.size && [...other].every((x) => sets[i]!.has(x)));
    if (wider) return;
    seen.add(key);
    keep.push(a);
  });
  return keep;
}

function shape(n: ScenarioPrediction["processTree"]): unknown {
  return n ? [n.argv, n.role, n.children.map(shape)] : null;
}

/** Conditions that assume a run-time setting (a variable set to something, a file present), rather than its absence. */
const RUNTIME_VALUE =
  /\bis set\b|is not empty|\bis "|\bmatches\b|\bexists\b|is a (regular file|directory|symbolic link|named pipe|socket|block device|character device)|is (executable|readable|writable)|is (more|less) than|is at (most|least)|sorts (before|after)|is the same as|is (newer|older) than|has the|is owned by/;

/** A file test on a path, in the words the conditions use (shell/test.ts): the path, and whether the file is there. */
const PRESENT = new Set(PRESENCE_TESTS.map(([yes]) => yes));
const FILE_STATE = new RegExp(`^(/\\S*) (${PRESENCE_TESTS.flat().join("|")})$`);

/**
 * Whether a condition is a run-time setting the run assumes. A file test holds when something put the file
 * there, so "exists" is the assumption and "does not exist" the default; in a directory the Dockerfile declares
 * a VOLUME, what an earlier run left stays for the next one, so there "exists" is the steady state and "does
 * not exist" the first run (a config the first start writes, an installer it runs once).
 */
function assumes(x: string, volumes: readonly string[]): boolean {
  const f = volumes.length ? FILE_STATE.exec(x) : null;
  if (f && volumes.some((v) => f[1] === v || f[1]!.startsWith(v === "/" ? v : v + "/"))) return !PRESENT.has(f[2]!);
  return RUNTIME_VALUE.test(x);
}

/** How many run-time settings the least demanding of the alternatives assumes. */
function assumptions(c: string[][], volumes: readonly string[] = []): number {
  return c.reduce((m, alt) => Math.min(m, alt.filter((x) => assumes(x, volumes)).length), Infinity);
}

const SERVICE_ROLES = new Set(["service", "supervisor"]);

function hasService(n: ProcessNode): boolean {
  return SERVICE_ROLES.has(n.role) || n.children.some(hasService);
}

/**
 * The run reaches a long-running service: a service of the catalog (or a supervisor) runs, or a program
 * the catalog does not know runs where the service goes: exec'd as PID 1, the child of an init or a
 * wrapper there, or the foreground command that a shell there waits for.
 */
export function reachesService(s: ScenarioPrediction): boolean {
  const t = s.processTree;
  if (s.lifecycle.state !== "runs" || !t) return false;
  if (hasService(t)) return true;
  // A node in the service's place: PID 1, or the foreground child of an init, a wrapper or a shell there.
  const where = (n: ProcessNode): boolean => {
    if (n.role === "unknown") return true;
    const fg = n.children.filter((c) => !c.background);
    return (n.role === "init" || n.role === "wrapper" || n.role === "shell") && fg.some(where);
  };
  return where(t);
}

/** After reaching the service, and assumptions: a run that keeps going, one not known, one that exits, one that cannot start. */
const STATE_ORDER: Record<string, number> = { runs: 0, unknown: 1, exits: 2, fails: 3 };

/**
 * The headline first (see the header); the others in the same order. When the analysis was cut short and
 * no run it followed reaches a service, the runs it dropped may well have: a run it lost track of leads
 * then, not one that exits (saying "the container exits" would be a guess).
 */
function orderScenarios<T extends Candidate>(list: T[], truncated = false, volumes: readonly string[] = []): T[] {
  const service = (c: Candidate) => (reachesService(c.s) ? 0 : 1);
  const state = (c: Candidate) => STATE_ORDER[c.s.lifecycle.state]!;
  const lost = (c: Candidate) => (c.s.lifecycle.state === "unknown" ? 0 : 1);
  const none = !list.some((c) => reachesService(c.s));
  const lostFirst = truncated && none;
  // When no run reaches a service, one that keeps running is nearer the image's purpose than one that exits.
  const stateFirst = (a: T, b: T) => (none ? state(a) - state(b) : 0);
  return [...list].sort(
    (a, b) => service(a) - service(b) || (lostFirst ? lost(a) - lost(b) : 0) || stateFirst(a, b) || assumptions(a.conds, volumes) - assumptions(b.conds, volumes) || state(a) - state(b),
  );
}

function serviceNames(n: ProcessNode | null, out: string[] = []): string[] {
  if (!n) return out;
  if (SERVICE_ROLES.has(n.role) || (n.role === "unknown" && !n.background)) out.push(bare(n.argv[0] ?? "?"));
  for (const c of n.children) serviceNames(c, out);
  return out;
}

function headlineOf(ordered: Candidate[], otherwise: string): Headline {
  const head = ordered[0]!;
  const service = reachesService(head.s);
  const peers = ordered.filter((c) => reachesService(c.s)).length;
  const names = [...new Set(serviceNames(head.s.processTree))].join(", ");
  const what = names ? `the long-running service (${names})` : "the service";
  let reason: string;
  if (service) reason = peers === 1 ? `the only run that reaches ${what}` : `of the ${peers} runs that reach a service, the one that assumes the fewest run-time settings`;
  else if (head.s.lifecycle.state === "runs" && ordered.some((c) => c.s.lifecycle.state !== "runs"))
    reason = "no run is known to reach a service; this one keeps running, and of those it assumes the fewest run-time settings";
  else reason = "no run is known to reach a service; this one assumes the fewest run-time settings";
  const preconditions: Precondition[] = [];
  if (service) {
    // Conditions every alternative of the headline holds go without saying in its preconditions.
    const shared = head.conds.length ? head.conds.slice(1).reduce((acc, alt) => acc.filter((x) => alt.includes(x)), head.conds[0]!) : [];
    ordered.forEach((c, i) => {
      const state = c.s.lifecycle.state;
      // A service that daemonizes is a bug of its own (service-daemonizes), not a condition of the headline.
      if (i === 0 || (state !== "exits" && state !== "fails") || /daemonizes/.test(c.s.lifecycle.reason)) return;
      const own = c.conds.map((alt) => alt.filter((x) => !shared.includes(x)));
      const condition = conditionText(own.some((a) => a.length === 0) ? c.conds : own, otherwise);
      const exitCode = c.s.lifecycle.exitCode ?? null;
      const verb = state === "fails" ? "cannot start" : exitCode ? `exits ${exitCode}` : "exits";
      preconditions.push({ scenario: i, outcome: state, exitCode, condition, text: `${verb} ${condition}` });
    });
  }
  return { scenario: 0, reason, preconditions };
}

/** The conditions of a scenario in words: "when A and B", "when A, and either B or C and D", "otherwise". */
export function conditionText(alts: string[][], otherwise = "otherwise"): string {
  const parts = alts.filter((a) => a.length);
  if (parts.length === 0 || parts.length < alts.length) return otherwise;
  if (parts.length === 1) return "when " + unwrap(parts[0]!).join(" and ");
  // What every alternative holds is said once.
  const common = parts[0]!.filter((x) => parts.every((a) => a.includes(x)));
  const rests = parts.map((a) => a.filter((x) => !common.includes(x)));
  const shown = rests.slice(0, MAX_ALTERNATIVES).map((r) => (r.length === 0 ? null : r.length === 1 ? unwrap(r)[0]! : `(${r.join(" and ")})`));
  const more = rests.length - shown.length;
  const tail = more > 0 ? `, or in ${more} more case${more === 1 ? "" : "s"}` : "";
  if (shown.some((x) => x === null)) return common.length ? "when " + unwrap(common).join(" and ") : otherwise;
  const either = shown.join(" or ") + tail;
  if (!common.length) return "when " + (rests.every((r) => r.length === 1) ? shown.join(", or when ") + tail : either);
  return `when ${common.join(" and ")}, and either ${either}`;
}

/** A single condition needs no parentheses of its own. */
function unwrap(conds: string[]): string[] {
  if (conds.length !== 1) return conds;
  const c = conds[0]!;
  if (!c.startsWith("(") || !c.endsWith(")")) return conds;
  let depth = 0;
  for (let i = 0; i < c.length; i++) {
    if (c[i] === "(") depth++;
    else if (c[i] === ")") depth--;
    if (depth === 0 && i < c.length - 1) return conds;
  }
  return [c.slice(1, -1)];
}
