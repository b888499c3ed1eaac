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
      supervised: "{{supervisor}} stops {{program}} with a signal it does not stop gracefully on ({{action}}); {{program}} stops gracefully on {{recommended}}",
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
      // It already gets a graceful stop that its default reaction to the stop signal would not give: a supervisor
      // stops it with its own stop signal (supervisord's stopsignal=QUIT for nginx), or its options make the signal
      // a graceful stop (uwsgi's die-on-term, on its command line or in its ini file). The catalog's advice is for
      // the program receiving the container's stop signal with its defaults.
      if (entry && d.action === "graceful-stop" && entry.signals[p.stop.signal] !== "graceful-stop") return;
      if (entry?.role === "service" && entry.recommendedStopSignal) {
        // A supervisor stops it with the signal its own config names: the container's STOPSIGNAL does not reach it,
        // so the fix is in that config.
        const sup = /^stopped by (\S+)/.exec(d.via)?.[1];
        if (sup) {
          if (d.action === "graceful-stop") return;
          const rec = entry.recommendedStopSignal;
          ctx.report({
            file: ctx.model.file,
            line: ctx.startLine() ?? ctx.model.target?.line ?? 1,
            messageId: "supervised",
            data: { supervisor: sup, program: bare(d.argv0), action: d.action, recommended: rec },
            fix: { description: `have ${sup} stop ${bare(d.argv0)} with ${rec} (supervisord: stopsignal=${rec.replace(/^SIG/, "")} in its [program:…] section)` },
          });
          return;
        }
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
