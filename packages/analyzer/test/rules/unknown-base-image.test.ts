import { rule } from "../../src/rules/unknown-base-image.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 1, severity: "info", message: /registry\.example\.com\/team\/java-base:1\.4 is not in the catalog/ }],
    },
    {
      name: "the message says what the prediction took for granted (its ENTRYPOINT, STOPSIGNAL, /bin/sh)",
      dockerfile: "FROM registry.example.com/team/base:2\nCMD app --serve\n",
      errors: [{ file: "Dockerfile", line: 1, severity: "info", message: /assumes no ENTRYPOINT of its own \(the CMD runs as it is\) and STOPSIGNAL SIGTERM, and does not know which shell \/bin\/sh is$/ }],
    },
  ],
});
