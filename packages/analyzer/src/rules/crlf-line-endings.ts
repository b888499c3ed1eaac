import { issuesOf, startsHere, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "crlf-line-endings",
    title: "The script has Windows (CRLF) line endings",
    severity: "error",
    rationale: "With CRLF endings the #! line names \"/bin/sh\\r\", which does not exist: the container fails with \"no such file or directory\" although /bin/sh is there.",
    fix: "Convert the script to LF line endings (and add *.sh text eol=lf to .gitattributes).",
    aliases: [],
    messages: {
      crlf: "the #! line of {{path}} ends in a carriage return (CRLF line endings): the kernel looks for \"{{interpreter}}\\r\", which does not exist",
    },
  },
  check(ctx) {
    for (const i of issuesOf(ctx, "crlf-shebang")) {
      const at = ctx.locate(i.file, i.line);
      ctx.report({ file: at.file, line: at.line, messageId: "crlf", data: { path: i.path, interpreter: i.interpreter }, related: startsHere(ctx) });
    }
  },
};
