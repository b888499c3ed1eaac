import { issuesOf, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "tini-option-confusion",
    title: "tini takes the service's options as its own",
    severity: "warning",
    rationale: "tini and catatonit keep parsing options after the program name: in `tini nginx -g 'daemon off;'` the -g goes to tini (signal the process group), and nginx starts without it.",
    fix: "Put -- between tini and the command: tini -- nginx -g 'daemon off;'.",
    aliases: [],
    messages: {
      optionTaken: "{{init}} parses options after the program name: without \"--\", an option meant for {{program}} ({{options}}) is taken by {{init}}",
    },
  },
  check(ctx) {
    for (const i of issuesOf(ctx, "init-option-confusion")) {
      const at = i.line > 0 ? ctx.locate(i.file, i.line) : { file: ctx.model.file, line: ctx.startLine() ?? 1 };
      ctx.report({
        file: at.file,
        line: at.line,
        messageId: "optionTaken",
        data: { init: i.init, program: i.program, options: i.options.join(" ") },
        fix: { description: `add -- after ${i.init}'s own options` },
      });
    }
  },
};
