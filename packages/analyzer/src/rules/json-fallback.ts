import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "json-fallback",
    title: "Invalid JSON silently became shell form",
    severity: "error",
    rationale:
      "Docker treats ENTRYPOINT/CMD text that starts with [ but is not valid JSON (single quotes, a trailing comma, an unquoted $VAR) as shell form: ['/x.sh'] runs `/bin/sh -c \"['/x.sh']\"`, which fails or runs the wrong thing.",
    fix: "Write valid JSON: double quotes, no trailing comma.",
    aliases: ["JSONArgsRecommended"],
    messages: {
      notJson: "{{keyword}} {{text}} is not valid JSON ({{error}}): Docker runs it as a shell command string",
    },
  },
  check(ctx) {
    for (const e of ctx.model.effects) {
      if (e.kind !== "json-fallback") continue;
      const fixed = e.text.replace(/'/g, '"').replace(/,\s*\]/, "]");
      ctx.report({
        file: ctx.model.file,
        line: e.line,
        messageId: "notJson",
        data: { keyword: e.keyword, text: e.text, error: e.error },
        fix: { description: "write valid JSON", replacement: `${e.keyword} ${fixed}` },
      });
    }
  },
};
