import { describe, expect, test } from "vitest";
import { describeFindings, findingsFor, readDocPage, runExample } from "../../test/support/doc-examples.js";
import { rule } from "./unquoted-args.js";

const id = rule.meta.id;
const page = readDocPage(id);

describe(`${id}: the examples of docs/rules/${id}.md`, () => {
  test("Bad: fires once, at entrypoint.sh:3", () => {
    const a = runExample(page.bad);
    const f = findingsFor(a, id);
    expect(f, describeFindings(a.findings)).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: "entrypoint.sh", line: 3, severity: "warning" });
    expect(f[0]!.message).toMatch(/unquoted \$@ re-splits the arguments \(an argument of the command holds a blank: "daemon off;"\)/);
  });
  test("Good: does not fire", () => {
    const a = runExample(page.good);
    expect(findingsFor(a, id), describeFindings(a.findings)).toEqual([]);
  });
  test("the column points at $@", () => {
    const f = findingsFor(runExample(page.bad), id);
    expect(f[0]!.column).toBe(6);
  });
});
