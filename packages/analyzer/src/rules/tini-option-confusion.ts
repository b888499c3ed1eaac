import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "tini-option-confusion",
    title: "tini takes the service's options as its own",
    severity: "warning",
    rationale: "tini and catatonit keep parsing options after the program name: in `tini nginx -g 'daemon off;'` the -g goes to tini (signal the process group), and nginx starts without it.",
    fix: "Put -- between tini and the command: tini -- nginx -g 'daemon off;'.",
    aliases: [],
  },
  check(ctx) {
    for (const i of ctx.issues) {
      if (i.kind !== "init-option-confusion") continue;
      const at = i.line > 0 ? ctx.locate(i.file, i.line) : { file: ctx.model.file, line: ctx.startLine() ?? 1 };
      ctx.report({ file: at.file, line: at.line, message: i.message, fix: { description: `add -- after ${String(i.data?.init ?? "the init")}'s own options` } });
    }
  },
};
