import { rule } from "../../src/rules/bad-trap-signal-name.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 2, severity: "error", message: /dash rejects the signal name SIGTERM .*write TERM/ }],
    },
  ],
});
