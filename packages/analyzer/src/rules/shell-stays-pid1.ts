import { bare, walkTree, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "shell-stays-pid1",
    title: "The entrypoint shell stays PID 1 and waits for the service",
    severity: "error",
    rationale:
      "A shell at PID 1 has no handler for SIGTERM, so the kernel drops docker stop's signal. The service never hears it, and Docker SIGKILLs everything when the grace period ends: 10 seconds lost on every stop, and no clean shutdown.",
    fix: "Start the service with exec (for example `exec \"$@\"`), so that it replaces the shell as PID 1.",
    aliases: [],
  },
  check(ctx) {
    for (const { tree, stop, condition } of ctx.trees()) {
      walkTree(tree, (n) => {
        if (n.pid !== 1 || n.role !== "shell" || n.children.length === 0) return;
        if (stop.outcome !== "killed") return;
        const fg = n.children.find((c) => !c.background && c.source && c.source.file !== ctx.model.file);
        if (!fg || !fg.source) return;
        const at = ctx.locate(fg.source.file, fg.source.line);
        ctx.report({
          file: at.file,
          line: at.line,
          message: `${bare(n.argv[0] ?? "sh")} stays PID 1 and waits for ${bare(fg.argv[0] ?? "?")}: docker stop's ${stop.signal} is dropped and ${bare(fg.argv[0] ?? "?")} is SIGKILLed after ${stop.gracePeriod} s${condition ? ` (${condition})` : ""}`,
          fix: { description: `exec the service so that it becomes PID 1: exec ${fg.argv.join(" ")}` },
          related: ctx.startLine() ? [{ file: ctx.model.file, line: ctx.startLine()!, message: "the script starts here" }] : [],
        });
      });
    }
  },
};
