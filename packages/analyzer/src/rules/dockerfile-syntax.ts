import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "dockerfile-syntax",
    title: "The Dockerfile has an error Docker would stop on",
    severity: "error",
    rationale: "docker build fails (or builds something else than intended) on these problems; the prediction for the rest is partial.",
    fix: "Fix the Dockerfile at that line.",
    aliases: [],
    messages: {
      diagnostic: "{{message}}",
    },
  },
  check(ctx) {
    for (const d of ctx.model.diagnostics) {
      if (d.code === "no-command") continue; // the no-command rule reports it
      ctx.report({ file: ctx.model.file, line: d.line ?? 1, messageId: "diagnostic", data: { message: d.message }, severity: d.severity });
    }
  },
};
