import { rule } from "../../src/rules/container-exits.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 5, severity: "warning", message: /PID 1 \(sh\) reaches its end and exits/ }],
    },
  ],
});
