// stop-signal-unhandled: the page's examples run in the deployment of their ```yaml deployment=… block (read as the CLI reads it).
import { rule as stopUnhandled } from "../../src/rules/stop-signal-unhandled.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(stopUnhandled, {
  valid: [
    { fromDoc: "good" },
    { name: "the image's own signal, set again", fromDoc: "good", deployment: { kind: "compose", file: "compose.yaml", service: "web", line: 2, stopSignal: { value: "SIGQUIT", line: 4 } } },
  ],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "compose.yaml", line: 4, severity: "warning", messageId: "unhandled", data: { signal: "SIGHUP", setting: "stop_signal:", program: "nginx", what: "reloads on it and goes on", imageSignal: "SIGQUIT" } }],
    },
  ],
});
