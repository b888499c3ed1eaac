import { issuesOf, startsHere, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "bashism",
    title: "The script uses bash syntax, but /bin/sh is not bash",
    severity: "warning",
    rationale: "dash fails on bash-only syntax (${1:0:1}, [[ ]], arrays): the entrypoint stops with a syntax error at that line.",
    fix: "Use #!/bin/bash (if the image has bash) or POSIX syntax.",
    aliases: [],
    messages: {
      syntax: "{{detail}}, but the script runs under {{shell}}",
      doubleBracketDash: "[[ ]] is bash syntax: dash has no [[ command (\"[[: not found\", status 127)",
      doubleBracketUnknown: "[[ ]] is bash syntax: /bin/sh may not have a [[ command (\"[[: not found\", status 127)",
    },
  },
  check(ctx) {
    for (const i of issuesOf(ctx, "bashism")) {
      const at = ctx.locate(i.file, i.line);
      const where = { file: at.file, line: at.line, related: startsHere(ctx) };
      if (i.construct === "syntax") ctx.report({ ...where, messageId: "syntax", data: { detail: i.detail, shell: i.shell === "dash" ? "dash" : "an unknown /bin/sh" } });
      else ctx.report({ ...where, messageId: i.shell === "dash" ? "doubleBracketDash" : "doubleBracketUnknown" });
    }
  },
};
