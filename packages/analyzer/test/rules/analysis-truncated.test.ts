import { rule } from "../../src/rules/analysis-truncated.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [
    { fromDoc: "good" },
    { name: "a lower path limit truncates the Good example's single path never", fromDoc: "good", limits: { maxPaths: 2 } },
  ],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 1, severity: "warning", message: /analysis cut short: more than 32 run-time paths/ }],
    },
  ],
});
