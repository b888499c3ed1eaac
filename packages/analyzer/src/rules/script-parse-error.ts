import { issuesOf, startsHere, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "script-parse-error",
    title: "The script does not parse",
    severity: "error",
    rationale: "A syntax error makes the shell stop at that line: the container exits or never reaches the service.",
    fix: "Fix the syntax error.",
    aliases: [],
    messages: {
      parseError: "{{file}}:{{line}}:{{column}}: {{error}}",
    },
  },
  check(ctx) {
    for (const i of issuesOf(ctx, "parse-error")) {
      const at = ctx.locate(i.file, i.line);
      ctx.report({
        file: at.file, line: at.line, column: i.column, messageId: "parseError",
        data: { file: i.file, line: i.line, column: i.column, error: i.error }, related: startsHere(ctx),
      });
    }
  },
};
