import { describe, expect, test } from "vitest";
import { describeFindings, findingsFor, readDocPage, runExample } from "../../test/support/doc-examples.js";
import { rule } from "./shell-form-without-shell.js";

const id = rule.meta.id;
const page = readDocPage(id);

describe(`${id}: the examples of docs/rules/${id}.md`, () => {
  test("Bad: fires once, at Dockerfile:3", () => {
    const a = runExample(page.bad);
    const f = findingsFor(a, id);
    expect(f, describeFindings(a.findings)).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: "Dockerfile", line: 3, severity: "error" });
    expect(f[0]!.message).toMatch(/CMD in shell form needs \/bin\/sh, but the base image gcr\.io\/distroless\/static-debian12 has no shell/);
  });
  test("Good: does not fire", () => {
    const a = runExample(page.good);
    expect(findingsFor(a, id), describeFindings(a.findings)).toEqual([]);
  });
});
