import { rule } from "../../src/rules/stopsignal-mismatch.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [
    { fromDoc: "good" },
    { name: "docker run --stop-signal SIGQUIT (an analyze option) silences it", fromDoc: "bad", stopSignal: "SIGQUIT" },
  ],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 3, severity: "warning", message: /^the stop signal is SIGTERM, but nginx stops gracefully on SIGQUIT$/ }],
    },
  ],
});
