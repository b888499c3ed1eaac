import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "not-executable",
    title: "The script is copied without its execute bit",
    severity: "error",
    rationale: "Docker execs the file directly: without an execute bit the container fails to start with \"permission denied\".",
    fix: "COPY --chmod=755, or set the bit in the repository (git update-index --chmod=+x).",
    aliases: [],
  },
  check(ctx) {
    for (const i of ctx.issues) {
      if (i.kind !== "not-executable") continue;
      const line = typeof i.data?.copyLine === "number" ? i.data.copyLine : i.line;
      ctx.report({
        file: ctx.model.file,
        line,
        message: i.message,
        fix: { description: "copy it with --chmod=755" },
      });
    }
  },
};
