import { bare, deploymentPlace, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "shared-pid-namespace",
    title: "With shareProcessNamespace the container's process is no longer PID 1",
    severity: "warning",
    rationale:
      "With shareProcessNamespace: true the pod's pause process is PID 1. The kernel's protection of PID 1 (a signal without a handler is dropped) no longer applies to the container's first process: a shell or a program without a handler for the stop signal dies of it at once, and what it started is SIGKILLed with it, without a signal of its own.",
    fix: "Make the container's command exec the service (or forward the signal and wait for it), so that the service itself gets the stop signal.",
    aliases: [],
    messages: {
      diesAtOnce: "with shareProcessNamespace the pod's pause process is PID 1: {{program}} is not, has no handler for {{signal}} and dies of it at once, and {{others}} {{are}} SIGKILLed with it",
    },
  },
  check(ctx) {
    const d = ctx.model.deployment;
    if (!d?.sharedPid?.value) return;
    for (const { stop, tree, scenario } of ctx.trees()) {
      const first = stop.deliveries[0];
      if (!first || first.action !== "terminate" || stop.outcome !== "abrupt") continue;
      const killed = stop.deliveries.filter((x) => !x.receives).map((x) => bare(x.argv0));
      if (killed.length === 0) continue;
      const at = deploymentPlace(ctx, d.sharedPid)!;
      ctx.report({
        ...at,
        scenario,
        messageId: "diesAtOnce",
        data: { program: bare(tree.argv[0] ?? "?"), signal: stop.signal, others: [...new Set(killed)].join(", "), are: killed.length === 1 ? "is" : "are" },
      });
    }
  },
};
