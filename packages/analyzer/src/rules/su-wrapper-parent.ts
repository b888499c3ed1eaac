import { bare, walkTree, when, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "su-wrapper-parent",
    title: "su, sudo or runuser stays as the parent of the service",
    severity: "warning",
    rationale: "su -c, sudo and runuser with a command stay as a parent process: signals go to them, not to the service. util-linux su as PID 1 turns any stop signal into TERM for its child and SIGKILLs it 2 seconds later, whatever the service needs.",
    fix: "Drop privileges with a wrapper that execs: gosu, su-exec or setpriv (exec gosu app \"$@\").",
    aliases: [],
    messages: {
      staysParent: "{{wrapper}} stays as the parent of {{children}}{{pid1}}{{when}}",
    },
  },
  check(ctx) {
    for (const { tree, condition, scenario } of ctx.trees()) {
      walkTree(tree, (n) => {
        if (n.role !== "wrapper" || !["su", "sudo", "runuser"].includes(n.program ?? "")) return;
        const at = n.source ? ctx.locate(n.source.file, n.source.line) : { file: ctx.model.file, line: ctx.startLine() ?? 1 };
        ctx.report({ scenario,
          file: at.file,
          line: at.line,
          messageId: "staysParent",
          data: {
            wrapper: bare(n.argv[0] ?? "su"),
            children: n.children.map((c) => bare(c.argv[0] ?? "?")).join(", ") || "the command",
            pid1: n.pid === 1 ? " and is PID 1" : "",
            ...when(condition),
          },
          fix: { description: "use gosu, su-exec or setpriv, which exec the command" },
        });
      });
    }
  },
};
