import { deploymentPlace, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "prestop-eats-grace",
    title: "The preStop hook takes the whole grace period",
    severity: "warning",
    rationale:
      "Kubernetes starts the grace period (terminationGracePeriodSeconds, 30 s by default) when it runs the preStop hook, and sends the stop signal only when the hook is done. A preStop that sleeps as long as the grace period, or longer, leaves the service 2 s (the kubelet's one-off extension) between the signal and SIGKILL: its graceful stop is cut short.",
    fix: "Make terminationGracePeriodSeconds the preStop time plus the time the service needs to stop, or shorten the preStop sleep.",
    aliases: [],
    messages: {
      eaten: "the preStop hook ({{what}}) takes {{seconds}} s of the {{grace}} s grace period: {{signal}} comes only when it is over, and SIGKILL 2 s later",
    },
  },
  check(ctx) {
    const d = ctx.model.deployment;
    const pre = d?.preStop;
    if (!pre || pre.value.seconds === null) return;
    const grace = d!.gracePeriod?.value ?? 30;
    if (pre.value.seconds < grace) return;
    const at = deploymentPlace(ctx, pre)!;
    ctx.report({
      ...at,
      messageId: "eaten",
      data: { what: `${pre.value.kind} ${pre.value.what}`, seconds: pre.value.seconds, grace, signal: ctx.stopSignal },
      fix: { description: `terminationGracePeriodSeconds: ${pre.value.seconds + 30} (the preStop time plus 30 s for the service)` },
    });
  },
};
