import type { Rule } from "./rule.js";

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
    for (const i of ctx.issues) {
      if (i.kind !== "missing-interpreter") continue;
      const at = ctx.locate(i.file, i.line);
      ctx.report({ file: at.file, line: at.line, ...(i.column ? { column: i.column } : {}), message: i.message, related: ctx.startLine() ? [{ file: ctx.model.file, line: ctx.startLine()!, message: "the container starts here" }] : [] });
    }
  },
};
