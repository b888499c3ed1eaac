// What a rule is: metadata (checked against rules/rule-meta.schema.json by the tests) and a check that
// turns the model and the prediction into findings. One rule per module, its doc in docs/rules/<id>.md.
import type { DockerfileModel } from "@audit-image/dockerfile";
import type { Issue } from "../world.js";
import type { Finding, Prediction, ProcessNode, Severity } from "../types.js";

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  /** Why it matters: what the user sees at `docker stop`. */
  rationale: string;
  /** How to fix it, in one sentence. */
  fix: string;
  /** The same check in other tools (hadolint DLxxxx, BuildKit check names). */
  aliases: string[];
  /**
   * The rule's sentences by message id, as ESLint's `meta.messages`: `{{name}}` is replaced by the
   * report's `data.name`. A finding's wording lives here, never in the engine.
   */
  messages: Record<string, string>;
}

export interface RuleInput {
  model: DockerfileModel;
  prediction: Prediction;
  issues: Issue[];
  stopSignal: string;
  grace: number;
  /** Where a line of a file in the image is in the repository: a context file, or a heredoc of the Dockerfile. */
  locate(imagePath: string, line: number): { file: string; line: number };
  /** The condition, in words, under which one of these scenarios happens (their conditions joined and simplified). */
  conditionOf?(scenarios: number[]): string;
  /**
   * With a deployment (model.deployment): the findings of the image on its own, as a bare `docker run IMAGE`
   * runs it, and its prediction, so that a rule can say what the deployment changes.
   */
  image?: { findings: Finding[]; prediction: Prediction };
}

/** What a rule reports: a message of its `meta.messages` with its data, and where. */
export type Report = Omit<Finding, "ruleId" | "severity" | "column" | "message" | "messageId" | "scenarios"> & {
  messageId: string;
  data?: Record<string, string | number>;
  severity?: Severity;
  column?: number;
  /**
   * The scenario (an index of `prediction.scenarios`, as `trees()` gives it) the finding is about: the
   * same finding of several scenarios is reported once, its `{{when}}` naming them all.
   */
  scenario?: number | null;
};

export interface RuleContext extends RuleInput {
  report(f: Report): void;
  /** The Dockerfile line of the ENTRYPOINT (or CMD) that starts PID 1, when it is in this Dockerfile. */
  startLine(): number | null;
  /** The findings the rules before this one reported (the registry runs fixed-by-deployment last). */
  findingsSoFar(): readonly Finding[];
  /** Every process node of the default prediction and of each scenario. */
  trees(): { tree: ProcessNode; stop: Prediction["stop"]; condition: string | null; scenario: number | null }[];
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** `{{name}}` in a message template, replaced by data.name; a name without data is a bug of the rule. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, k: string) => {
    if (!Object.prototype.hasOwnProperty.call(data, k)) throw new Error(`the message "${template}" needs data "${k}"`);
    return String(data[k]);
  });
}

/** The interpreter's facts of one kind, typed by their kind. */
export function issuesOf<K extends Issue["kind"]>(ctx: RuleInput, kind: K): Extract<Issue, { kind: K }>[] {
  return ctx.issues.filter((i): i is Extract<Issue, { kind: K }> => i.kind === kind);
}

/** The scenario of a finding, as `{{when}}` data: " (when X is set)", or nothing for the only scenario. */
export function when(condition: string | null): { when: string } {
  return { when: condition ? ` (${condition})` : "" };
}

/** A related location pointing at the Dockerfile line that starts PID 1 (none when it is not in this file). */
export function startsHere(ctx: RuleContext, message = "the container starts here"): { file: string; line: number; message: string }[] {
  const start = ctx.startLine();
  return start ? [{ file: ctx.model.file, line: start, message }] : [];
}

/**
 * Where a setting of the deployment is written (the manifest's line, or the service's / container's line
 * when the setting has none), for findings the deployment causes. Null without a deployment.
 */
export function deploymentPlace(ctx: RuleInput, setting?: { line: number | null; file?: string } | undefined): { file: string; line: number } | null {
  const d = ctx.model.deployment;
  if (!d) return null;
  return { file: setting?.file ?? d.file, line: setting?.line ?? d.line ?? 1 };
}

/** The deployment's setting in its own words: "init: true" (Compose), "--init" (docker run), "shareProcessNamespace: true" (Kubernetes). */
export function settingName(ctx: RuleInput, compose: string, k8s: string, run: string): string {
  const k = ctx.model.deployment?.kind;
  return k === "compose" ? compose : k === "kubernetes" ? k8s : run;
}

export function walkTree(n: ProcessNode | null, f: (n: ProcessNode, parent: ProcessNode | null) => void, parent: ProcessNode | null = null): void {
  if (!n) return;
  f(n, parent);
  for (const c of n.children) walkTree(c, f, n);
}

export { bare } from "../names.js";
