import { bare, deploymentPlace, settingName, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "stop-signal-unhandled",
    title: "The stop signal the deployment sets is not handled",
    severity: "warning",
    rationale:
      "A stop signal set where the container runs (Compose stop_signal:, Kubernetes lifecycle.stopSignal, docker run --stop-signal) replaces the image's STOPSIGNAL. When the program that gets it has no handler for it (at PID 1 the kernel drops it) or ignores it, the stop ends in SIGKILL after the grace period, where the image's own signal stopped the service.",
    fix: "Use a signal the service handles (its catalog entry, or the image's own STOPSIGNAL), or remove the setting.",
    aliases: [],
    messages: {
      unhandled: "{{signal}} ({{setting}}) is not handled: {{program}} {{what}}, so the stop ends in SIGKILL; the image's own stop signal {{imageSignal}} stopped it",
    },
  },
  check(ctx) {
    const s = ctx.model.config?.stopSignal;
    const image = ctx.image;
    if (!s || s.origin.kind !== "deployment" || !image) return;
    if (image.prediction.stop.outcome === "killed" || image.prediction.stop.outcome === "unknown") return;
    const stop = ctx.prediction.stop;
    const first = stop.deliveries[0];
    if (stop.outcome !== "killed" || !first || !["dropped", "ignore", "reload", "reopen-logs"].includes(first.action)) return;
    const at = deploymentPlace(ctx, { line: s.origin.line, file: s.origin.file })!;
    ctx.report({
      ...at,
      messageId: "unhandled",
      data: {
        signal: stop.signal,
        setting: settingName(ctx, "stop_signal:", "lifecycle.stopSignal", "--stop-signal"),
        program: bare(first.argv0),
        what: first.action === "dropped" ? "has no handler for it at PID 1 (the kernel drops it)" : first.action === "ignore" ? "ignores it" : first.action === "reload" ? "reloads on it and goes on" : "reopens its logs on it and goes on",
        imageSignal: image.prediction.stop.signal,
      },
      fix: { description: `use ${image.prediction.stop.signal}, the image's own stop signal` },
    });
  },
};
