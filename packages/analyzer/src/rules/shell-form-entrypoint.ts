import { originLine, splitWordsKeepQuotes } from "@audit-image/dockerfile";
import type { Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "shell-form-entrypoint",
    title: "ENTRYPOINT in shell form ignores CMD and docker run arguments",
    severity: "warning",
    rationale:
      "A shell-form ENTRYPOINT runs as `/bin/sh -c \"...\"`: CMD and the arguments of docker run become $0, $1… of that shell and are ignored by the command string. The shell may also stay PID 1 and swallow docker stop's signal.",
    fix: "Use the exec form: ENTRYPOINT [\"/entrypoint.sh\"].",
    aliases: ["DL3025", "JSONArgsRecommended"],
    messages: {
      shellForm: "ENTRYPOINT in shell form runs {{words}}; docker run arguments are ignored too",
      cmdIgnored: "ENTRYPOINT in shell form runs {{words}}: CMD {{cmd}} is passed only as $0… and ignored; docker run arguments are ignored too",
    },
  },
  check(ctx) {
    const c = ctx.model.command;
    const ep = c?.entrypoint;
    if (!ep || ep.form !== "shell" || ep.origin.kind !== "instruction" || ep.jsonFallback) return;
    const text = (ep.text ?? "").trim();
    // Exec form runs no shell: offer it only for text that needs none (no $, no operators, no globs).
    // (quoted parts are literal, except $ ` \ inside double quotes)
    const unquoted = text.replace(/'[^']*'|"[^"$`\\]*"/g, "");
    const words = /[$`|&;<>*?(){}\\'"]/.test(unquoted) ? null : splitWordsKeepQuotes(text).map((w) => w.replace(/^(["'])(.*)\1$/s, "$2"));
    ctx.report({
      file: ctx.model.file,
      line: originLine(ep.origin)!,
      ...(c!.cmdIgnored
        ? { messageId: "cmdIgnored", data: { words: JSON.stringify(ep.words), cmd: JSON.stringify(c!.cmd!.words) } }
        : { messageId: "shellForm", data: { words: JSON.stringify(ep.words) } }),
      fix: words ? { description: "use the exec form", replacement: `ENTRYPOINT ${JSON.stringify(words)}` } : { description: "use the exec form (the command needs a shell: put it in a script, and exec it)" },
    });
  },
};
