import { rule } from "../../src/rules/unknown-program.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 4, severity: "info", message: /^app is not in the program catalog: what it does with SIGTERM is unknown$/ }],
    },
    {
      name: "a program named by a value only known at run time is not a catalog name (and not a missing program)",
      dockerfile: 'FROM debian:bookworm\nCOPY --chmod=755 run.sh /\nENTRYPOINT ["/run.sh"]\n',
      files: { "run.sh": { content: '#!/bin/sh\nexec gosu app "$(cat /etc/app/cmd)" --port 80\n', mode: 0o755 } },
      errors: [{ file: "run.sh", line: 2, severity: "info", message: /^the program \(\$\(…\)\) is only known at run time: what it does with SIGTERM is unknown$/ }],
    },
  ],
});
