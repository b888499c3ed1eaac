import { rule } from "../../src/rules/unquoted-args.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [
        {
          file: "entrypoint.sh",
          line: 3,
          severity: "warning",
          message: /unquoted \$@ re-splits the arguments \(an argument of the command holds a blank: "daemon off;"\)/,
          // the column points at $@
          column: 6,
        },
      ],
    },
  ],
});
