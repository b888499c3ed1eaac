import { rule } from "../../src/rules/json-fallback.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [
        {
          file: "Dockerfile",
          line: 3,
          severity: "error",
          message: /ENTRYPOINT \['\/entrypoint\.sh'\] is not valid JSON/,
          // the fix rewrites the quotes
          fix: { replacement: 'ENTRYPOINT ["/entrypoint.sh"]' },
        },
      ],
    },
  ],
});
