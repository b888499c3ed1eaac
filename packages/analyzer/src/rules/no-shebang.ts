import { reportIssues, type Rule } from "./rule.js";

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
    reportIssues(ctx, "no-shebang");
  },
};
