import { issuesOf, startsHere, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "no-shebang",
    title: "A script that Docker execs has no #! line",
    severity: "error",
    rationale: "Without a #! line the kernel cannot exec the file: the container does not start (\"exec format error\").",
    fix: "Add a #! line, such as #!/bin/sh, as the first line.",
    aliases: [],
    messages: {
      noShebang: "{{path}} has no #! line: Docker's exec fails with \"exec format error\"",
    },
  },
  check(ctx) {
    for (const i of issuesOf(ctx, "no-shebang")) {
      const at = ctx.locate(i.file, i.line);
      ctx.report({ file: at.file, line: at.line, messageId: "noShebang", data: { path: i.path }, related: startsHere(ctx) });
    }
  },
};
