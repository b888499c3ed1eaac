import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { analyzeFixture, listFixtures, summarize } from "./lib/fixtures.js";

const fixtures = listFixtures();
// UPDATE_FIXTURES=name,name (or "all") writes the analysis into expected.json while a fixture is being
// written. Here expected.json is a regression snapshot; the Docker-engine tier (not part of this suite)
// checks its lifecycle, tree, stop outcome and exit code against a real engine (test-images/README.md).
const update = new Set((process.env.UPDATE_FIXTURES ?? "").split(",").filter(Boolean));

describe("test-images fixtures: the analysis matches the committed snapshot (expected.json)", () => {
  test("there are fixtures, and each has its expected.json", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
    expect(fixtures.filter((f) => !f.expected && !update.size).map((f) => f.name)).toEqual([]);
  });
  for (const f of fixtures) {
    test(f.name, () => {
      const { model, analysis } = analyzeFixture(f);
      const summary = summarize(model, analysis);
      if (update.has("all") || update.has(f.name)) {
        const prev = f.expected ?? { description: "", observed: "pending" };
        const next = { description: prev.description, observed: prev.observed, ...(prev.options ? { options: prev.options } : {}), summary };
        fs.writeFileSync(path.join(f.dir, "expected.json"), JSON.stringify(next, null, 2) + "\n");
        return;
      }
      expect(summary).toEqual(f.expected!.summary);
    });
  }
});
