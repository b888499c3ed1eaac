import { describe, expect, test } from "vitest";
import { describeFindings, findingsFor, readDocPage, runExample } from "../../test/support/doc-examples.js";
import { rule } from "./shell-stays-pid1.js";

const id = rule.meta.id;
const page = readDocPage(id);

describe(`${id}: the examples of docs/rules/${id}.md`, () => {
  test("Bad: fires on the script line that starts the service without exec", () => {
    const a = runExample(page.bad);
    const f = findingsFor(a, id);
    expect(f, describeFindings(a.findings)).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: "entrypoint.sh", line: 4, severity: "error" });
    expect(f[0]!.message).toMatch(/sh stays PID 1 and waits for nginx: docker stop's SIGQUIT is dropped and nginx is SIGKILLed after 10 s/);
    expect(f[0]!.related).toEqual([{ file: "Dockerfile", line: 5, message: "the script starts here" }]);
    expect(a.prediction.stop).toMatchObject({ outcome: "killed", exitCode: 137 });
  });
  test("Good: does not fire, nginx is PID 1", () => {
    const a = runExample(page.good);
    expect(findingsFor(a, id), describeFindings(a.findings)).toEqual([]);
    expect(a.prediction.processTree?.argv).toEqual(["nginx", "-g", "daemon off;"]);
  });
  test("the grace period in the message follows --stop-timeout", () => {
    const f = findingsFor(runExample(page.bad, { stopTimeout: 30 }), id);
    expect(f[0]!.message).toMatch(/SIGKILLed after 30 s/);
  });
});
