import { rule } from "../../src/rules/dead-instruction.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 2, severity: "warning", message: /^this CMD has no effect: line 4 replaces it$/ }],
    },
    {
      name: "an earlier ENTRYPOINT is reported the same way",
      fromDoc: "good",
      dockerfile: 'FROM debian:12\nENTRYPOINT ["/old.sh"]\nENTRYPOINT ["java"]\nCMD ["-jar", "/app.jar"]\n',
      errors: [{ file: "Dockerfile", line: 2, severity: "warning", message: "this ENTRYPOINT has no effect: line 3 replaces it" }],
    },
  ],
});
