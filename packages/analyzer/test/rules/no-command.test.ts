import { rule } from "../../src/rules/no-command.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 1, severity: "error", message: /no command: neither ENTRYPOINT nor CMD/ }],
    },
  ],
});
