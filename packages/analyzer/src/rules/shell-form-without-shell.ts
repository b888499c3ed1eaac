import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "shell-form-without-shell",
    title: "Shell form on an image that has no shell",
    severity: "error",
    rationale: "Shell form runs /bin/sh -c; scratch and distroless images have no /bin/sh, so the container cannot start.",
    fix: "Use the exec form.",
    aliases: ["JSONArgsRecommended"],
    messages: {
      noShell: "{{keyword}} in shell form needs {{shell}}, but the base image {{image}} has no shell",
    },
  },
  check(ctx) {
    for (const e of ctx.model.effects) {
      if (e.kind !== "shell-form-without-shell") continue;
      ctx.report({ file: ctx.model.file, line: e.line, messageId: "noShell", data: { keyword: e.keyword, shell: e.shell, image: ctx.model.target?.base.root ?? "" } });
    }
  },
};
