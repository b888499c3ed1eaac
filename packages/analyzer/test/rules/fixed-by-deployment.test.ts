// fixed-by-deployment: the page's examples run in the deployment of their ```yaml deployment=… block (read as the CLI reads it).
import { rule as fixed } from "../../src/rules/fixed-by-deployment.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(fixed, {
  valid: [{ fromDoc: "good" }, { name: "the image alone", dockerfile: 'FROM debian:12\nCMD ["sleep", "infinity"]\n' }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "compose.yaml", line: 2, severity: "info", messageId: "fixed", data: { rule: "pid1-no-handler", where: "Dockerfile:2", kind: "Compose service", outcome: "SIGTERM reaches docker-init, sleep, and PID 1 exits once the service has stopped" } }],
    },
    {
      name: "init over a wrapper that does not exec: the stop is still not clean",
      fromDoc: "bad",
      dockerfile: 'FROM debian:12\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n',
      files: { "entrypoint.sh": { content: '#!/bin/sh\necho start\n"$@"\n', mode: 0o755 } },
      errors: [{ file: "compose.yaml", line: 2, severity: "warning", messageId: "notFixed", data: { rule: "shell-stays-pid1", where: "entrypoint.sh:3", kind: "Compose service", outcome: "PID 1 (docker-init) exits, but nginx never gets SIGTERM: the kernel SIGKILLs it with PID 1" } }],
    },
  ],
});
