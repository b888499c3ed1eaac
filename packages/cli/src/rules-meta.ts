// Rule metadata for the formatters: the analyzer's rules plus the two ids the tooling itself reports.
import { allRules, type RuleMeta } from "@audit-image/analyzer";

export const EXTRA_RULES: RuleMeta[] = [
  {
    id: "unknown-rule",
    title: "An ignore pragma names a rule that does not exist",
    severity: "warning",
    rationale: "A misspelt rule id in `# audit-image ignore=` suppresses nothing, so the finding it was meant to silence is still reported (or a real problem is silently believed to be handled).",
    fix: "Use a rule id from docs/rules (or a hadolint/BuildKit alias of one), or remove the pragma.",
    aliases: [],
  },
  {
    id: "internal-error",
    title: "A rule failed while checking this Dockerfile",
    severity: "warning",
    rationale: "audit-image could not complete one of its checks; the report may miss a finding.",
    fix: "Report the problem with the Dockerfile that triggers it.",
    aliases: [],
  },
];

export function allRuleMeta(): RuleMeta[] {
  return [...allRules.map((r) => r.meta), ...EXTRA_RULES];
}
