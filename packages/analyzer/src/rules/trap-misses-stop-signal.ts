import { when } from "./rule.js";
import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "trap-misses-stop-signal",
    title: "The script traps signals, but not the stop signal",
    severity: "warning",
    rationale:
      "A trap that forwards SIGUSR1 or SIGHUP but not SIGTERM looks like signal handling, yet docker stop's SIGTERM is still dropped at PID 1: the container is SIGKILLed when the grace period ends.",
    fix: "Add the stop signal to the trap (trap 'kill -TERM \"$pid\"; wait \"$pid\"' TERM), or exec the service.",
    aliases: [],
    messages: {
      misses: "the trap covers {{traps}} but not {{signal}}, the stop signal: docker stop's {{signal}} is dropped at PID 1{{when}}",
    },
  },
  check(ctx) {
    for (const { tree, stop, condition, scenario } of ctx.trees()) {
      const traps = tree.shell?.traps.filter((t) => t.signal.startsWith("SIG") && t.handler !== "") ?? [];
      if (tree.pid !== 1 || traps.length === 0 || traps.some((t) => t.signal === stop.signal)) continue;
      const t = traps[0]!;
      const at = ctx.locate(t.file, t.line);
      ctx.report({ scenario,
        file: at.file,
        line: at.line,
        messageId: "misses",
        data: { traps: traps.map((x) => x.signal).join(", "), signal: stop.signal, ...when(condition) },
        fix: { description: `trap ${stop.signal.replace(/^SIG/, "")} as well, forward it to the service and wait for it` },
      });
    }
  },
};
