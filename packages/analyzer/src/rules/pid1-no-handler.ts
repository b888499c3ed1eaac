import type { AppFacts, ProcessNode } from "../types.js";
import { bare, when, type Rule, type RuleContext } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "pid1-no-handler",
    title: "PID 1 has no handler for the stop signal",
    severity: "error",
    rationale:
      "The kernel delivers a signal to PID 1 only if PID 1 handles it. A program exec'd as PID 1 that relies on the default action (plain node, plain python, sleep, busybox crond) ignores docker stop and is SIGKILLed when the grace period ends. For an interpreter (node, python) the application decides: the finding is an error only when its source was read and installs no handler.",
    fix: "Run it under an init that forwards signals (docker run --init, tini, dumb-init), or install a handler for the stop signal in the program.",
    aliases: [],
    messages: {
      noHandler: "PID 1 ({{program}}) has no handler for {{signal}}: docker stop waits {{grace}} s and SIGKILLs it{{when}}",
      ignores: "PID 1 ({{program}}) ignores {{signal}}: docker stop waits {{grace}} s and SIGKILLs it{{when}}",
      appNoHandler:
        "PID 1 ({{program}}) has no handler for {{signal}}, and the application installs none (none in {{files}}{{packages}}): docker stop waits {{grace}} s and SIGKILLs it{{when}}",
      baseUnknown:
        "PID 1 ({{program}}) has no handler for {{signal}}, unless the base image {{image}} (not in the catalog) has an ENTRYPOINT that runs it under an init; if it has none, docker stop waits {{grace}} s and SIGKILLs it{{when}}",
      appUnknown:
        "PID 1 ({{program}}) stops on {{signal}} only if the application installs a handler, and whether {{entry}} does is not known ({{why}}); without one, docker stop waits {{grace}} s and SIGKILLs it{{when}}",
    },
  },
  check(ctx) {
    for (const { tree, stop, condition, scenario } of ctx.trees()) {
      if (tree.role === "shell") continue;
      const first = stop.deliveries[0];
      if (!first || first.pid !== 1) continue;
      const at = where(ctx, tree);
      const base = { program: bare(tree.argv[0] ?? "?"), signal: stop.signal, grace: stop.gracePeriod, ...when(condition) };
      const fix = { description: `put an init in front of it: ENTRYPOINT ["tini", "--", ...] (or docker run --init), or handle ${stop.signal} in the program` };
      const app = tree.app;
      // The application's handler is not known (its source is not in the build context, not all of it could be
      // read, or it is only known at run time): not an error, a warning that says what is not known.
      if (app && app.status !== "seen" && stop.outcome === "unknown" && first.action === "unknown") {
        ctx.report({ scenario, ...at, severity: "warning", messageId: "appUnknown", data: { ...base, entry: app.entry ?? "the application", why: app.why ?? "its source was not read" }, fix });
        continue;
      }
      if (stop.outcome !== "killed" || (first.action !== "dropped" && first.action !== "ignore")) continue;
      if (app && app.status !== "seen") continue;
      // PID 1 rests on the ENTRYPOINT of a base image nobody knows (it may be an init): a warning.
      const unknownBase = ctx.model.command?.entrypoint ? null : ctx.model.effects.find((e) => e.kind === "unknown-base-image");
      if (unknownBase && unknownBase.kind === "unknown-base-image") {
        ctx.report({ scenario, ...at, severity: "warning", messageId: "baseUnknown", data: { ...base, image: unknownBase.image }, fix });
        continue;
      }
      if (app) {
        ctx.report({ scenario, ...at, messageId: "appNoHandler", data: { ...base, files: filesText(app), packages: packagesText(app, stop.signal) }, fix });
        continue;
      }
      ctx.report({ scenario, ...at, messageId: first.action === "ignore" ? "ignores" : "noHandler", data: base, fix });
    }
  },
};

function where(ctx: RuleContext, tree: ProcessNode): { file: string; line: number } {
  if (tree.source && tree.source.file !== ctx.model.file) return ctx.locate(tree.source.file, tree.source.line);
  return { file: ctx.model.file, line: tree.source?.file === ctx.model.file ? tree.source.line : ctx.startLine() ?? 1 };
}

/** "/app/app.py", "/app/app.py or the 3 files it loads". */
function filesText(app: AppFacts): string {
  const entry = app.entry ?? "the application";
  const more = app.files - 1;
  return more > 0 ? `${entry} or the ${more} file${more === 1 ? "" : "s"} it loads` : entry;
}

/** The frameworks of the catalog it uses, none of which handles the signal: " (nor does express)". */
function packagesText(app: AppFacts, signal: string): string {
  const fw = (app.frameworks ?? []).filter((f) => !app.handlers.some((h) => h.framework === f && h.signal === signal));
  return fw.length ? `, nor in ${fw.join(" or ")}` : "";
}
