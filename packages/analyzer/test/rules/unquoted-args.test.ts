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
    {
      name: "no argument with a blank: the message says only that the arguments are split again",
      dockerfile: 'FROM nginx:1.27\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["nginx", "-g", "daemon-off"]\n',
      files: { "e.sh": { content: "#!/bin/sh\nexec $@\n", mode: 0o755 } },
      errors: [{ file: "e.sh", line: 2, severity: "warning", messageId: "resplits", data: { param: "@" }, column: 6 }],
    },
  ],
});
