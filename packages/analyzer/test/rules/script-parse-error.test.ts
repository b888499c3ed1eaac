import { rule } from "../../src/rules/script-parse-error.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 2, severity: "error", message: /if statement must end with "fi"/ }],
    },
  ],
});
