import { bare, when, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "trap-exits-without-waiting",
    title: "The stop trap forwards the signal but does not wait for the service",
    severity: "warning",
    rationale:
      "After `kill -TERM $pid` the interrupted `wait` returns at once, the script ends and PID 1 exits. The kernel then SIGKILLs the service in the middle of its shutdown: the stop looks fast, but requests are cut and data may be lost.",
    fix: "Wait for the service in the handler: trap 'kill -TERM \"$pid\"; wait \"$pid\"; exit $?' TERM.",
    aliases: [],
    messages: {
      noWait: "the {{signal}} trap signals {{targets}} but PID 1 exits without waiting: {{pronoun}} SIGKILLed mid-shutdown{{when}}",
      exitsAlone: "the {{signal}} trap makes PID 1 exit while the services run on: they are SIGKILLed without a signal{{when}}",
      exitTrap: "with an EXIT trap, bash exits at once on {{signal}} (it runs the trap): {{services}} never gets {{signal}} and is SIGKILLed{{when}}",
    },
  },
  check(ctx) {
    for (const { tree, stop, condition, scenario } of ctx.trees()) {
      if (tree.pid !== 1 || stop.outcome !== "abrupt") continue;
      // The stop signal's own trap, or (bash, measured) an EXIT trap, which makes bash exit on it at once.
      const own = tree.shell?.traps.find((t) => t.signal === stop.signal && t.handler !== "");
      const exit = tree.program === "bash" ? tree.shell?.traps.find((t) => t.signal === "EXIT" && t.handler !== "") : undefined;
      const trap = own ?? exit;
      if (!trap) continue;
      const cut = stop.deliveries.filter((d) => d.pid !== 1 && d.receives);
      const at = ctx.locate(trap.file, trap.line);
      ctx.report({ scenario,
        file: at.file,
        line: at.line,
        ...(cut.length
          ? { messageId: "noWait", data: { signal: stop.signal, targets: cut.map((d) => bare(d.argv0)).join(", "), pronoun: cut.length === 1 ? "it is" : "they are", ...when(condition) } }
          : own
            ? { messageId: "exitsAlone", data: { signal: stop.signal, ...when(condition) } }
            : {
                messageId: "exitTrap",
                data: { signal: stop.signal, services: stop.deliveries.filter((d) => !d.receives).map((d) => bare(d.argv0)).join(", ") || "the service", ...when(condition) },
              }),
        fix: { description: "forward the signal, then wait for the service and exit with its status", replacement: `trap 'kill -TERM "$pid"; wait "$pid"; exit $?' ${stop.signal.replace(/^SIG/, "")}` },
      });
    }
  },
};
