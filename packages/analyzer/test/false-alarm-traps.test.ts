// The rule pages' "Not a false alarm" sections (docs/rules/<id>.md): one example per known trap, on which the
// rule must not report an error. Error only when sure (docs/rules/README.md, "Findings people can trust"): a
// trap may still give a warning or a note that says what is not known, never an error.
import { describe, expect, test } from "vitest";
import { allRules } from "../src/rules/all.js";
import { readDocPage } from "./support/doc-examples.js";
import { describeFindings, findingsFor, runCase } from "./support/rule-tester.js";

const withTraps = allRules.map((r) => [r, readDocPage(r.meta.id).traps] as const).filter(([, t]) => t.length > 0);

describe("rule pages: no error on a known false-alarm trap", () => {
  test("the error-level rules most exposed to false alarms have traps on their page", () => {
    const ids = withTraps.map(([r]) => r.meta.id);
    for (const id of ["pid1-no-handler", "missing-program", "service-daemonizes", "shell-stays-pid1"]) expect(ids).toContain(id);
  });
  for (const [rule, traps] of withTraps)
    describe(rule.meta.id, () => {
      for (const t of traps)
        test(t.name, () => {
          const a = runCase(rule, { dockerfile: t.example.dockerfile, files: t.example.files });
          const errors = findingsFor(a, rule.meta.id).filter((f) => f.severity === "error");
          expect(errors, describeFindings(a.findings)).toEqual([]);
        });
    });
});
