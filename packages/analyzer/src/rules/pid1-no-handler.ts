import { bare, when, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "pid1-no-handler",
    title: "PID 1 has no handler for the stop signal",
    severity: "error",
    rationale:
      "The kernel delivers a signal to PID 1 only if PID 1 handles it. A program exec'd as PID 1 that relies on the default action (plain node, plain python, sleep, busybox crond) ignores docker stop and is SIGKILLed when the grace period ends.",
    fix: "Run it under an init that forwards signals (docker run --init, tini, dumb-init), or install a handler for the stop signal in the program.",
    aliases: [],
    messages: {
      noHandler: "PID 1 ({{program}}) has no handler for {{signal}}: docker stop waits {{grace}} s and SIGKILLs it{{when}}",
      ignores: "PID 1 ({{program}}) ignores {{signal}}: docker stop waits {{grace}} s and SIGKILLs it{{when}}",
    },
  },
  check(ctx) {
    for (const { tree, stop, condition, scenario } of ctx.trees()) {
      if (tree.role === "shell" || stop.outcome !== "killed") continue;
      const first = stop.deliveries[0];
      if (!first || first.pid !== 1 || (first.action !== "dropped" && first.action !== "ignore")) continue;
      const line = tree.source?.file === ctx.model.file ? tree.source.line : ctx.startLine() ?? 1;
      const at = tree.source && tree.source.file !== ctx.model.file ? ctx.locate(tree.source.file, tree.source.line) : { file: ctx.model.file, line };
      ctx.report({ scenario,
        file: at.file,
        line: at.line,
        messageId: first.action === "ignore" ? "ignores" : "noHandler",
        data: { program: bare(tree.argv[0] ?? "?"), signal: stop.signal, grace: stop.gracePeriod, ...when(condition) },
        fix: { description: `put an init in front of it: ENTRYPOINT ["tini", "--", ...] (or docker run --init), or handle ${stop.signal} in the program` },
      });
    }
  },
};
