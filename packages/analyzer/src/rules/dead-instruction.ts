import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "dead-instruction",
    title: "An earlier ENTRYPOINT or CMD is overridden in the same stage",
    severity: "warning",
    rationale: "Only the last ENTRYPOINT and the last CMD of a stage count. An earlier one is dead code that misleads readers about what runs.",
    fix: "Remove the earlier instruction.",
    aliases: ["DL4003", "DL4004", "MultipleInstructionsDisallowed"],
    messages: {
      superseded: "this {{keyword}} has no effect: line {{line}} replaces it",
    },
  },
  check(ctx) {
    for (const e of ctx.model.effects) {
      if (e.kind !== "dead-instruction") continue;
      ctx.report({ file: ctx.model.file, line: e.line, messageId: "superseded", data: { keyword: e.keyword, line: e.supersededBy } });
    }
  },
};
