import { rule } from "../../src/rules/bashism.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 2, severity: "warning", message: /\[\[ \]\] is bash syntax: dash has no \[\[ command/ }],
    },
  ],
});
