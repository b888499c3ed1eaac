import { issuesOf, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "not-executable",
    title: "The script is copied without its execute bit",
    severity: "error",
    rationale: "Docker execs the file directly: without an execute bit the container fails to start with \"permission denied\".",
    fix: "COPY --chmod=755, or set the bit in the repository (git update-index --chmod=+x).",
    aliases: [],
    messages: {
      notExecutable: "{{program}} is not executable (mode {{mode}}): exec fails with \"permission denied\"",
    },
  },
  check(ctx) {
    for (const i of issuesOf(ctx, "not-executable")) {
      ctx.report({
        file: ctx.model.file,
        line: i.copyLine,
        messageId: "notExecutable",
        data: { program: i.program, mode: i.mode?.toString(8) ?? "?" },
        fix: { description: "copy it with --chmod=755" },
      });
    }
  },
};
