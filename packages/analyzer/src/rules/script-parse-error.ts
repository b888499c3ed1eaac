import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "script-parse-error",
    title: "The script does not parse",
    severity: "error",
    rationale: "A syntax error makes the shell stop at that line: the container exits or never reaches the service.",
    fix: "Fix the syntax error.",
    aliases: [],
  },
  check(ctx) {
    for (const i of ctx.issues) {
      if (i.kind !== "parse-error") continue;
      const at = ctx.locate(i.file, i.line);
      ctx.report({ file: at.file, line: at.line, ...(i.column ? { column: i.column } : {}), message: i.message, related: ctx.startLine() ? [{ file: ctx.model.file, line: ctx.startLine()!, message: "the container starts here" }] : [] });
    }
  },
};
