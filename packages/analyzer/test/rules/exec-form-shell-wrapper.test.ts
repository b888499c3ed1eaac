import { rule } from "../../src/rules/exec-form-shell-wrapper.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 4, severity: "warning", message: /sh -c stays PID 1 .*SIGTERM is dropped/ }],
    },
  ],
});
