import { when, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "service-daemonizes",
    title: "The service forks into the background, so the container exits",
    severity: "error",
    rationale: "A container lives as long as PID 1. A service that daemonizes (nginx without `daemon off;`, php-fpm without -F, supervisord without -n) lets its first process exit, and the container stops right after it starts.",
    fix: "Keep the service in the foreground (nginx -g 'daemon off;', php-fpm -F, supervisord -n, crond -f).",
    aliases: [],
    messages: {
      daemonizes: "{{reason}}{{when}}",
    },
  },
  check(ctx) {
    // Every run that ends this way, not only the headline: a daemonizing service is a bug wherever it runs.
    const p = ctx.prediction;
    const runs = p.scenarios.length ? p.scenarios.map((s, i) => ({ l: s.lifecycle, condition: s.condition as string | null, scenario: i as number | null })) : [{ l: p.lifecycle, condition: null, scenario: null }];
    for (const { l, condition, scenario } of runs) {
      if (l.state !== "exits" || !/daemonizes/.test(l.reason)) continue;
      ctx.report({ scenario, file: ctx.model.file, line: ctx.startLine() ?? ctx.model.target?.line ?? 1, messageId: "daemonizes", data: { reason: l.reason, ...when(condition) } });
    }
  },
};
