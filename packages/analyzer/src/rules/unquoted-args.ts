import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "unquoted-args",
    title: "Unquoted $@ or $* re-splits the arguments",
    severity: "warning",
    rationale:
      "Unquoted, $@ and $* split every argument again on blanks and expand globs: CMD [\"nginx\", \"-g\", \"daemon off;\"] reaches nginx as four words, and the service fails to start or starts with the wrong options.",
    fix: "Quote it: \"$@\".",
    aliases: ["SC2068"],
  },
  check(ctx) {
    const argv = ctx.model.command?.argv ?? [];
    const splits = argv.some((a) => /\s/.test(a));
    for (const i of ctx.issues) {
      if (i.kind !== "unquoted-args") continue;
      const at = ctx.locate(i.file, i.line);
      const param = String(i.data?.param ?? "@");
      ctx.report({
        file: at.file,
        line: at.line,
        column: i.column ?? 1,
        message: `unquoted $${param} re-splits the arguments${splits ? ` (an argument of the command holds a blank: ${JSON.stringify(argv.find((a) => /\s/.test(a)))})` : ""}`,
        fix: { description: `write "$@"`, replacement: `"$@"` },
      });
    }
  },
};
