import { originLine } from "@audit-image/dockerfile";
import { configStopTime } from "../exec/config.js";
import { findProgram } from "../programs.js";
import { bare, deploymentPlace, settingName, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "grace-too-short",
    title: "The grace period is shorter than the service's graceful stop can take",
    severity: "warning",
    rationale:
      "Some services take a set time to stop gracefully by default: gunicorn gives its workers graceful_timeout (30 s) to finish their requests, squid waits shutdown_lifetime (30 s) for its clients. Docker's grace period is 10 s (Compose 10 s, Kubernetes 30 s, less what a preStop hook takes): when it is shorter, SIGKILL cuts the graceful stop short.",
    fix: "Give the stop more time (docker stop -t / --stop-timeout, Compose stop_grace_period, Kubernetes terminationGracePeriodSeconds), or make the service's own timeout shorter.",
    aliases: [],
    messages: {
      tooShort: "{{program}} can take up to {{seconds}} s to stop on {{signal}} ({{setting}}, unless its configuration changes it), but SIGKILL comes {{left}} s after the signal{{when}}",
      tooShortConfigured: "{{program}} takes about {{seconds}} s to stop on {{signal}} ({{where}}), but SIGKILL comes {{left}} s after the signal{{when}}",
    },
  },
  check(ctx) {
    const d = ctx.model.deployment;
    for (const { tree, stop, condition, scenario } of ctx.trees()) {
      // (a killed outcome too: when it is the slow stop that SIGKILL cuts short, this is the finding that says so)
      if (stop.outcome === "not-running") continue;
      // The time between the signal and SIGKILL: the grace period, less what a preStop hook takes.
      const pre = stop.preStop;
      const left = pre ? (pre.signalAfter !== null && pre.killAfter !== null ? pre.killAfter - pre.signalAfter : stop.gracePeriod) : stop.gracePeriod;
      const argvOf = new Map<number, string[]>();
      const walk = (n: typeof tree) => {
        argvOf.set(n.pid, n.argv);
        n.children.forEach(walk);
      };
      walk(tree);
      for (const x of stop.deliveries) {
        if (!x.receives) continue;
        const entry = findProgram(x.argv0);
        // the stop that takes the time: a graceful stop, or the program's own name for it (squid's TERM)
        if (!["graceful-stop", "unknown"].includes(x.action) && entry?.signalDetails?.[stop.signal]?.label !== x.action) continue;
        const t = entry?.stopTakes;
        if (!t || !t.signals.includes(stop.signal)) continue;
        const argv = argvOf.get(x.pid) ?? [];
        if (t.options?.some((o) => argv.some((a) => a === o || a.startsWith(o + "=")))) continue;
        // squid's shutdown_lifetime: the config the image has decides; unreadable, the default's warning stands
        const fromConfig = t.fromConfig ? configStopTime({ model: ctx.model }, entry!, argv[0] ?? x.argv0, argv.slice(1)) : null;
        const seconds = fromConfig?.kind === "set" ? fromConfig.seconds : t.seconds;
        if (seconds <= left) continue;
        const s = ctx.model.config?.stopSignal;
        const at = (d ? deploymentPlace(ctx, d.gracePeriod ?? undefined) : null) ?? {
          file: ctx.model.file,
          line: (s?.origin.kind === "instruction" ? originLine(s.origin) : null) ?? ctx.startLine() ?? ctx.model.target?.line ?? 1,
        };
        const need = Math.ceil(seconds + 5 + (pre?.seconds ?? 0));
        const when = condition ? ` (${condition})` : "";
        const known = fromConfig && fromConfig.kind !== "unknown" ? (fromConfig.kind === "set" ? fromConfig.where : `${t.setting}: ${fromConfig.where}, so its default`) : null;
        ctx.report({
          ...at,
          scenario,
          ...(known
            ? { messageId: "tooShortConfigured", data: { program: bare(x.argv0), seconds, signal: stop.signal, where: known, left, when } }
            : { messageId: "tooShort", data: { program: bare(x.argv0), seconds: t.seconds, signal: stop.signal, setting: t.setting, left, when } }),
          fix: { description: settingName(ctx, `stop_grace_period: ${need}s`, `terminationGracePeriodSeconds: ${need}`, `docker stop -t ${need} (docker run --stop-timeout ${need})`) },
        });
        break;
      }
    }
  },
};
