import { rule } from "../../src/rules/background-never-signalled.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 2, severity: "warning", message: /^php-fpm8\.2, started in the background, never gets SIGQUIT: it is SIGKILLed when PID 1 exits$/ }],
    },
  ],
});
