import { rule } from "../../src/rules/trap-misses-stop-signal.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 2, severity: "warning", message: /the trap covers SIGINT but not SIGTERM/ }],
    },
  ],
});
