import { describe, expect, test } from "vitest";
import { describeFindings, findingsFor, readDocPage, runExample } from "../../test/support/doc-examples.js";
import { rule } from "./not-executable.js";

const id = rule.meta.id;
const page = readDocPage(id);

describe(`${id}: the examples of docs/rules/${id}.md`, () => {
  test("Bad: fires once, at Dockerfile:2", () => {
    const a = runExample(page.bad);
    const f = findingsFor(a, id);
    expect(f, describeFindings(a.findings)).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: "Dockerfile", line: 2, severity: "error" });
    expect(f[0]!.message).toMatch(/\/entrypoint\.sh is not executable \(mode 644\)/);
  });
  test("Good: does not fire", () => {
    const a = runExample(page.good);
    expect(findingsFor(a, id), describeFindings(a.findings)).toEqual([]);
  });
  test("the fix is to copy with --chmod=755", () => {
    const f = findingsFor(runExample(page.bad), id);
    expect(f[0]!.fix?.description).toMatch(/--chmod=755/);
  });
});
