import { expect } from "vitest";
import { rule } from "../../src/rules/shell-stays-pid1.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [
    {
      name: "Good: does not fire, nginx is PID 1",
      fromDoc: "good",
      check: (a) => expect(a.prediction.processTree?.argv).toEqual(["nginx", "-g", "daemon off;"]),
    },
  ],
  invalid: [
    {
      name: "Bad: fires on the script line that starts the service without exec",
      fromDoc: "bad",
      errors: [
        {
          file: "entrypoint.sh",
          line: 4,
          severity: "error",
          message: /sh stays PID 1 and waits for nginx: docker stop's SIGQUIT is dropped and nginx is SIGKILLed after 10 s/,
          related: [{ file: "Dockerfile", line: 5, message: "the script starts here" }],
        },
      ],
      check: (a) => expect(a.prediction.stop).toMatchObject({ outcome: "killed", exitCode: 137 }),
    },
    {
      name: "the grace period in the message follows --stop-timeout",
      fromDoc: "bad",
      stopTimeout: 30,
      errors: [{ file: "entrypoint.sh", line: 4, severity: "error", message: /SIGKILLed after 30 s/ }],
    },
  ],
});
