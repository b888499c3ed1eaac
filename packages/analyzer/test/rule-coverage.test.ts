// Every rule that fires on a fixture has a rule test of its own. The fixtures' expected.json are regression
// snapshots written by the analyzer (test-images/README.md): a finding listed there proves only that the
// analyzer said so once. Whether the rule is right is the job of packages/analyzer/test/rules/<id>.test.ts.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { allRules } from "../src/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const FIXTURES = path.join(ROOT, "test-images");
const RULE_TESTS = path.join(ROOT, "packages/analyzer/test/rules");

/** ruleId → the fixtures whose expected.json lists a finding of it. */
function firingRules(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of fs.readdirSync(FIXTURES, { withFileTypes: true })) {
    const p = path.join(FIXTURES, d.name, "expected.json");
    if (!d.isDirectory() || !fs.existsSync(p)) continue;
    const findings: string[] = JSON.parse(fs.readFileSync(p, "utf8")).summary?.findings ?? [];
    for (const f of findings) {
      const id = f.slice(0, f.indexOf("@"));
      out.set(id, [...(out.get(id) ?? []), d.name]);
    }
  }
  return out;
}

describe("every rule that fires on a fixture has its own rule test", () => {
  const firing = firingRules();
  test("the fixtures' findings are read (ruleId@file:line)", () => {
    expect(firing.size).toBeGreaterThanOrEqual(20);
    for (const id of firing.keys()) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
  test("each firing ruleId is a registered rule", () => {
    const known = new Set(allRules.map((r) => r.meta.id));
    expect([...firing.keys()].filter((id) => !known.has(id))).toEqual([]);
  });
  test("each firing ruleId has packages/analyzer/test/rules/<id>.test.ts, and that test names the rule", () => {
    const lacking: string[] = [];
    for (const [id, fixtures] of [...firing].sort()) {
      const p = path.join(RULE_TESTS, `${id}.test.ts`);
      if (!fs.existsSync(p) || !fs.readFileSync(p, "utf8").includes(id)) lacking.push(`${id} (fires on ${fixtures.slice(0, 3).join(", ")}${fixtures.length > 3 ? " …" : ""})`);
    }
    expect(lacking).toEqual([]);
  });
});
