import { reportIssues, type Rule } from "./rule.js";

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
    reportIssues(ctx, "parse-error");
  },
};
