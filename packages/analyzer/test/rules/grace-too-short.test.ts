// grace-too-short: the catalog's stopTakes against the time between the signal and SIGKILL.
import { rule } from "../../src/rules/grace-too-short.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [
    { fromDoc: "good" },
    { name: "docker stop -t 40", fromDoc: "bad", stopTimeout: 40 },
    { name: "Kubernetes: 30 s is not shorter than 30 s", fromDoc: "bad", deployment: { kind: "kubernetes", file: "k8s.yaml", workload: "deployment/web", container: "web", line: 9, gracePeriod: { value: 30, line: null } } },
  ],
  invalid: [
    { fromDoc: "bad", errors: [{ file: "Dockerfile", line: 5, severity: "warning", messageId: "tooShort", data: { program: "gunicorn", seconds: 30, signal: "SIGTERM", setting: "graceful_timeout (--graceful-timeout)", left: 10, when: "" } }] },
    {
      name: "a preStop sleep eats into Kubernetes' 30 s",
      fromDoc: "bad",
      deployment: { kind: "kubernetes", file: "k8s.yaml", workload: "deployment/web", container: "web", line: 9, gracePeriod: { value: 30, line: null }, preStop: { value: { kind: "sleep", what: "5 s", seconds: 5 }, line: 12 } },
      errors: [{ file: "k8s.yaml", line: 9, severity: "warning", messageId: "tooShort", data: { program: "gunicorn", seconds: 30, signal: "SIGTERM", setting: "graceful_timeout (--graceful-timeout)", left: 25, when: "" }, fix: { description: "terminationGracePeriodSeconds: 40" } }],
    },
  ],
});
