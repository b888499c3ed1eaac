// The rule pages' "Not a false alarm" sections (docs/rules/<id>.md): one example per known trap, on which the
// rule must not report an error. Error only when sure (docs/rules/README.md, "Findings people can trust"): a
// trap may still give a warning or a note that says what is not known, never an error. Each trap states what
// the rule does on it: by default nothing at all; a `<!-- expect: warning -->` (or `info`) comment in the
// trap's subsection says it reports at that lower severity, and then it must (so that a page cannot claim a
// downgrade the code does not make, nor hide a finding the rule no longer gives).
import { describe, expect, test } from "vitest";
import { allRules } from "../src/rules/all.js";
import { TRAPS_SECTION, parseDocPage, readDocPage } from "./support/doc-examples.js";
import { deploymentOf, describeFindings, findingsFor, runCase } from "./support/rule-tester.js";

const withTraps = allRules.map((r) => [r, readDocPage(r.meta.id).traps] as const).filter(([, t]) => t.length > 0);

describe("rule pages: no error on a known false-alarm trap", () => {
  test("the error-level rules most exposed to false alarms have traps on their page", () => {
    const ids = withTraps.map(([r]) => r.meta.id);
    for (const id of ["pid1-no-handler", "missing-program", "service-daemonizes", "shell-stays-pid1"]) expect(ids).toContain(id);
  });
  test.each(allRules.map((r) => [r.meta.id] as const))("%s: the page says how the rule avoids false alarms, with at least one trap", (id) => {
    const page = readDocPage(id);
    const section = page.sections.get(TRAPS_SECTION);
    expect(section, `docs/rules/${id}.md has no "## ${TRAPS_SECTION}"`).toBeDefined();
    // the paragraph before the first trap: prose, not only the traps
    const intro = section!.split(/^### /m)[0]!.trim();
    expect(intro.length, `docs/rules/${id}.md: "## ${TRAPS_SECTION}" opens with no paragraph`).toBeGreaterThan(80);
    expect(page.traps.length).toBeGreaterThan(0);
  });
  for (const [rule, traps] of withTraps)
    describe(rule.meta.id, () => {
      for (const t of traps)
        test(`${t.name} (${t.expect === "none" ? "no finding" : `a ${t.expect}`})`, () => {
          // (a trap of a rule of deployments carries its Compose file or manifest, as the Bad and Good examples do)
          const deployment = deploymentOf(t.example.blocks);
          const a = runCase(rule, { dockerfile: t.example.dockerfile, files: t.example.files, ...(deployment ? { deployment } : {}) });
          const mine = findingsFor(a, rule.meta.id);
          expect(mine.filter((f) => f.severity === "error"), describeFindings(a.findings)).toEqual([]);
          if (t.expect === "none") expect(mine, describeFindings(a.findings)).toEqual([]);
          else {
            expect(mine.length, `${rule.meta.id} should report a ${t.expect}\n${describeFindings(a.findings)}`).toBeGreaterThan(0);
            expect(mine.map((f) => f.severity), describeFindings(a.findings)).toEqual(mine.map(() => t.expect));
          }
        });
    });
});

describe("a trap's expect: comment", () => {
  const page = (trap: string) =>
    `# x: X\n\nDefault severity: error · Aliases: none\n\n## What it detects\n\n## Why it matters\n\n## Bad\n\n\`\`\`Dockerfile\nFROM scratch\n\`\`\`\n\n## Good\n\n\`\`\`Dockerfile\nFROM scratch\n\`\`\`\n\n## Not a false alarm\n\n### t\n\n${trap}\n\n\`\`\`Dockerfile\nFROM scratch\n\`\`\`\n\n## Suppress\n`;
  test("defaults to no finding, reads warning and info", () => {
    expect(parseDocPage(page("")).traps[0]!.expect).toBe("none");
    expect(parseDocPage(page("<!-- expect: warning -->")).traps[0]!.expect).toBe("warning");
    expect(parseDocPage(page("<!-- expect: info -->")).traps[0]!.expect).toBe("info");
  });
  test("rejects error and anything else", () => {
    expect(() => parseDocPage(page("<!-- expect: error -->"))).toThrow(/none, warning or info/);
  });
});
