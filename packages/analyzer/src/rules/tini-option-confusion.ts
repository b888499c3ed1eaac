import { walkTree, type Rule } from "./rule.js";

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
    for (const { tree } of ctx.trees()) {
      walkTree(tree, (n) => {
        if (n.role !== "init" || !n.note?.includes("without \"--\"")) return;
        const at = n.source ? ctx.locate(n.source.file, n.source.line) : { file: ctx.model.file, line: ctx.startLine() ?? 1 };
        ctx.report({ file: at.file, line: at.line, message: n.note.split("; ").find((x) => x.includes("without \"--\""))!, fix: { description: "add -- after the init's own options" } });
      });
    }
  },
};
