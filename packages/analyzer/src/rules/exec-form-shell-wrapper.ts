import { originLine } from "@audit-image/dockerfile";
import { bare, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "exec-form-shell-wrapper",
    title: "An exec-form command wraps a shell that stays PID 1",
    severity: "warning",
    rationale:
      "[\"sh\", \"-c\", \"...\"] is a shell form in disguise: unless the shell execs the last command (dash never does; bash not after a trap or with a redirection), the shell stays PID 1 and drops docker stop's signal.",
    fix: "Start the command string with exec, or drop the shell and use the exec form of the command itself.",
    aliases: [],
    messages: {
      staysPid1: "{{shell}} -c stays PID 1 ({{program}} does not exec the last command here): {{signal}} is dropped",
    },
  },
  check(ctx) {
    const c = ctx.model.command;
    const tree = ctx.prediction.processTree;
    if (!c || !tree || tree.role !== "shell" || ctx.prediction.stop.outcome !== "killed") return;
    const part = c.entrypoint ?? c.cmd;
    if (!part || part.form !== "exec") return;
    const w = part.words;
    const ci = w.indexOf("-c");
    if (ci < 1 || !/(^|\/)(sh|bash|dash|ash|zsh|mksh)$/.test(w[0] ?? "")) return;
    const line = originLine(part.origin) ?? ctx.startLine() ?? 1;
    ctx.report({
      file: ctx.model.file,
      line,
      messageId: "staysPid1",
      data: { shell: bare(w[0]!), program: tree.program ?? "sh", signal: ctx.stopSignal },
      fix: { description: "exec the last command of the string", replacement: `exec ${w[ci + 1] ?? ""}` },
    });
  },
};
