// command-ignored: the page's examples run in the deployment of their ```yaml deployment=… block (read as the CLI reads it).
import { rule as commandIgnored } from "../../src/rules/command-ignored.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(commandIgnored, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "compose.yaml", line: 4, severity: "warning", messageId: "ignored", data: { setting: "command:", command: '["nginx","-g","daemon off; worker_processes 2;"]', entrypoint: 'nginx -g "daemon off;"' } }],
    },
  ],
});
