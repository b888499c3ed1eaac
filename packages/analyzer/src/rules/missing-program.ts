import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "missing-program",
    title: "The program to run is not in the image",
    severity: "error",
    rationale: "The container cannot start: exec fails with \"no such file or directory\" or \"executable file not found\".",
    fix: "Copy or install the program, or fix the path.",
    aliases: [],
  },
  check(ctx) {
    for (const i of ctx.issues) {
      if (i.kind !== "missing-program") continue;
      const at = ctx.locate(i.file, i.line);
      ctx.report({ file: at.file, line: at.line, ...(i.column ? { column: i.column } : {}), message: i.message, related: ctx.startLine() ? [{ file: ctx.model.file, line: ctx.startLine()!, message: "the container starts here" }] : [] });
    }
  },
};
