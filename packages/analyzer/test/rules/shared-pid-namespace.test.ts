// shared-pid-namespace: the page's examples run in the deployment of their ```yaml deployment=… block (read as the CLI reads it).
import { rule as sharedPid } from "../../src/rules/shared-pid-namespace.js";
import { RuleTester } from "../support/rule-tester.js";

const k8s = (d: Partial<Deployment>): Deployment => ({ kind: "kubernetes", file: "k8s.yaml", workload: "pod/p", container: "web", line: 4, ...d });

new RuleTester().run(sharedPid, {
  valid: [{ fromDoc: "good" }, { name: "the same image in its own PID namespace", fromDoc: "bad", deployment: k8s({}) }],
  invalid: [
    { fromDoc: "bad", errors: [{ file: "k8s.yaml", line: 6, severity: "warning", messageId: "diesAtOnce", data: { program: "sh", signal: "SIGTERM", others: "nginx", are: "is" } }] },
  ],
});
