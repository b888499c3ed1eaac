import { bare, startsHere, walkTree, when, type Rule, type RuleContext } from "./rule.js";

/** The text of a line of a script in the image (a context file or a heredoc), when it can be read. */
function scriptLine(ctx: RuleContext, imagePath: string, line: number): string | null {
  if (!imagePath.startsWith("/")) return null;
  const r = ctx.model.resolve(imagePath);
  if (r.kind !== "context") return null;
  return r.content()?.split("\n")[line - 1] ?? null;
}

export const rule: Rule = {
  meta: {
    id: "shell-stays-pid1",
    title: "The entrypoint shell stays PID 1 and waits for the service",
    severity: "error",
    rationale:
      "A shell at PID 1 has no handler for SIGTERM, so the kernel drops docker stop's signal. The service never hears it, and Docker SIGKILLs everything when the grace period ends: 10 seconds lost on every stop, and no clean shutdown.",
    fix: "Start the service with exec (for example `exec \"$@\"`), so that it replaces the shell as PID 1.",
    aliases: [],
    messages: {
      staysPid1: "{{shell}} stays PID 1 and waits for {{service}}: docker stop's {{signal}} is dropped and {{service}} is SIGKILLed after {{grace}} s{{when}}",
    },
  },
  check(ctx) {
    for (const { tree, stop, condition, scenario } of ctx.trees()) {
      walkTree(tree, (n) => {
        if (n.pid !== 1 || n.role !== "shell" || n.children.length === 0) return;
        if (stop.outcome !== "killed") return;
        const fg = n.children.find((c) => !c.background && c.source && c.source.file !== ctx.model.file);
        if (!fg || !fg.source) return;
        const at = ctx.locate(fg.source.file, fg.source.line);
        const text = scriptLine(ctx, fg.source.file, fg.source.line);
        // `exec` goes in front of a simple command only: never of a subshell, a list or a compound command.
        const t = (text ?? "").trim().replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, '""');
        const simple = t !== "" && !/^(exec|if|then|else|elif|while|until|for|case|do)\b/.test(t) && !/[;&|(){}`]|\bthen\b|\bfi\b|\bdone\b/.test(t);
        const replacement = text && simple ? text.replace(/^(\s*)/, "$1exec ") : undefined;
        ctx.report({ scenario,
          file: at.file,
          line: at.line,
          messageId: "staysPid1",
          data: { shell: bare(n.argv[0] ?? "sh"), service: bare(fg.argv[0] ?? "?"), signal: stop.signal, grace: stop.gracePeriod, ...when(condition) },
          fix: { description: "exec the service, so that it replaces the shell as PID 1", ...(replacement ? { replacement } : {}) },
          related: startsHere(ctx, "the script starts here"),
        });
      });
    }
  },
};
