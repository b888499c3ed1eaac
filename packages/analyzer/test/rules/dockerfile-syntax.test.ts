import { rule } from "../../src/rules/dockerfile-syntax.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 5, severity: "error", message: /unknown instruction: rm/ }],
    },
  ],
});
