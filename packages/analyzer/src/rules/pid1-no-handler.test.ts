import { describe, expect, test } from "vitest";
import { describeFindings, findingsFor, readDocPage, runExample } from "../../test/support/doc-examples.js";
import { rule } from "./pid1-no-handler.js";

const id = rule.meta.id;
const page = readDocPage(id);

describe(`${id}: the examples of docs/rules/${id}.md`, () => {
  test("Bad: fires on the CMD that makes python PID 1", () => {
    const a = runExample(page.bad);
    const f = findingsFor(a, id);
    expect(f, describeFindings(a.findings)).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: "Dockerfile", line: 4, severity: "error" });
    expect(f[0]!.message).toBe("PID 1 (python) has no handler for SIGTERM: docker stop waits 10 s and SIGKILLs it");
  });
  test("Good: does not fire, tini is PID 1", () => {
    const a = runExample(page.good);
    expect(findingsFor(a, id), describeFindings(a.findings)).toEqual([]);
    expect(a.prediction.processTree).toMatchObject({ program: "tini", role: "init" });
  });
  test("STOPSIGNAL SIGINT reaches python (it handles INT): no finding", () => {
    const a = runExample({ ...page.bad, dockerfile: page.bad.dockerfile.replace("CMD", "STOPSIGNAL SIGINT\nCMD") });
    expect(findingsFor(a, id), describeFindings(a.findings)).toEqual([]);
  });
});
