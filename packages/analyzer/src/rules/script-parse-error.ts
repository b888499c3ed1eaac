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
      partialDialect:
        "{{file}}:{{line}}:{{column}}: {{error}}; the analysis reads {{shell}} scripts with bash's grammar, which does not cover all of {{shell}}'s syntax (glob qualifiers, parameter flags): whether {{shell}} accepts this line, and what the script does, is not known",
    },
  },
  check(ctx) {
    for (const i of issuesOf(ctx, "parse-error")) {
      const at = ctx.locate(i.file, i.line);
      // A shell whose dialect the parser does not fully cover: a parse failure is the parser's limit as
      // likely as the script's error (measured: zsh runs `for f in *.conf(N)`, which bash's grammar rejects).
      if (i.partial)
        ctx.report({
          file: at.file, line: at.line, column: i.column, messageId: "partialDialect", severity: "warning",
          data: { file: i.file, line: i.line, column: i.column, error: i.error, shell: i.partial }, related: startsHere(ctx),
        });
      else
        ctx.report({
          file: at.file, line: at.line, column: i.column, messageId: "parseError",
          data: { file: i.file, line: i.line, column: i.column, error: i.error }, related: startsHere(ctx),
        });
    }
  },
};
