import { rule } from "../../src/rules/multiple-services.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 5, severity: "warning", message: /2 long-running services \(nginx, cron\) run without a supervisor/ }],
    },
  ],
});
