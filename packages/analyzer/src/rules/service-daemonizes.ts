import { issuesOf, when, type Rule } from "./rule.js";

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
      configUnknown: "{{why}}; if it daemonizes, its first process exits (and with it the container, when it is PID 1). {{keep}}",
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
    // Whether it daemonizes rests on a config file that could not be read: never an error, the answer is not known.
    const seen = new Set<string>();
    for (const i of issuesOf(ctx, "daemon-config-unknown")) {
      const at = i.line > 0 ? ctx.locate(i.file, i.line) : { file: ctx.model.file, line: ctx.startLine() ?? ctx.model.target?.line ?? 1 };
      const key = `${at.file}:${at.line}:${i.program}:${i.why}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const keep = i.keep.length ? `Keep it in the foreground on its command line (${i.keep.join(" or ")}) to be sure.` : "Keep it in the foreground in a config file the build context holds to be sure.";
      ctx.report({ file: at.file, line: at.line, severity: "warning", messageId: "configUnknown", data: { why: i.why, keep } });
    }
  },
};
