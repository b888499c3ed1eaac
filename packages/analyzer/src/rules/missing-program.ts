import { bare, issuesOf, startsHere, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "missing-program",
    title: "The program to run is not in the image",
    severity: "error",
    rationale: "The container cannot start: exec fails with \"no such file or directory\" or \"executable file not found\".",
    fix: "Copy or install the program, or fix the path.",
    aliases: [],
    messages: {
      atPath: "{{program}} does not exist in the image: exec fails with \"no such file or directory\"",
      notOnPath: "{{program}} is not in the image (not found on the PATH): exec fails with \"executable file not found\"",
      shellNotOnPath: "{{program}} is not in the image (no {{name}} on the PATH): exec fails with \"executable file not found\"",
    },
  },
  check(ctx) {
    for (const i of issuesOf(ctx, "missing-program")) {
      const at = ctx.locate(i.file, i.line);
      const messageId = i.lookup === "path" ? "atPath" : i.shell ? "shellNotOnPath" : "notOnPath";
      ctx.report({ file: at.file, line: at.line, messageId, data: { program: i.program, name: bare(i.program) }, related: startsHere(ctx) });
    }
  },
};
