import { rule } from "../../src/rules/su-wrapper-parent.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 3, severity: "warning", message: /^su stays as the parent of java and is PID 1$/ }],
    },
  ],
});
