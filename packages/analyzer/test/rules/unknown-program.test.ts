import { rule } from "../../src/rules/unknown-program.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 4, severity: "info", message: /^app is not in the program catalog: what it does with SIGTERM is unknown$/ }],
    },
  ],
});
