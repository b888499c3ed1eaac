import { originLine } from "@audit-image/dockerfile";
import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "shell-form-cmd",
    title: "CMD in shell form keeps /bin/sh as PID 1",
    severity: "warning",
    rationale:
      "A shell-form CMD runs as `/bin/sh -c \"...\"`. Where /bin/sh is dash (Debian, Ubuntu), the shell never execs the command in place: it stays PID 1, drops docker stop's SIGTERM, and the service is SIGKILLed after the grace period.",
    fix: "Use the exec form, CMD [\"nginx\", \"-g\", \"daemon off;\"], or start the string with exec.",
    aliases: ["DL3025", "JSONArgsRecommended"],
    messages: {
      staysPid1: "CMD in shell form keeps {{shell}} ({{program}}) as PID 1: {{signal}} is dropped and the command is SIGKILLed after {{grace}} s",
    },
  },
  check(ctx) {
    const c = ctx.model.command;
    const cmd = c?.cmd;
    if (!cmd || cmd.form !== "shell" || cmd.origin.kind !== "instruction" || cmd.jsonFallback || c!.cmdIgnored) return;
    const tree = ctx.prediction.processTree;
    if (!tree || tree.role !== "shell" || ctx.prediction.stop.outcome !== "killed") return;
    // PID 1 must be the CMD's own `sh -c` (possibly after an ENTRYPOINT that execs its arguments).
    if (tree.argv.length !== cmd.words.length || tree.argv.some((a, i) => a !== cmd.words[i])) return;
    ctx.report({
      file: ctx.model.file,
      line: originLine(cmd.origin)!,
      messageId: "staysPid1",
      data: { shell: tree.argv[0] ?? "sh", program: tree.program ?? "sh", signal: ctx.stopSignal, grace: ctx.grace },
      fix: { description: "use the exec form, or exec the command", replacement: `CMD exec ${cmd.text ?? ""}`.trim() },
    });
  },
};
