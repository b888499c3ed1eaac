import { rule } from "../../src/rules/tini-option-confusion.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 4, severity: "warning", message: /an option meant for python \(-v\) is taken by tini/ }],
    },
  ],
});
