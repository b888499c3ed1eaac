import { rule } from "../../src/rules/shell-form-without-shell.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 3, severity: "error", message: /CMD in shell form needs \/bin\/sh, but the base image gcr\.io\/distroless\/static-debian12 has no shell/ }],
    },
  ],
});
