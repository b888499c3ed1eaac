// init-doubled: the page's examples run in the deployment of their ```yaml deployment=… block (read as the CLI reads it).
import { rule as initDoubled } from "../../src/rules/init-doubled.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(initDoubled, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    { fromDoc: "bad", errors: [{ file: "compose.yaml", line: 4, severity: "warning", messageId: "doubled", data: { setting: "init: true", init: "tini" } }] },
    {
      name: "docker run --init",
      fromDoc: "bad",
      deployment: { kind: "docker-run", file: "<command line>", init: { value: true, line: null } },
      errors: [{ file: "<command line>", line: 1, severity: "warning", message: /^--init puts docker-init/ }],
    },
  ],
});
