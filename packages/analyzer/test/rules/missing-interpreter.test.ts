import { rule } from "../../src/rules/missing-interpreter.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 1, severity: "error", message: /the interpreter \/bin\/bash of \/entrypoint\.sh does not exist in the image/ }],
    },
  ],
});
