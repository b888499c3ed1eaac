import { originLine } from "@audit-image/dockerfile";
import { findProgram } from "../programs.js";
import { bare, deploymentPlace, settingName, walkTree, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "stopsignal-mismatch",
    title: "The stop signal does not give the service a graceful stop",
    severity: "warning",
    rationale:
      "Some services stop gracefully only on a particular signal: nginx and php-fpm finish their requests on SIGQUIT but drop them on SIGTERM, Apache's graceful stop is SIGWINCH, and postgres's SIGTERM waits for every client to disconnect. With the wrong STOPSIGNAL, every deployment cuts requests.",
    fix: "Set the signal the service documents for a graceful stop, for example STOPSIGNAL SIGQUIT for nginx.",
    aliases: [],
    messages: {
      mismatch: "the stop signal is {{signal}}, but {{program}} stops gracefully on {{recommended}}",
    },
  },
  check(ctx) {
    const p = ctx.prediction;
    if (!p.processTree) return;
    // The service that the stop signal reaches first.
    let service: { argv0: string; rec: string } | null = null;
    for (const d of p.stop.deliveries) {
      if (!d.receives) continue;
      const entry = findProgram(d.argv0);
      if (entry?.role === "service" && entry.recommendedStopSignal) {
        service = { argv0: d.argv0, rec: entry.recommendedStopSignal };
        break;
      }
    }
    if (!service) {
      walkTree(p.processTree, (n) => {
        const entry = n.program ? findProgram(n.argv[0] ?? "") : null;
        if (!service && entry?.role === "service" && entry.recommendedStopSignal && n.pid === 1) service = { argv0: n.argv[0]!, rec: entry.recommendedStopSignal };
      });
    }
    if (!service || service.rec === ctx.stopSignal) return;
    const s = ctx.model.config?.stopSignal;
    // Where the container runs sets the signal (or could): the finding and its fix go to the deployment.
    const d = s?.origin.kind === "deployment" ? deploymentPlace(ctx, { line: s.origin.line, file: s.origin.file }) : s?.origin.kind !== "instruction" ? deploymentPlace(ctx) : null;
    if (d) {
      const setting = settingName(ctx, `stop_signal: ${service.rec}`, `lifecycle.stopSignal: ${service.rec}`, `--stop-signal ${service.rec}`);
      ctx.report({ ...d, messageId: "mismatch", data: { signal: ctx.stopSignal, program: bare(service.argv0), recommended: service.rec }, fix: { description: setting, replacement: setting } });
      return;
    }
    const line = (s && s.origin.kind === "instruction" ? originLine(s.origin) : null) ?? ctx.startLine() ?? ctx.model.target?.line ?? 1;
    ctx.report({
      file: ctx.model.file,
      line,
      messageId: "mismatch",
      data: { signal: ctx.stopSignal, program: bare(service.argv0), recommended: service.rec },
      fix: { description: `STOPSIGNAL ${service.rec}`, replacement: `STOPSIGNAL ${service.rec}` },
    });
  },
};
