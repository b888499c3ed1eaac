import { issuesOf, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "unquoted-args",
    title: "Unquoted $@ or $* re-splits the arguments",
    severity: "warning",
    rationale:
      "Unquoted, $@ and $* split every argument again on blanks and expand globs: CMD [\"nginx\", \"-g\", \"daemon off;\"] reaches nginx as four words, and the service fails to start or starts with the wrong options.",
    fix: "Quote it: \"$@\".",
    aliases: ["SC2068"],
    messages: {
      resplits: "unquoted ${{param}} re-splits the arguments",
      resplitsBlank: "unquoted ${{param}} re-splits the arguments (an argument of the command holds a blank: {{argument}})",
    },
  },
  check(ctx) {
    const argv = ctx.model.command?.argv ?? [];
    const withBlank = argv.find((a) => /\s/.test(a));
    for (const i of issuesOf(ctx, "unquoted-args")) {
      const at = ctx.locate(i.file, i.line);
      ctx.report({
        file: at.file,
        line: at.line,
        column: i.column ?? 1,
        ...(withBlank !== undefined
          ? { messageId: "resplitsBlank", data: { param: i.param, argument: JSON.stringify(withBlank) } }
          : { messageId: "resplits", data: { param: i.param } }),
        fix: { description: `write "$@"`, replacement: `"$@"` },
      });
    }
  },
};
