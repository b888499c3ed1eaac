import { programByName } from "../programs.js";
import { bare, walkTree, when, type Rule } from "./rule.js";

/**
 * A package manager (npm, yarn, pnpm, npx: the catalog's `runScript` entries) that runs the service through a
 * package.json script and, as measured (run-scripts.ns.test.ts), cuts its stop short: the shell between them
 * dies of the signal and the service is killed unsignalled (npm through dash), or the manager exits without
 * waiting for it (yarn 1). Read from the stop's deliveries, so only what the walk established is reported.
 */
export const rule: Rule = {
  meta: {
    id: "run-script-cuts-stop",
    title: "A package manager runs the service and cuts its stop short",
    severity: "warning",
    rationale:
      "npm start, yarn start and their kin run package.json's script as a child `/bin/sh -c SCRIPT`. Measured as PID 1: npm passes SIGTERM to that child only; through dash (Debian's /bin/sh), which stays as the parent of the app, the shell dies of it at once, npm exits, and the kernel kills the app without a signal. yarn 1 passes SIGTERM on and exits at once, without waiting for the app.",
    fix: "Run the service itself as PID 1 (CMD [\"node\", \"server.js\"]), or start it with `exec` in the script (\"start\": \"exec node server.js\").",
    aliases: [],
    messages: {
      shellBetween: "{{manager}} runs the script through {{shell}}, which stays as the parent of {{service}}: on {{signal}} the shell dies, {{manager}} exits, and {{service}} {{fate}}{{when}}",
      exitsAtOnce: "{{manager}} passes {{signal}} to {{service}} and exits at once, without waiting: {{service}}'s shutdown is cut short when the container's PID 1 exits{{when}}",
    },
  },
  check(ctx) {
    for (const { tree, stop, condition, scenario } of ctx.trees()) {
      const action = (pid: number) => stop.deliveries.find((d) => d.pid === pid);
      walkTree(tree, (n) => {
        const entry = n.program ? programByName(n.program) : null;
        if (!entry?.runScript || !action(n.pid)?.receives) return;
        const at = n.source ? ctx.locate(n.source.file, n.source.line) : { file: ctx.model.file, line: ctx.startLine() ?? 1 };
        const manager = bare(n.argv[0] ?? n.program ?? "npm");
        for (const c of n.children) {
          if (c.role === "shell") {
            // the shell dies of the signal; what it ran is then killed with PID 1, signalled or not
            if (action(c.pid)?.action !== "terminate" || stop.outcome !== "abrupt" || n.pid !== 1) continue;
            const lost = c.children.filter((g) => !g.background && action(g.pid));
            if (!lost.length) continue;
            const unsignalled = lost.every((g) => action(g.pid)?.receives === false);
            ctx.report({ scenario, ...at, messageId: "shellBetween", data: { manager, shell: c.argv[0] ?? "/bin/sh", service: lost.map((g) => bare(g.argv[0] ?? "?")).join(", "), signal: stop.signal, fate: unsignalled ? "is killed without the signal" : "is killed before its shutdown is done", ...when(condition) }, fix: { description: "exec the service in the script, or run it directly" } });
          } else if (entry.forwards?.exitsAtOnce && action(c.pid)?.receives && stop.outcome === "abrupt" && n.pid === 1) {
            ctx.report({ scenario, ...at, messageId: "exitsAtOnce", data: { manager, service: bare(c.argv[0] ?? "?"), signal: stop.signal, ...when(condition) }, fix: { description: "run the service directly as PID 1" } });
          }
        }
      });
    }
  },
};
