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
}

export interface RuleInput {
  model: DockerfileModel;
  prediction: Prediction;
  issues: Issue[];
  stopSignal: string;
  grace: number;
  /** Where a line of a file in the image is in the repository: a context file, or a heredoc of the Dockerfile. */
  locate(imagePath: string, line: number): { file: string; line: number };
}

export type Report = Omit<Finding, "ruleId" | "severity" | "column"> & { severity?: Severity; column?: number };

export interface RuleContext extends RuleInput {
  report(f: Report): void;
  /** The Dockerfile line of the ENTRYPOINT (or CMD) that starts PID 1, when it is in this Dockerfile. */
  startLine(): number | null;
  /** Every process node of the default prediction and of each scenario. */
  trees(): { tree: ProcessNode; stop: Prediction["stop"]; condition: string | null }[];
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** Reports each interpreter issue of one kind where it is, pointing back at the line that starts PID 1. */
export function reportIssues(ctx: RuleContext, kind: Issue["kind"]): void {
  const start = ctx.startLine();
  for (const i of ctx.issues) {
    if (i.kind !== kind) continue;
    const at = ctx.locate(i.file, i.line);
    ctx.report({
      file: at.file,
      line: at.line,
      ...(i.column ? { column: i.column } : {}),
      message: i.message,
      related: start ? [{ file: ctx.model.file, line: start, message: "the container starts here" }] : [],
    });
  }
}

export function walkTree(n: ProcessNode | null, f: (n: ProcessNode, parent: ProcessNode | null) => void, parent: ProcessNode | null = null): void {
  if (!n) return;
  f(n, parent);
  for (const c of n.children) walkTree(c, f, n);
}

export { bare } from "../names.js";
