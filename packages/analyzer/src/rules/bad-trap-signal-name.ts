import { issuesOf, startsHere, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "bad-trap-signal-name",
    title: "dash rejects signal names with the SIG prefix",
    severity: "error",
    rationale: "Under dash (/bin/sh on Debian and Ubuntu), trap h SIGTERM prints \"bad trap\" and sets no trap at all: the script goes on without signal handling, and docker stop ends in SIGKILL.",
    fix: "Write the name without SIG: trap h TERM.",
    aliases: [],
    messages: {
      badTrap: "dash rejects the signal name {{name}} (\"trap: {{name}}: bad trap\"): no trap is set; write {{bare}}",
    },
  },
  check(ctx) {
    for (const i of issuesOf(ctx, "bad-trap-name")) {
      const at = ctx.locate(i.file, i.line);
      const bare = i.name.toUpperCase().replace(/^SIG/, "");
      ctx.report({ file: at.file, line: at.line, messageId: "badTrap", data: { name: i.name, bare }, related: startsHere(ctx) });
    }
  },
};
