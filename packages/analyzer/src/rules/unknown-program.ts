import { bare, walkTree, when, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "unknown-program",
    title: "A program's signal behaviour is not known",
    severity: "info",
    rationale: "The program is not in the catalog of programs' signal behaviour, so whether it stops gracefully on the stop signal is reported as unknown, not guessed.",
    fix: "Check how the program handles the stop signal, or run it under tini so that at least the signal is forwarded.",
    aliases: [],
    messages: {
      unknown: "{{program}} is not in the program catalog: what it does with {{signal}} is unknown{{when}}",
      runtime: "the program ({{program}}) is only known at run time: what it does with {{signal}} is unknown{{when}}",
    },
  },
  check(ctx) {
    for (const { tree, stop, condition, scenario } of ctx.trees()) {
      if (stop.outcome !== "unknown") continue;
      walkTree(tree, (n) => {
        // one the analysis reached after a bound stopped it was never looked up: analysis-truncated says so
        if (n.program || n.role === "shell" || /analysis cut short/.test(n.note ?? "")) return;
        const at = n.source ? ctx.locate(n.source.file, n.source.line) : { file: ctx.model.file, line: ctx.startLine() ?? 1 };
        // a program name that comes from a value only known at run time ($CMD, $(…)) is not a catalog name
        const runtime = /the program name .* is only known at run time/.test(n.note ?? "");
        const program = runtime ? n.argv[0] ?? "?" : bare(n.argv[0] ?? "?");
        ctx.report({ scenario, file: at.file, line: at.line, messageId: runtime ? "runtime" : "unknown", data: { program, signal: stop.signal, ...when(condition) } });
      });
    }
  },
};
