import { rule } from "../../src/rules/service-daemonizes.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 4, severity: "error", message: /nginx daemonizes/ }],
    },
  ],
});
