import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "literal-dollar-exec-form",
    title: "A variable in exec form is never expanded",
    severity: "warning",
    rationale: "Exec form runs no shell: \"$HOME/run.sh\" is passed literally, with the dollar sign, and the program gets a path that does not exist.",
    fix: "Write the value out, or use a script or the shell form where expansion is wanted.",
    aliases: [],
    messages: {
      literal: "{{keyword}} passes {{word}} literally: exec form does not expand variables",
    },
  },
  check(ctx) {
    for (const e of ctx.model.effects) {
      if (e.kind !== "literal-dollar") continue;
      ctx.report({ file: ctx.model.file, line: e.line, messageId: "literal", data: { keyword: e.keyword, word: JSON.stringify(e.word) } });
    }
  },
};
