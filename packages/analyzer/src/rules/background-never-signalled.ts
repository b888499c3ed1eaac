import { bare, walkTree, when, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "background-never-signalled",
    title: "A process started in the background never gets the stop signal",
    severity: "warning",
    rationale:
      "Signals go to PID 1 only. A helper started with & (php-fpm &, then exec nginx) is never told to stop: when PID 1 exits, the kernel SIGKILLs it mid-work, and it cannot finish requests, flush buffers or remove lock files.",
    fix: "Run the services under a supervisor or an init that signals them all (supervisord, s6, or a trap that forwards the signal and waits), or run one service per container.",
    aliases: [],
    messages: {
      neverSignalled: "{{program}}, started in the background, never gets {{signal}}: it is SIGKILLed {{when_killed}}{{when}}",
    },
  },
  check(ctx) {
    for (const { tree, stop, condition, scenario } of ctx.trees()) {
      walkTree(tree, (n) => {
        if (!n.background || n.pid === 1) return;
        const d = stop.deliveries.find((x) => x.pid === n.pid);
        // (a reader of the output ends on end of file when its writers exit: nothing cuts it short)
        if (!d || d.receives || d.action === "ends") return;
        const src = n.source ? ctx.locate(n.source.file, n.source.line) : { file: ctx.model.file, line: ctx.startLine() ?? 1 };
        ctx.report({ scenario,
          file: src.file,
          line: src.line,
          messageId: "neverSignalled",
          data: { program: bare(n.argv[0] ?? "?"), signal: stop.signal, when_killed: stop.outcome === "killed" ? `after ${stop.gracePeriod} s` : "when PID 1 exits", ...when(condition) },
          fix: { description: "signal it from a trap that forwards the stop signal and waits, or use a supervisor" },
        });
      });
    }
  },
};
