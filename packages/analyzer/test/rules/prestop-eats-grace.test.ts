// prestop-eats-grace: the page's examples run in the deployment of their ```yaml deployment=… block (read as the CLI reads it).
import { rule as preStop } from "../../src/rules/prestop-eats-grace.js";
import { RuleTester } from "../support/rule-tester.js";

const k8s = (d: Partial<Deployment>): Deployment => ({ kind: "kubernetes", file: "k8s.yaml", workload: "pod/p", container: "web", line: 4, ...d });

new RuleTester().run(preStop, {
  valid: [
    { fromDoc: "good" },
    { name: "a preStop of unknown length", fromDoc: "bad", deployment: k8s({ gracePeriod: { value: 30, line: null }, preStop: { value: { kind: "httpGet", what: "/drain on port 80", seconds: null }, line: 9 } }) },
  ],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "k8s.yaml", line: 10, severity: "warning", messageId: "eaten", data: { what: "sleep 30 s", seconds: 30, grace: 30, signal: "SIGQUIT" } }],
      check: (a) => {
        if (a.prediction.stop.preStop?.killAfter !== 32) throw new Error(`SIGKILL at ${a.prediction.stop.preStop?.killAfter}, not 32 s`);
      },
    },
  ],
});
