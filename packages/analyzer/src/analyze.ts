// analyze(): from the Dockerfile model to the prediction and the findings. Pure: it reads files only
// through the model's build-context view and runs nothing.
import type { DockerfileModel } from "@audit-image/dockerfile";
import { runRules, type RuleSettings } from "./rules/index.js";
import { startLine } from "./start-line.js";
import { predictScenario } from "./simulate.js";
import { startPid1 } from "./exec/start.js";
import { shellRunner } from "./shell/run.js";
import { DEFAULT_LIMITS, findProc, type Issue, type Limits, type Path, type World } from "./world.js";
import type { Finding, Prediction, Scenario, ScenarioPrediction } from "./types.js";

export interface AnalyzeOptions {
  /** Grace period of `docker stop` in seconds (10 for Docker and Compose, 30 for Kubernetes). */
  stopTimeout?: number;
  /** A stop signal that overrides STOPSIGNAL (`docker run --stop-signal`). */
  stopSignal?: string;
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

export function analyze(model: DockerfileModel, options: AnalyzeOptions = {}): Analysis {
  const grace = options.stopTimeout ?? 10;
  const config = model.config;
  const stopSignal = options.stopSignal ?? config?.stopSignal.value ?? "SIGTERM";
  const w: World = {
    model,
    binSh: model.target?.base.binSh ?? "unknown",
    limits: { ...DEFAULT_LIMITS, ...(options.limits ?? {}) },
    steps: 0,
    issues: [],
    notes: new Set(),
    truncated: null,
    parseCache: new Map(),
    becomeDepth: 0,
    nextId: 1,
    shell: shellRunner,
  };
  const argv = model.command?.argv ?? null;
  let scenarios: Scenario[] = [];
  let main: ScenarioPrediction;
  if (!argv || !config) {
    const reason = model.target ? "no command: neither ENTRYPOINT nor CMD is set" : "there is no stage to run";
    main = {
      lifecycle: { state: "fails", reason },
      processTree: null,
      stop: { signal: stopSignal, gracePeriod: grace, deliveries: [], outcome: "not-running", reason, exitCode: null },
      reloads: [],
      zombiesReaped: null,
    };
  } else {
    const line = startLine(model);
    const source = line !== null ? { file: model.file, line } : null;
    const env = new Map(Object.entries(config.env).map(([k, v]) => [k, v.value] as [string, string]));
    const paths = resolveHeld(foldContinuations(startPid1(w, argv, source, config.user.value, env)));
    const predicted = mergeScenarios(paths.map((p) => ({ p, s: predictScenario(w, p, stopSignal, grace) })));
    const ordered = orderScenarios(predicted);
    main = ordered[0]!.s;
    if (ordered.length > 1) scenarios = ordered.map(({ conds, s }) => ({ condition: conditionText(conds), ...s }));
  }
  const notes = [...w.notes];
  const prediction: Prediction = { ...main, scenarios, notes, truncated: w.truncated };
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
  const findings = runRules({ model, prediction, issues: w.issues, stopSignal, grace, locate }, options.rules);
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
function resolveHeld(paths: Path[]): Path[] {
  const running = (p: Path) => !p.failed && p.root.alive && (p.root.longRunning !== false || !!p.root.shell);
  const drop = new Set<Path>();
  for (const held of paths) {
    if (held.heldBy === undefined) continue;
    const goneOn = paths.filter((q) => q.assumedDone?.includes(held.heldBy!));
    if (goneOn.some(running)) drop.add(held);
    else for (const q of goneOn) drop.add(q);
  }
  return paths.filter((p) => !drop.has(p));
}

/** Paths that end in the same prediction are one scenario; their conditions are alternatives. */
function mergeScenarios(list: { p: Path; s: ScenarioPrediction }[]): { conds: string[][]; s: ScenarioPrediction }[] {
  const out = new Map<string, { conds: string[][]; s: ScenarioPrediction }>();
  for (const { p, s } of list) {
    const key = JSON.stringify([s.lifecycle.state, shape(s.processTree), s.stop.outcome, s.stop.deliveries.map((d) => [d.argv0, d.receives, d.action])]);
    const prev = out.get(key);
    if (prev) prev.conds.push(p.conds);
    else out.set(key, { conds: [p.conds], s });
  }
  return [...out.values()];
}

function shape(n: ScenarioPrediction["processTree"]): unknown {
  return n ? [n.argv, n.role, n.children.map(shape)] : null;
}

const RUNTIME_VALUE = /\bis set\b|is not empty|\bis "|\bmatches\b|\bexists\b|is a (file|directory)|is executable|is readable|is writable/;

/** The default scenario comes first: the one that assumes the fewest run-time settings. */
function orderScenarios<T extends { conds: string[][] }>(list: T[]): T[] {
  const score = (c: string[][]) => Math.min(...c.map((alt) => alt.filter((x) => RUNTIME_VALUE.test(x)).length));
  return [...list].sort((a, b) => score(a.conds) - score(b.conds));
}

function conditionText(alts: string[][]): string {
  const parts = alts.map((a) => a.join(" and ")).filter((x) => x !== "");
  if (parts.length === 0 || parts.length < alts.length) return "otherwise";
  return "when " + [...new Set(parts)].join(", or when ");
}
