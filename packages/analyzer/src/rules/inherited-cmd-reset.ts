import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "inherited-cmd-reset",
    title: "ENTRYPOINT resets the inherited CMD",
    severity: "warning",
    rationale:
      "Setting ENTRYPOINT in a stage empties the CMD inherited from the base image or parent stage. A wrapper that ends in exec \"$@\" then runs with no arguments, and the base image's service never starts.",
    fix: "Set CMD again in the same stage.",
    aliases: [],
    messages: {
      reset: "ENTRYPOINT resets the CMD inherited from {{from}} ({{cmd}}): the container runs the entrypoint with no arguments",
    },
  },
  check(ctx) {
    for (const e of ctx.model.effects) {
      if (e.kind !== "inherited-cmd-reset") continue;
      // Base images such as debian or alpine default to a shell; replacing that is the usual intent.
      if (/(^|\/)(bash|sh|ash|zsh|jshell|python[0-9.]*|node|irb|php|ruby|ghci|iex|erl)$/.test(e.cmd.words[0] ?? "") && e.cmd.words.length <= 2) continue;
      const from = e.cmd.origin.kind === "base-image" || e.cmd.origin.kind === "base-config" ? e.cmd.origin.image : e.cmd.origin.kind === "stage" ? `stage ${e.cmd.origin.stageName ?? e.cmd.origin.stage}` : "the parent";
      ctx.report({
        file: ctx.model.file,
        line: e.entrypointLine,
        messageId: "reset",
        data: { from, cmd: JSON.stringify(e.cmd.words) },
        fix: { description: "repeat the CMD after the ENTRYPOINT", replacement: `CMD ${JSON.stringify(e.cmd.words)}` },
      });
    }
  },
};
