import { rule } from "../../src/rules/unknown-base-image.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 1, severity: "info", message: /registry\.example\.com\/team\/java-base:1\.4 is not in the catalog/ }],
    },
  ],
});
