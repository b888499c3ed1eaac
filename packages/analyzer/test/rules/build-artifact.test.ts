import { rule } from "../../src/rules/build-artifact.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [
    { fromDoc: "good" },
    {
      name: "a missing source in a stage the target does not need: BuildKit never builds it",
      dockerfile: 'FROM alpine:3.20 AS local\nCOPY prebuilt/app /app\n\nFROM alpine:3.20\nCMD ["sleep", "1"]\n',
    },
  ],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 2, severity: "warning", message: /dist\/server" is not in the build context.*PID 1 \/usr\/local\/bin\/server comes from it/ }],
    },
    {
      name: "a pattern that matches nothing (target/*.jar), nothing runs from it",
      dockerfile: 'FROM eclipse-temurin:21-jre\nCOPY target/*.jar /app/\nCMD ["java", "-jar", "/app/app.jar"]\n',
      errors: [{ file: "Dockerfile", line: 2, severity: "warning", messageId: "pattern" }],
    },
  ],
});
