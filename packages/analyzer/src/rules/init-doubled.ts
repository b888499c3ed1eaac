import { bare, deploymentPlace, settingName, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "init-doubled",
    title: "The deployment adds an init over an image that already has one",
    severity: "warning",
    rationale:
      "`init: true` (Compose) and `docker run --init` put docker-init, which is tini, at PID 1. An image whose ENTRYPOINT already starts tini or dumb-init then has two inits: the image's is no longer PID 1, so it does not get the orphans to reap (tini says so at start and reaps nothing without -s), and every signal takes one more hop. One of the two does nothing.",
    fix: "Drop init: true (or --init) for this image, or drop the image's own init.",
    aliases: [],
    messages: {
      doubled: "{{setting}} puts docker-init (tini) at PID 1 over the image's own init {{init}}: {{init}} is not PID 1 any more and one of the two inits does nothing",
    },
  },
  check(ctx) {
    const d = ctx.model.deployment;
    const root = ctx.prediction.processTree;
    if (!d?.init?.value || !root || root.role !== "init") return;
    const inner = root.children.find((c) => !c.background && c.role === "init");
    if (!inner) return;
    const at = deploymentPlace(ctx, d.init)!;
    ctx.report({
      ...at,
      messageId: "doubled",
      data: { setting: settingName(ctx, "init: true", "init", "--init"), init: bare(inner.argv[0] ?? "?") },
      fix: { description: `remove ${settingName(ctx, "init: true", "init", "--init")}: the image's ${bare(inner.argv[0] ?? "init")} is its init` },
    });
  },
};
