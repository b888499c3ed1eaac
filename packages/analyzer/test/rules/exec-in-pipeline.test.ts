import { rule } from "../../src/rules/exec-in-pipeline.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 2, severity: "warning", message: /exec in a pipeline replaces only the pipeline's child process/ }],
    },
  ],
});
