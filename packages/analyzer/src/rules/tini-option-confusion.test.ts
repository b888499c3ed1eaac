import { describe, expect, test } from "vitest";
import { describeFindings, findingsFor, readDocPage, runExample } from "../../test/support/doc-examples.js";
import { rule } from "./tini-option-confusion.js";

const id = rule.meta.id;
const page = readDocPage(id);

describe(`${id}: the examples of docs/rules/${id}.md`, () => {
  test("Bad: fires once, at Dockerfile:4", () => {
    const a = runExample(page.bad);
    const f = findingsFor(a, id);
    expect(f, describeFindings(a.findings)).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: "Dockerfile", line: 4, severity: "warning" });
    expect(f[0]!.message).toMatch(/an option meant for python \(-v\) is taken by tini/);
  });
  test("Good: does not fire", () => {
    const a = runExample(page.good);
    expect(findingsFor(a, id), describeFindings(a.findings)).toEqual([]);
  });
});
