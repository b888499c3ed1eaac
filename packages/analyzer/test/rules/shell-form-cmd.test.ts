import { rule } from "../../src/rules/shell-form-cmd.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [
    { fromDoc: "good" },
    {
      name: "with CMD exec … the shell is replaced and the rule does not fire",
      fromDoc: "bad",
      dockerfile: (d) => d.replace("CMD java", "CMD exec java"),
    },
  ],
  invalid: [
    {
      fromDoc: "bad",
      errors: [
        {
          file: "Dockerfile",
          line: 4,
          severity: "warning",
          message: /CMD in shell form keeps \/bin\/sh \(sh\) as PID 1: SIGTERM is dropped and the command is SIGKILLed after 10 s/,
          // the fix replacement starts the string with exec
          fix: { replacement: "CMD exec java -jar /app.jar" },
        },
      ],
    },
  ],
});
