import { reportIssues, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "missing-interpreter",
    title: "The interpreter in the #! line is not in the image",
    severity: "error",
    rationale: "A #!/bin/bash script on an Alpine or distroless image fails with \"no such file or directory\": the interpreter does not exist there.",
    fix: "Use an interpreter the image has (#!/bin/sh), or install it.",
    aliases: [],
  },
  check(ctx) {
    reportIssues(ctx, "missing-interpreter");
  },
};
