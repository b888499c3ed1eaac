import { expect } from "vitest";
import { rule } from "../../src/rules/pid1-no-handler.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [
    {
      name: "Good: does not fire, tini is PID 1",
      fromDoc: "good",
      check: (a) => expect(a.prediction.processTree).toMatchObject({ program: "tini", role: "init" }),
    },
    {
      name: "STOPSIGNAL SIGINT reaches python (it handles INT): no finding",
      fromDoc: "bad",
      dockerfile: (d) => d.replace("CMD", "STOPSIGNAL SIGINT\nCMD"),
    },
  ],
  invalid: [
    {
      name: "Bad: fires on the CMD that makes python PID 1",
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 4, severity: "error", message: "PID 1 (python) has no handler for SIGTERM: docker stop waits 10 s and SIGKILLs it" }],
    },
    {
      name: "a stop signal the program ignores (redis-server and SIGHUP)",
      dockerfile: 'FROM redis:7.2\nSTOPSIGNAL SIGHUP\nCMD ["redis-server"]\n',
      errors: [{ file: "Dockerfile", line: 3, severity: "error", messageId: "ignores", data: { program: "redis-server", signal: "SIGHUP", grace: 10, when: "" } }],
    },
  ],
});
