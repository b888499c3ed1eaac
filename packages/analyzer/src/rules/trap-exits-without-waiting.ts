import { bare, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "trap-exits-without-waiting",
    title: "The stop trap forwards the signal but does not wait for the service",
    severity: "warning",
    rationale:
      "After `kill -TERM $pid` the interrupted `wait` returns at once, the script ends and PID 1 exits. The kernel then SIGKILLs the service in the middle of its shutdown: the stop looks fast, but requests are cut and data may be lost.",
    fix: "Wait for the service in the handler: trap 'kill -TERM \"$pid\"; wait \"$pid\"; exit $?' TERM.",
    aliases: [],
  },
  check(ctx) {
    for (const { tree, stop, condition } of ctx.trees()) {
      if (tree.pid !== 1 || stop.outcome !== "abrupt") continue;
      const trap = tree.shell?.traps.find((t) => t.signal === stop.signal && t.handler !== "");
      if (!trap) continue;
      const cut = stop.deliveries.filter((d) => d.pid !== 1 && d.receives);
      const at = ctx.locate(trap.file, trap.line);
      ctx.report({
        file: at.file,
        line: at.line,
        message: cut.length
          ? `the ${stop.signal} trap signals ${cut.map((d) => bare(d.argv0)).join(", ")} but PID 1 exits without waiting: ${cut.length === 1 ? "it is" : "they are"} SIGKILLed mid-shutdown${condition ? ` (${condition})` : ""}`
          : `the ${stop.signal} trap makes PID 1 exit while the services run on: they are SIGKILLed without a signal${condition ? ` (${condition})` : ""}`,
        fix: { description: "forward the signal, then wait for the service and exit with its status", replacement: `trap 'kill -TERM "$pid"; wait "$pid"; exit $?' ${stop.signal.replace(/^SIG/, "")}` },
      });
    }
  },
};
