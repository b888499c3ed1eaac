import { rule } from "../../src/rules/missing-program.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 3, severity: "error", message: /^\/entrypoint\.sh does not exist in the image/ }],
    },
    {
      name: "a name not on the PATH of an image whose files are all known (scratch)",
      dockerfile: 'FROM scratch\nCMD ["nosuchprog"]\n',
      errors: [{ file: "Dockerfile", line: 2, severity: "error", messageId: "notOnPath", data: { program: "nosuchprog" } }],
    },
    {
      name: "a shell the image does not have (bash on Alpine)",
      dockerfile: 'FROM alpine:3.20\nCMD ["bash", "-c", "sleep 100"]\n',
      errors: [{ file: "Dockerfile", line: 2, severity: "error", messageId: "shellNotOnPath", data: { program: "bash", name: "bash" } }],
    },
  ],
});
