import { reportIssues, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "crlf-line-endings",
    title: "The script has Windows (CRLF) line endings",
    severity: "error",
    rationale: "With CRLF endings the #! line names \"/bin/sh\\r\", which does not exist: the container fails with \"no such file or directory\" although /bin/sh is there.",
    fix: "Convert the script to LF line endings (and add *.sh text eol=lf to .gitattributes).",
    aliases: [],
  },
  check(ctx) {
    reportIssues(ctx, "crlf-shebang");
  },
};
