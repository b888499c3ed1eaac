// The report: what `--format json` prints and what `audit()` returns. Its shape is described by
// schema/report.schema.json (bump REPORT_SCHEMA_VERSION when the shape changes) and docs/report-format.md.
import { originLine, type BinSh, type CommandPart, type Diagnostic, type DockerfileModel, type Origin } from "@audit-image/dockerfile";
import type { Analysis, Finding, Headline, Lifecycle, ProcessNode, Scenario, SignalWalk, StopPrediction } from "@audit-image/analyzer";

export const REPORT_SCHEMA_VERSION = "1.4.0";

export interface Inherited {
  from: "stage" | "base-image" | "base-config" | "default" | "unknown-base";
  image?: string;
  stage?: { index: number; name: string | null };
}

export interface CommandPartInfo {
  form: "exec" | "shell";
  /** The words Docker stores in the image config (shell form: SHELL followed by the text). */
  value: string[];
  /** Shell form only: the command string given to the shell. */
  text: string | null;
  /** The Dockerfile line that set it (in this stage, or in the parent stage when inherited from one). */
  line: number | null;
  /** null when set in the target stage; otherwise where it came from. */
  inherited: Inherited | null;
  /** The text looked like a JSON array but did not parse, so Docker used shell form. */
  jsonFallback: { error: string } | null;
}

export interface CmdInfo extends CommandPartInfo {
  /** An inherited CMD that ENTRYPOINT in the target stage reset to empty (it is not part of argv). */
  reset: boolean;
  /** A shell-form ENTRYPOINT receives the CMD words only as $0, $1… and ignores them. */
  ignored: boolean;
}

export interface Verification {
  image: string;
  engine: { version: string };
  observed: {
    pid1: string[] | null;
    tree: unknown;
    stop: { signal: string; seconds: number; exitCode: number | null; killed: boolean; outcome: string } | null;
    zombies: number;
  };
  agreement: { pid1: boolean | null; tree: boolean | null; stop: boolean | null; exitCode: boolean | null };
  agrees: boolean;
  notes: string[];
}

export interface Result {
  /** The Dockerfile, relative to the working directory ("<stdin>" for standard input). */
  file: string;
  /** The build context directory, relative to the working directory ("." for the working directory). */
  context: string;
  stage: { index: number; name: string | null; line: number } | null;
  baseImage: { ref: string; kind: "scratch" | "stage" | "catalog" | "user-config" | "unknown"; binSh: BinSh; root: string } | null;
  command: {
    argv: string[] | null;
    path: string | null;
    args: string[];
    entrypoint: CommandPartInfo | null;
    cmd: CmdInfo | null;
  };
  stopSignal: string | null;
  /** Where STOPSIGNAL came from: a line of the Dockerfile, or inherited (Docker's default is SIGTERM). */
  stopSignalFrom: { line: number | null; inherited: Inherited | null } | null;
  lifecycle: Lifecycle;
  processTree: ProcessNode | null;
  stop: StopPrediction;
  reloads: SignalWalk[];
  zombiesReaped: boolean | null;
  scenarios: Scenario[];
  /** With scenarios: which one is shown at the top (the run the image exists for), why, and its preconditions. Since 1.2.0. */
  headline?: Headline | null;
  findings: Finding[];
  /** Findings removed by `# audit-image ignore=` / `# hadolint ignore=` pragmas. */
  suppressed: number;
  diagnostics: Diagnostic[];
  notes: string[];
  truncated: { reason: string; file: string; line: number } | null;
  verification?: Verification;
}

export interface ReportError {
  file: string;
  line: number | null;
  message: string;
  /** not-found, unreadable, not-a-file, no-such-target, scan-truncated, internal-error, or the model diagnostic that made the file unparseable. */
  code: string;
}

export interface Report {
  schemaVersion: string;
  tool: { name: string; version: string };
  /** The config file that was loaded (relative to the working directory), "(options)" for a config object
   * given to the library, null for none. */
  config: string | null;
  results: Result[];
  errors: ReportError[];
}

export function inheritedOf(o: Origin): Inherited | null {
  switch (o.kind) {
    case "instruction":
      return null;
    case "stage":
      return { from: "stage", stage: { index: o.stage, name: o.stageName } };
    case "base-image":
    case "base-config":
    case "unknown-base":
      return { from: o.kind, image: o.image };
    default:
      return { from: "default" };
  }
}

function partInfo(p: CommandPart): CommandPartInfo {
  return {
    form: p.form,
    value: p.words,
    text: p.text,
    line: p.origin.kind === "instruction" || p.origin.kind === "stage" ? p.origin.line : null,
    inherited: inheritedOf(p.origin),
    jsonFallback: p.jsonFallback ? { error: p.jsonFallback.error } : null,
  };
}

export function buildResult(
  file: string,
  context: string,
  model: DockerfileModel,
  analysis: Analysis,
  findings: Finding[],
  suppressed: number,
): Result {
  const c = model.command;
  const cmdPart = c?.cmd ?? c?.resetCmd ?? null;
  const p = analysis.prediction;
  const st = model.target;
  return {
    file,
    context,
    stage: st ? { index: st.index, name: st.name, line: st.line } : null,
    baseImage: st ? { ref: st.base.ref, kind: st.base.kind, binSh: st.base.binSh, root: st.base.root } : null,
    command: {
      argv: c?.argv ?? null,
      path: c?.path ?? null,
      args: c?.args ?? [],
      entrypoint: c?.entrypoint ? partInfo(c.entrypoint) : null,
      cmd: cmdPart ? { ...partInfo(cmdPart), reset: !c?.cmd && !!c?.resetCmd, ignored: !!c?.cmdIgnored && !!c?.cmd } : null,
    },
    stopSignal: model.config?.stopSignal.value ?? null,
    stopSignalFrom: model.config
      ? { line: originLine(model.config.stopSignal.origin), inherited: inheritedOf(model.config.stopSignal.origin) }
      : null,
    lifecycle: p.lifecycle,
    processTree: p.processTree,
    stop: p.stop,
    reloads: p.reloads,
    zombiesReaped: p.zombiesReaped,
    scenarios: p.scenarios,
    headline: p.headline,
    findings,
    suppressed,
    diagnostics: model.diagnostics,
    notes: p.notes,
    truncated: p.truncated,
  };
}
