import { issuesOf, startsHere, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "missing-interpreter",
    title: "The interpreter in the #! line is not in the image",
    severity: "error",
    rationale: "A #!/bin/bash script on an Alpine or distroless image fails with \"no such file or directory\": the interpreter does not exist there.",
    fix: "Use an interpreter the image has (#!/bin/sh), or install it.",
    aliases: [],
    messages: {
      notFound: "the interpreter {{interpreter}} of {{path}} does not exist in the image: exec fails with \"no such file or directory\"",
      chainTooLong: "{{path}}'s #! interpreter chain is longer than the kernel follows: exec fails with \"too many levels of symbolic links\" (ELOOP)",
    },
  },
  check(ctx) {
    for (const i of issuesOf(ctx, "missing-interpreter")) {
      const at = ctx.locate(i.file, i.line);
      ctx.report({
        file: at.file, line: at.line, messageId: i.reason === "not-found" ? "notFound" : "chainTooLong",
        data: { interpreter: i.interpreter, path: i.path }, related: startsHere(ctx),
      });
    }
  },
};
