import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "unknown-base-image",
    title: "The base image is not in the catalog",
    severity: "info",
    rationale: "audit-image does not know the base image's ENTRYPOINT, CMD, STOPSIGNAL or which program /bin/sh is, so parts of the prediction are unknown rather than guessed.",
    fix: "Give its config: --base-config IMAGE=FILE with the output of docker image inspect IMAGE.",
    aliases: [],
    messages: {
      unknown: "the base image {{image}} is not in the catalog: its config and its /bin/sh are unknown (supply them with --base-config){{assumed}}",
    },
  },
  check(ctx) {
    // What the prediction took for granted about the image, which its config would settle.
    const c = ctx.model.config;
    const assumed: string[] = [];
    if (c) {
      if (!c.entrypoint && c.cmd) assumed.push("no ENTRYPOINT of its own (the CMD runs as it is)");
      if (!c.entrypoint && !c.cmd) assumed.push("its ENTRYPOINT and CMD, which make the command");
      if (c.stopSignal.origin.kind === "unknown-base") assumed.push("STOPSIGNAL SIGTERM");
    }
    const parts: string[] = [];
    if (assumed.length) parts.push(`assumes ${assumed.join(" and ")}`);
    if (c && ctx.model.binSh === "unknown") parts.push("does not know which shell /bin/sh is");
    const text = parts.length ? `; the prediction ${parts.join(", and ")}` : "";
    for (const e of ctx.model.effects) {
      if (e.kind !== "unknown-base-image") continue;
      if (ctx.model.target && ctx.model.target.base.root !== e.image) continue;
      ctx.report({ file: ctx.model.file, line: e.line, messageId: "unknown", data: { image: e.image, assumed: text } });
    }
  },
};
