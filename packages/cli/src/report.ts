// The report: what `--format json` prints and what `audit()` returns. Its shape is described by
// schema/report.schema.json (bump REPORT_SCHEMA_VERSION when the shape changes) and docs/report-format.md.
import { originLine, type BinSh, type CommandPart, type Diagnostic, type DockerfileModel, type Origin } from "@audit-image/dockerfile";
import type { Analysis, Finding, Headline, Lifecycle, ProcessNode, Scenario, SignalWalk, StopPrediction } from "@audit-image/analyzer";
import { allRuleMeta } from "./rules-meta.js";
import { aliasTool } from "./suppress.js";

export const REPORT_SCHEMA_VERSION = "1.4.0";

/** The names other linters give a rule (since 1.4.0): hadolint's DLnnnn, BuildKit's check names, ShellCheck's SCnnnn. */
export interface RuleAliases {
  hadolint?: string[];
  buildkit?: string[];
  shellcheck?: string[];
}

/** A finding of the report: the analyzer's, with the rule's aliases when it has any (since 1.4.0). */
export type ReportFinding = Finding & { aliases?: RuleAliases };

let aliasesById: Map<string, RuleAliases> | null = null;
/** The aliases of a rule by tool, or undefined when it has none. */
export function ruleAliases(ruleId: string): RuleAliases | undefined {
  if (!aliasesById) {
    aliasesById = new Map();
    for (const m of allRuleMeta()) {
      if (!m.aliases.length) continue;
      const g: RuleAliases = {};
      for (const a of m.aliases) (g[aliasTool(a)] ??= []).push(a);
      aliasesById.set(m.id, g);
    }
  }
  return aliasesById.get(ruleId);
}

/** Where the container runs, when it is not a plain `docker run IMAGE`. Since 1.4.0. */
export interface DeploymentInfo {
  kind: "docker-run" | "compose" | "kubernetes";
  /** The Compose file or manifest ("<command line>" for docker run flags). */
  file: string;
  service?: string;
  workload?: string;
  container?: string;
  /** The line of `file` that names the service or container. */
  line?: number | null;
  init?: boolean;
  tty?: boolean;
  stdin?: boolean;
  sharedPid?: boolean;
}

export interface Inherited {
  from: "stage" | "base-image" | "base-config" | "default" | "unknown-base" | "deployment";
  image?: string;
  /** from "deployment": the manifest ("<command line>" for docker run flags) and its line. Since 1.4.0. */
  file?: string;
  line?: number | null;
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
    /** "kernel" when traced through tracefs, else "off" or why not. */
    tracer?: string;
    /** The kernel's per-process timeline (schema: verification.observed.timeline). */
    timeline?: unknown;
    logsCut?: boolean;
  };
  agreement: { pid1: boolean | null; tree: boolean | null; stop: boolean | null; exitCode: boolean | null; receivers?: boolean | null };
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
  findings: ReportFinding[];
  /** Findings removed by `# audit-image ignore=` / `# hadolint ignore=` pragmas. */
  suppressed: number;
  diagnostics: Diagnostic[];
  notes: string[];
  truncated: { reason: string; file: string; line: number } | null;
  verification?: Verification;
  /** Where the container runs (docker run flags, a Compose service, a Kubernetes container); absent for a plain Dockerfile. Since 1.4.0. */
  deployment?: DeploymentInfo;
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
    case "deployment":
      return { from: "deployment", file: o.file, line: o.line };
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
    findings: findings.map((f) => {
      const aliases = ruleAliases(f.ruleId);
      return aliases ? { ...f, aliases } : f;
    }),
    suppressed,
    diagnostics: model.diagnostics,
    notes: p.notes,
    truncated: p.truncated,
    ...(model.deployment ? { deployment: deploymentInfo(model.deployment) } : {}),
  };
}

function deploymentInfo(d: NonNullable<DockerfileModel["deployment"]>): DeploymentInfo {
  const out: DeploymentInfo = { kind: d.kind, file: d.file };
  if (d.service !== undefined) out.service = d.service;
  if (d.workload !== undefined) out.workload = d.workload;
  if (d.container !== undefined) out.container = d.container;
  if (d.line !== undefined) out.line = d.line;
  if (d.init) out.init = d.init.value;
  if (d.tty) out.tty = d.tty.value;
  if (d.stdin) out.stdin = d.stdin.value;
  if (d.sharedPid) out.sharedPid = d.sharedPid.value;
  return out;
}
