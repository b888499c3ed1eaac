import { rule } from "../../src/rules/missing-program.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 3, severity: "error", message: /^\/entrypoint\.sh does not exist in the image/ }],
    },
  ],
});
