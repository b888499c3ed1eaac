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
  const seen = new Set<string>();
  let current: Rule = allRules[0]!;
  let override: Severity | undefined;
  let trees: ReturnType<RuleContext["trees"]> | null = null;
  const ctx: RuleContext = {
    ...input,
    report({ messageId, data, file, line, ...f }) {
      const template = current.meta.messages[messageId];
      if (template === undefined) throw new Error(`rule ${current.meta.id} has no message "${messageId}"`);
      const message = formatMessage(template, data);
      const finding = { file, line, message, ...f, ruleId: current.meta.id, messageId, severity: override ?? f.severity ?? current.meta.severity, column: f.column ?? 1 } as Finding;
      const key = `${finding.ruleId}\u0000${finding.file}\u0000${finding.line}\u0000${finding.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push(finding);
    },
    startLine: () => startLine(input.model),
    trees() {
      if (trees) return trees;
      const p = input.prediction;
      const out: ReturnType<RuleContext["trees"]> = [];
      if (p.scenarios.length) {
        for (const s of p.scenarios) if (s.processTree) out.push({ tree: s.processTree, stop: s.stop, condition: s.condition });
      } else if (p.processTree) out.push({ tree: p.processTree, stop: p.stop, condition: null });
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
  return findings.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}
