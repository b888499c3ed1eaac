import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "no-command",
    title: "The image has no command to run",
    severity: "error",
    rationale: "Without ENTRYPOINT and CMD (here or in the base image), docker run fails with \"no command specified\".",
    fix: "Add a CMD or ENTRYPOINT in exec form.",
    aliases: [],
    messages: {
      noCommand: "no command: neither ENTRYPOINT nor CMD is set for this stage or inherited",
    },
  },
  check(ctx) {
    for (const e of ctx.model.effects) {
      if (e.kind !== "no-command") continue;
      ctx.report({ file: ctx.model.file, line: e.line ?? 1, messageId: "noCommand" });
    }
  },
};
