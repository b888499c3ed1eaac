import { issuesOf, startsHere, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "exec-in-pipeline",
    title: "exec in a pipeline does not replace the shell",
    severity: "warning",
    rationale: "Each part of a pipeline runs in a child process: exec app | tee log replaces only that child, and the shell stays PID 1 and drops the stop signal.",
    fix: "Redirect instead of piping (exec app >>/proc/1/fd/1), or let Docker collect stdout.",
    aliases: [],
    messages: {
      inPipeline: "exec in a pipeline replaces only the pipeline's child process, not the shell",
    },
  },
  check(ctx) {
    for (const i of issuesOf(ctx, "exec-in-pipeline")) {
      const at = ctx.locate(i.file, i.line);
      ctx.report({ file: at.file, line: at.line, messageId: "inPipeline", related: startsHere(ctx) });
    }
  },
};
