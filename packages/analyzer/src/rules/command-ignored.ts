import { deploymentPlace, settingName, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "command-ignored",
    title: "The deployment's command is ignored by the image's shell-form ENTRYPOINT",
    severity: "warning",
    rationale:
      "A shell-form ENTRYPOINT runs `/bin/sh -c \"<its text>\"`: the command given after it (Compose command:, Kubernetes args:, the words after the image in docker run) only becomes $0, $1… of that shell, which its text never reads. The service runs as the image says, not as the deployment asks.",
    fix: "Give the command as the ENTRYPOINT (Compose entrypoint:, Kubernetes command:), or make the image's ENTRYPOINT exec form so that it receives the command.",
    aliases: [],
    messages: {
      ignored: "the {{setting}} {{command}} is ignored: the image's ENTRYPOINT is in shell form ({{entrypoint}}), and sh -c runs only that text",
    },
  },
  check(ctx) {
    for (const e of ctx.model.effects) {
      if (e.kind !== "cmd-ignored" || e.cmd.origin.kind !== "deployment") continue;
      const ep = ctx.model.command?.entrypoint;
      const o = e.cmd.origin;
      const at = deploymentPlace(ctx, { line: o.line, file: o.file })!;
      ctx.report({
        ...at,
        messageId: "ignored",
        data: {
          setting: settingName(ctx, "command:", "args:", "command after the image"),
          command: JSON.stringify(e.cmd.words),
          entrypoint: ep?.text ?? ep?.words.join(" ") ?? "?",
        },
        fix: { description: settingName(ctx, "set it as entrypoint: instead", "set it as command: instead", "give it with --entrypoint instead") },
      });
    }
  },
};
