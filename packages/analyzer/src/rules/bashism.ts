import { reportIssues, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "bashism",
    title: "The script uses bash syntax, but /bin/sh is not bash",
    severity: "warning",
    rationale: "dash fails on bash-only syntax (${1:0:1}, [[ ]], arrays): the entrypoint stops with a syntax error at that line.",
    fix: "Use #!/bin/bash (if the image has bash) or POSIX syntax.",
    aliases: [],
  },
  check(ctx) {
    reportIssues(ctx, "bashism");
  },
};
