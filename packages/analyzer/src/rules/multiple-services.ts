import { findProgram } from "../programs.js";
import { bare, walkTree, when, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "multiple-services",
    title: "Several long-running services without a supervisor",
    severity: "warning",
    rationale: "Only PID 1 receives docker stop's signal. With several services started by a script, the others are never told to stop, nobody restarts one that dies, and the container keeps running half-broken.",
    fix: "Run one service per container, or use a supervisor (supervisord, s6-overlay) as PID 1.",
    aliases: [],
    messages: {
      noSupervisor: "{{count}} long-running services ({{services}}) run without a supervisor{{when}}",
    },
  },
  check(ctx) {
    for (const { tree, condition, scenario } of ctx.trees()) {
      if (tree.role === "supervisor" || tree.role === "init" && tree.children[0]?.role === "supervisor") continue;
      const services: string[] = [];
      walkTree(tree, (n) => {
        // A helper the catalog calls a tool (`cat`/`tee` copying the output) is not a service.
        if (n.role === "service" || (n.role === "helper" && n.program && findProgram(n.program)?.role !== "tool")) services.push(bare(n.argv[0] ?? "?"));
      });
      if (services.length < 2) continue;
      ctx.report({ scenario,
        file: ctx.model.file,
        line: ctx.startLine() ?? ctx.model.target?.line ?? 1,
        messageId: "noSupervisor",
        data: { count: services.length, services: services.join(", "), ...when(condition) },
      });
    }
  },
};
