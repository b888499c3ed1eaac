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
      maybeNoShell:
        "{{keyword}} in shell form needs {{shell}}; the base image {{image}} has no shell, and whether the build puts {{shell}} there is not known: {{reason}}",
    },
  },
  check(ctx) {
    for (const e of ctx.model.effects) {
      if (e.kind !== "shell-form-without-shell") continue;
      const data = { keyword: e.keyword, shell: e.shell, image: ctx.model.target?.base.root ?? "" };
      if (e.unsure) ctx.report({ file: ctx.model.file, line: e.line, messageId: "maybeNoShell", severity: "warning", data: { ...data, reason: e.unsure } });
      else ctx.report({ file: ctx.model.file, line: e.line, messageId: "noShell", data });
    }
  },
};
