import { reportIssues, type Rule } from "./rule.js";

export const rule: Rule = {
  meta: {
    id: "bad-trap-signal-name",
    title: "dash rejects signal names with the SIG prefix",
    severity: "error",
    rationale: "Under dash (/bin/sh on Debian and Ubuntu), trap h SIGTERM prints \"bad trap\" and sets no trap at all: the script goes on without signal handling, and docker stop ends in SIGKILL.",
    fix: "Write the name without SIG: trap h TERM.",
    aliases: [],
  },
  check(ctx) {
    reportIssues(ctx, "bad-trap-name");
  },
};
