import { describe, expect, test } from "vitest";
import { describeFindings, findingsFor, readDocPage, runExample } from "../../test/support/doc-examples.js";
import { rule } from "./shell-form-cmd.js";

const id = rule.meta.id;
const page = readDocPage(id);

describe(`${id}: the examples of docs/rules/${id}.md`, () => {
  test("Bad: fires once, at Dockerfile:4", () => {
    const a = runExample(page.bad);
    const f = findingsFor(a, id);
    expect(f, describeFindings(a.findings)).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: "Dockerfile", line: 4, severity: "warning" });
    expect(f[0]!.message).toMatch(/CMD in shell form keeps \/bin\/sh \(sh\) as PID 1: SIGTERM is dropped and the command is SIGKILLed after 10 s/);
  });
  test("Good: does not fire", () => {
    const a = runExample(page.good);
    expect(findingsFor(a, id), describeFindings(a.findings)).toEqual([]);
  });
  test("the fix replacement starts the string with exec", () => {
    const f = findingsFor(runExample(page.bad), id);
    expect(f[0]!.fix?.replacement).toBe("CMD exec java -jar /app.jar");
  });
  test("with CMD exec … the shell is replaced and the rule does not fire", () => {
    const a = runExample({ ...page.bad, dockerfile: page.bad.dockerfile.replace("CMD java", "CMD exec java") });
    expect(findingsFor(a, id), describeFindings(a.findings)).toEqual([]);
  });
});
