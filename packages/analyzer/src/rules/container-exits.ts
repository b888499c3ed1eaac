import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "container-exits",
    title: "PID 1 ends right after the start: nothing keeps the container running",
    severity: "warning",
    rationale: "The container stops when PID 1 exits. A script that starts nothing long-running in the foreground (or a bare `sh` without -it) exits at once, and a restart policy turns that into a restart loop.",
    fix: "End the entrypoint with exec of the service.",
    aliases: [],
    messages: {
      exits: "{{reason}}",
    },
  },
  check(ctx) {
    const l = ctx.prediction.lifecycle;
    if (l.state !== "exits" || /daemonizes/.test(l.reason)) return;
    ctx.report({ file: ctx.model.file, line: ctx.startLine() ?? ctx.model.target?.line ?? 1, messageId: "exits", data: { reason: l.reason } });
  },
};
