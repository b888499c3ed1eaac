import { rule } from "../../src/rules/trap-exits-without-waiting.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [
        {
          file: "entrypoint.sh",
          line: 2,
          severity: "warning",
          message: /the SIGTERM trap signals java but PID 1 exits without waiting/,
          // the suggested handler forwards and waits
          fix: { replacement: `trap 'kill -TERM "$pid"; wait "$pid"; exit $?' TERM` },
        },
      ],
    },
  ],
});
