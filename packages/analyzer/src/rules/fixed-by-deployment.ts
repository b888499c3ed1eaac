import { deploymentPlace, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "fixed-by-deployment",
    title: "The deployment changes an error of the image",
    severity: "info",
    rationale:
      "The image on its own has an error that this deployment changes: init: true over a PID 1 without a handler, a command or entrypoint that replaces a broken one, a stop signal the service handles. When the deployment makes the stop graceful, the image's error is a note here (it still holds for a plain docker run); when it only changes how the stop fails, it is a warning that says what happens instead.",
    fix: "Keep the deployment's setting, and fix the image too, so that it runs right everywhere.",
    aliases: [],
    messages: {
      fixed: "the image's {{rule}} ({{where}}) does not hold as this {{kind}} runs it: {{outcome}}",
      notFixed: "the image's {{rule}} ({{where}}) does not hold as this {{kind}} runs it, but the stop is still not clean: {{outcome}}",
    },
  },
  check(ctx) {
    const image = ctx.image;
    const d = ctx.model.deployment;
    if (!image || !d) return;
    const stop = ctx.prediction.stop;
    const seen = new Set<string>();
    // A rule of deployments already says what goes wrong in this deployment: "not fixed" would repeat it.
    const said = ctx.findingsSoFar().some((g) => DEPLOYMENT_RULES.has(g.ruleId));
    for (const f of image.findings) {
      if (f.severity !== "error" || seen.has(f.ruleId)) continue;
      // Still reported for this deployment: nothing changed.
      if (ctx.findingsSoFar().some((g) => g.ruleId === f.ruleId)) continue;
      seen.add(f.ruleId);
      const graceful = stop.outcome === "graceful";
      if (!graceful && said) continue;
      ctx.report({
        ...deploymentPlace(ctx)!,
        messageId: graceful ? "fixed" : "notFixed",
        severity: graceful ? "info" : "warning",
        data: { rule: f.ruleId, where: `${f.file}:${f.line}`, kind: d.kind === "docker-run" ? "docker run" : d.kind === "compose" ? "Compose service" : "Kubernetes container", outcome: stop.reason },
      });
    }
  },
};


/** The rules about what a deployment does (they run before this one). */
const DEPLOYMENT_RULES = new Set(["command-ignored", "init-doubled", "prestop-eats-grace", "shared-pid-namespace", "stop-signal-unhandled", "grace-too-short"]);
