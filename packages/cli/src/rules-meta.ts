// Rule metadata for the formatters: the analyzer's rules plus the two ids the tooling itself reports.
import { allRules, INTERNAL_ERROR_META, type RuleMeta } from "@audit-image/analyzer";

export const EXTRA_RULES: RuleMeta[] = [
  {
    id: "unknown-rule",
    title: "An ignore pragma names a rule that does not exist",
    severity: "warning",
    rationale: "A misspelt rule id in `# audit-image ignore=` suppresses nothing, so the finding it was meant to silence is still reported (or a real problem is silently believed to be handled).",
    fix: "Use a rule id from docs/rules (or a hadolint/BuildKit alias of one), or remove the pragma.",
    aliases: [],
    messages: { unknownRule: 'unknown rule "{{name}}" in an audit-image ignore pragma; it suppresses nothing' },
  },
  INTERNAL_ERROR_META,
];

export function allRuleMeta(): RuleMeta[] {
  return [...allRules.map((r) => r.meta), ...EXTRA_RULES];
}
