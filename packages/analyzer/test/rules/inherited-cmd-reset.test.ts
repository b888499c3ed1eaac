import { rule } from "../../src/rules/inherited-cmd-reset.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 3, severity: "warning", message: /resets the CMD inherited from nginx:1\.27 \(\["nginx","-g","daemon off;"\]\)/ }],
    },
  ],
});
