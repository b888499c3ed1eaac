import { rule } from "../../src/rules/multiple-services.js";
import { expect } from "vitest";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [
    { fromDoc: "good" },
    {
      name: "a tool that copies the output (exec > >(tee -a log)) is not a service",
      dockerfile: 'FROM debian:12\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n',
      files: { "e.sh": { content: '#!/bin/bash\nexec > >(tee -a /var/log/start.log) 2>&1\nexec "$@"\n', mode: 0o755 } },
      check: (a) => expect(a.prediction.processTree?.children.map((c) => c.argv[0])).toEqual(["tee"]),
    },
  ],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 5, severity: "warning", message: /2 long-running services \(nginx, cron\) run without a supervisor/ }],
    },
  ],
});
