import type { Rule } from "./rule.js";

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
    for (const i of ctx.issues) {
      if (i.kind !== "bashism") continue;
      const at = ctx.locate(i.file, i.line);
      ctx.report({ file: at.file, line: at.line, ...(i.column ? { column: i.column } : {}), message: i.message, related: ctx.startLine() ? [{ file: ctx.model.file, line: ctx.startLine()!, message: "the container starts here" }] : [] });
    }
  },
};
