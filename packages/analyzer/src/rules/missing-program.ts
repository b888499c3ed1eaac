import { reportIssues, type Rule } from "./rule.js";

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
    reportIssues(ctx, "missing-program");
  },
};
