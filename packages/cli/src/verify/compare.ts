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
}
export interface ShapeNode {
  argv: string[];
  children: ShapeNode[];
}

export interface Agreement {
  pid1: boolean | null;
  tree: boolean | null;
  stop: boolean | null;
  exitCode: boolean | null;
  lifecycle: boolean | null;
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
  if (Array.isArray(t)) return { argv: t[0] as string[], children: ((t[2] as unknown[]) ?? []).map((c) => toShape(c)!) };
  const n = t as { argv: string[]; children?: unknown[] };
  return { argv: n.argv, children: (n.children ?? []).map((c) => toShape(c)!) };
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

export function compare(exp: Expectation, obs: Observation): Comparison {
  const notes: string[] = [];
  const running = obs.lifecycle === "runs";
  const predictedRuns = exp.lifecycle === "runs";
  const lifecycle: boolean | null = exp.lifecycle === "unknown" ? null : exp.lifecycle === obs.lifecycle;

  let pid1: boolean | null;
  let tree: boolean | null;
  if (!predictedRuns && !running) {
    pid1 = null; // nothing ran long enough to be seen
    tree = null;
  } else if (exp.tree === undefined) {
    pid1 = eqArgv(exp.pid1, running ? obs.pid1 : null);
    tree = null;
  } else if (exp.lifecycle === "unknown") {
    pid1 = running ? (exp.pid1 ? eqArgv(exp.pid1, obs.pid1) : null) : null;
    tree = running && exp.tree ? shapeKey(exp.tree) === shapeKey(obs.tree ? withoutZombies(obs.tree) : null) : null;
  } else {
    pid1 = eqArgv(exp.pid1, running ? obs.pid1 : null);
    tree = shapeKey(exp.tree) === shapeKey(running && obs.tree ? withoutZombies(obs.tree) : null);
  }

  const obsOutcome = obs.stop?.outcome ?? "not-running";
  // The analyzer has no "fails" outcome: a container that cannot start has nothing to stop.
  const normOutcome = obsOutcome === "fails" ? "not-running" : obsOutcome;
  let stop: boolean | null = exp.outcome === "unknown" ? null : exp.outcome === normOutcome;
  if (stop !== null && lifecycle === false) stop = false;
  if (lifecycle === false) notes.push(`lifecycle: predicted ${exp.lifecycle}, the container ${obs.lifecycle === "fails" ? "could not start" : obs.lifecycle === "exits" ? "exited by itself" : "kept running"}`);

  const exitCode: boolean | null = exp.exitCode === null ? null : exp.exitCode === obs.exitCode;

  const agreement: Agreement = { pid1, tree, stop, exitCode, lifecycle };
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
  return { agreement, agrees, rows, notes };
}
