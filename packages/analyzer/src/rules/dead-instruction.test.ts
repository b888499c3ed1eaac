import { describe, expect, test } from "vitest";
import { describeFindings, findingsFor, readDocPage, runExample } from "../../test/support/doc-examples.js";
import { rule } from "./dead-instruction.js";

const id = rule.meta.id;
const page = readDocPage(id);

describe(`${id}: the examples of docs/rules/${id}.md`, () => {
  test("Bad: fires once, at Dockerfile:2", () => {
    const a = runExample(page.bad);
    const f = findingsFor(a, id);
    expect(f, describeFindings(a.findings)).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: "Dockerfile", line: 2, severity: "warning" });
    expect(f[0]!.message).toMatch(/^this CMD has no effect: line 4 replaces it$/);
  });
  test("Good: does not fire", () => {
    const a = runExample(page.good);
    expect(findingsFor(a, id), describeFindings(a.findings)).toEqual([]);
  });
  test("an earlier ENTRYPOINT is reported the same way", () => {
    const a = runExample({ ...page.good, dockerfile: 'FROM debian:12\nENTRYPOINT ["/old.sh"]\nENTRYPOINT ["java"]\nCMD ["-jar", "/app.jar"]\n' });
    expect(findingsFor(a, id).map((f) => [f.line, f.message])).toEqual([[2, "this ENTRYPOINT has no effect: line 3 replaces it"]]);
  });
});
