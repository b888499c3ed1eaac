import { rule } from "../../src/rules/no-shebang.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 1, severity: "error", message: /has no #! line: Docker's exec fails with "exec format error"/ }],
    },
  ],
});
