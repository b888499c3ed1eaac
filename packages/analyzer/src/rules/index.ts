// The rule registry and the runner: severities can be overridden and rules turned off (config file,
// inline pragmas are applied by the caller on the findings).
import { startLine } from "../start-line.js";
import type { Finding, Severity } from "../types.js";
import { formatMessage, type Rule, type RuleContext, type RuleInput, type RuleMeta } from "./rule.js";
import { allRules } from "./all.js";

export type { Rule, RuleMeta, RuleContext, RuleInput } from "./rule.js";
export { allRules };

export interface RuleSettings {
  /** Rule id → severity, or "off". */
  overrides?: Record<string, Severity | "off">;
}

/** The id the runner reports a rule that throws under (a bug of the rule, never of the input). */
export const INTERNAL_ERROR_META: RuleMeta = {
  id: "internal-error",
  title: "A rule failed while checking this Dockerfile",
  severity: "warning",
  rationale: "audit-image could not complete one of its checks; the report may miss a finding.",
  fix: "Report the problem with the Dockerfile that triggers it.",
  aliases: [],
  messages: { ruleFailed: "rule {{rule}} failed: {{error}}" },
};

export function runRules(input: RuleInput, settings: RuleSettings = {}): Finding[] {
  const findings: Finding[] = [];
  // One finding per rule, place and message, whatever the scenarios it holds in: its `when` names them.
  const byKey = new Map<string, { finding: Finding; template: string; data: Record<string, string | number>; scenarios: number[]; overridden: boolean }>();
  let current: Rule = allRules[0]!;
  let override: Severity | undefined;
  let trees: ReturnType<RuleContext["trees"]> | null = null;
  const ctx: RuleContext = {
    ...input,
    report({ messageId, data, file, line, scenario, ...f }) {
      const template = current.meta.messages[messageId];
      if (template === undefined) throw new Error(`rule ${current.meta.id} has no message "${messageId}"`);
      const message = formatMessage(template, data);
      const finding = { file, line, message, ...f, ruleId: current.meta.id, messageId, severity: override ?? f.severity ?? current.meta.severity, column: f.column ?? 1 } as Finding;
      const { when: _when, ...rest } = data ?? {};
      const key = `${finding.ruleId}\u0000${finding.file}\u0000${finding.line}\u0000${scenario == null ? message : `${messageId}\u0000${JSON.stringify(rest)}`}`;
      const prev = byKey.get(key);
      if (prev) {
        if (scenario != null && !prev.scenarios.includes(scenario)) prev.scenarios.push(scenario);
        return;
      }
      byKey.set(key, { finding, template, data: data ?? {}, scenarios: scenario == null ? [] : [scenario], overridden: override !== undefined });
      findings.push(finding);
    },
    startLine: () => startLine(input.model),
    findingsSoFar: () => findings,
    trees() {
      if (trees) return trees;
      const p = input.prediction;
      const out: ReturnType<RuleContext["trees"]> = [];
      if (p.scenarios.length) {
        p.scenarios.forEach((s, i) => {
          if (s.processTree) out.push({ tree: s.processTree, stop: s.stop, condition: s.condition, scenario: i });
        });
      } else if (p.processTree) out.push({ tree: p.processTree, stop: p.stop, condition: null, scenario: null });
      return (trees = out);
    },
  };
  for (const rule of allRules) {
    const o = settings.overrides?.[rule.meta.id];
    if (o === "off") continue;
    current = rule;
    override = o;
    try {
      rule.check(ctx);
    } catch (e) {
      findings.push({
        ruleId: INTERNAL_ERROR_META.id, severity: INTERNAL_ERROR_META.severity, file: input.model.file, line: 1, column: 1, messageId: "ruleFailed",
        message: formatMessage(INTERNAL_ERROR_META.messages.ruleFailed!, { rule: rule.meta.id, error: (e as Error).message }),
      });
    }
  }
  // A finding of several scenarios names them all (or none, when it holds in every scenario).
  const all = input.prediction.scenarios.map((s) => s.condition);
  const headline = input.prediction.headline?.scenario ?? 0;
  for (const { finding, template, data, scenarios, overridden } of byKey.values()) {
    // When the analysis was cut short, runs were dropped: the run shown first may not be the one the image
    // exists for, and what holds in every run followed may not hold in the others, so it is not sure
    // enough for an error.
    // (Facts of the files themselves, such as a syntax error or a missing #! line, stay sure.)
    if (finding.severity === "error" && !overridden && input.prediction.truncated && RUN_RULES.has(finding.ruleId)) finding.severity = "warning";
    if (scenarios.length === 0) continue;
    scenarios.sort((a, b) => a - b);
    finding.scenarios = scenarios;
    // An error is for the run the image exists for: in the other runs only (a guard's exit, a first-run
    // setup) the finding is a warning, unless the configuration sets the rule's severity.
    if (finding.severity === "error" && !overridden && !scenarios.includes(headline)) finding.severity = "warning";
    if ("when" in data) finding.message = formatMessage(template, { ...data, when: whenScenarios(scenarios, all, input.conditionOf) });
  }
  return findings.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

/** Rules whose errors rest on the runs the interpreter followed (the others report facts of the files). */
const RUN_RULES = new Set(["shell-stays-pid1", "pid1-no-handler", "service-daemonizes", "no-command", "missing-program", "not-executable"]);

/** Conditions longer than this are named by the scenario's number (as the report numbers them, from 1). */
const MAX_WHEN = 160;

/**
 * The `{{when}}` of a finding about some scenarios: nothing when it holds in all of them; their conditions
 * when they are short; else their numbers ("in scenarios 2, 3 and 5 of 11").
 */
export function whenScenarios(scenarios: number[], conditions: string[], conditionOf?: (scenarios: number[]) => string): string {
  if (scenarios.length === conditions.length) return "";
  const texts = scenarios.map((i) => conditions[i]!);
  const joined = texts.length === 1 ? texts[0]! : texts.map((c, i) => (i === 0 ? c : c.replace(/^when /, "or when "))).join("; ");
  const words = texts.length > 1 && conditionOf ? conditionOf(scenarios) : joined;
  if (words.length <= MAX_WHEN) return ` (${words})`;
  const nums = scenarios.map((i) => String(i + 1));
  const list = nums.length > 6 ? `${nums.slice(0, 6).join(", ")} and ${nums.length - 6} more` : nums.length === 1 ? nums[0]! : `${nums.slice(0, -1).join(", ")} and ${nums[nums.length - 1]}`;
  return ` (in scenario${nums.length === 1 ? "" : "s"} ${list} of ${conditions.length})`;
}
