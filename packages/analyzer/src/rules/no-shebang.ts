import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "no-shebang",
    title: "A script that Docker execs has no #! line",
    severity: "error",
    rationale: "Without a #! line the kernel cannot exec the file: the container does not start (\"exec format error\").",
    fix: "Add a #! line, such as #!/bin/sh, as the first line.",
    aliases: [],
  },
  check(ctx) {
    for (const i of ctx.issues) {
      if (i.kind !== "no-shebang") continue;
      const at = ctx.locate(i.file, i.line);
      ctx.report({ file: at.file, line: at.line, ...(i.column ? { column: i.column } : {}), message: i.message, related: ctx.startLine() ? [{ file: ctx.model.file, line: ctx.startLine()!, message: "the container starts here" }] : [] });
    }
  },
};
