import { rule } from "../../src/rules/literal-dollar-exec-form.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 4, severity: "warning", message: /CMD passes "\$APP_HOME\/app\.jar" literally/ }],
    },
  ],
});
