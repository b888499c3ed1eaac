import { rule } from "../../src/rules/not-executable.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [
        {
          file: "Dockerfile",
          line: 2,
          severity: "error",
          message: /\/entrypoint\.sh is not executable \(mode 644\)/,
          // the fix is to copy with --chmod=755
          fix: { description: /--chmod=755/ },
        },
      ],
    },
  ],
});
