import { rule } from "../../src/rules/shell-form-entrypoint.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 3, severity: "warning", message: /CMD \["java","-jar","\/app\.jar"\] is passed only as \$0… and ignored/ }],
    },
    {
      name: "without a CMD: only docker run's arguments are lost",
      dockerfile: "FROM debian:bookworm\nENTRYPOINT java -jar /app.jar\n",
      errors: [{ file: "Dockerfile", line: 2, severity: "warning", messageId: "shellForm", data: { words: '["/bin/sh","-c","java -jar /app.jar"]' } }],
    },
  ],
});
