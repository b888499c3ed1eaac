import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "analysis-truncated",
    title: "The analysis was cut short",
    severity: "warning",
    rationale: "To stay fast on any input, audit-image bounds the paths, steps, nesting, file sizes and the size of the values it follows. Past a bound the prediction is partial, and says so here rather than silently.",
    fix: "Simplify the script, or read the prediction as incomplete.",
    aliases: [],
    messages: {
      truncated: "analysis cut short: {{reason}}",
    },
  },
  check(ctx) {
    const t = ctx.prediction.truncated;
    if (!t) return;
    const at = ctx.locate(t.file, Math.max(1, t.line));
    ctx.report({ file: at.file, line: at.line, messageId: "truncated", data: { reason: t.reason } });
  },
};
