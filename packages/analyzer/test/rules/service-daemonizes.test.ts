import { expect } from "vitest";
import { rule } from "../../src/rules/service-daemonizes.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 4, severity: "error", message: /nginx daemonizes/ }],
    },
    {
      name: "a run other than the headline daemonizes: reported as a warning (errors are for the headline run), naming its condition, and not a precondition of the headline",
      dockerfile: 'FROM debian:12\nCOPY e.sh /e.sh\nSTOPSIGNAL SIGQUIT\nENTRYPOINT ["/e.sh"]\n',
      files: { "e.sh": { content: '#!/bin/sh\nif [ "$MODE" = "legacy" ]; then exec nginx; fi\nexec nginx -g "daemon off;"\n', mode: 0o755 } },
      errors: [{ file: "Dockerfile", line: 4, severity: "warning", message: /^nginx daemonizes: .* \(when MODE is "legacy"\)$/ }],
      check: (a) => {
        expect(a.prediction.processTree?.argv).toEqual(["nginx", "-g", "daemon off;"]);
        expect(a.prediction.headline?.preconditions).toEqual([]);
      },
    },
  ],
});
