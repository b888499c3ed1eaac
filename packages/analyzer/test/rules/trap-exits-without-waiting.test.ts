import { rule } from "../../src/rules/trap-exits-without-waiting.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [
        {
          file: "entrypoint.sh",
          line: 2,
          severity: "warning",
          message: /the SIGTERM trap signals java but PID 1 exits without waiting/,
          // the suggested handler forwards and waits
          fix: { replacement: `trap 'kill -TERM "$pid"; wait "$pid"; exit $?' TERM` },
        },
      ],
    },
    {
      name: "a trap that only exits: the background service never hears the signal",
      dockerfile: 'FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["nginx"]\n',
      files: { "e.sh": { content: '#!/bin/sh\ntrap "exit 0" TERM\n"$@" &\nwait\n', mode: 0o755 } },
      errors: [{ file: "e.sh", line: 2, severity: "warning", messageId: "exitsAlone", data: { signal: "SIGTERM", when: "" } }],
    },
    {
      name: "bash with an EXIT trap exits at once on TERM (measured), its foreground service is SIGKILLed",
      dockerfile: 'FROM nginx:1.27\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nSTOPSIGNAL SIGTERM\n',
      files: { "e.sh": { content: '#!/bin/bash\ntrap "echo bye" EXIT\nnginx -g "daemon off;"\n', mode: 0o755 } },
      errors: [{ file: "e.sh", line: 2, severity: "warning", messageId: "exitTrap", data: { signal: "SIGTERM", services: "nginx", when: "" } }],
    },
  ],
});
