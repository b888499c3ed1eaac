// Property test: whatever the mutated Dockerfile or script, buildModel + analyze end in a report (or
// diagnostics), never throw, finish within a time bound, and give JSON and SARIF that validate. Fixed seed and bounded count for CI;
// scripts/fuzz-campaign.mjs runs long campaigns.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "@audit-image/analyzer";
import { arbitrarySample, corpus, type Sample } from "./lib/mutate.js";
import { emptyReport } from "../packages/cli/src/audit.js";
import { buildResult } from "../packages/cli/src/report.js";
import { toSarif } from "../packages/cli/src/format/sarif.js";
import { reportErrors, sarifErrors } from "../packages/cli/test/helpers.js";

const samples = corpus();
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const BOUND_MS = 3000;

export function auditSample(s: Sample) {
  const files: Record<string, { content: string; mode: number }> = {};
  for (const [k, v] of Object.entries(s.files)) files[k] = { content: v, mode: 0o755 };
  const model = buildModel(s.dockerfile, { context: memoryFs(files) });
  const analysis = analyze(model);
  return { model, analysis };
}

describe("fuzz: mutated fixtures never crash or hang the analysis", () => {
  test(`${RUNS} mutated inputs (seed 20261126)`, () => {
    let slowest = 0;
    fc.assert(
      fc.property(arbitrarySample(samples), (s) => {
        const t0 = performance.now();
        const { model, analysis } = auditSample(s);
        const ms = performance.now() - t0;
        slowest = Math.max(slowest, ms);
        // The report is plain data: it serializes, and every finding has a place.
        const json = JSON.parse(JSON.stringify({ model: { command: model.command, diagnostics: model.diagnostics }, p: analysis.prediction, f: analysis.findings }));
        expect(json.f.every((f: { line: number; file: string }) => f.line >= 1 && typeof f.file === "string")).toBe(true);
        expect(["graceful", "killed", "abrupt", "unknown", "not-running"]).toContain(analysis.prediction.stop.outcome);
        expect(ms).toBeLessThan(BOUND_MS);
        // What the CLI would print validates against its schemas: the JSON report, and SARIF 2.1.0.
        const report = emptyReport();
        report.results.push(buildResult("Dockerfile", ".", model, analysis, analysis.findings, 0));
        expect(reportErrors(JSON.parse(JSON.stringify(report)))).toEqual([]);
        const read = (file: string) => (file === "Dockerfile" ? s.dockerfile : s.files[file] ?? null);
        expect(sarifErrors(JSON.parse(JSON.stringify(toSarif(report, read))))).toEqual([]);
      }),
      { seed: 20261126, numRuns: RUNS, endOnFailure: true },
    );
    expect(slowest).toBeLessThan(BOUND_MS);
  }, 120_000);
});

describe("fuzz: inputs written on purpose (lib/hostile.ts) never crash the analysis", () => {
  const N = Number(process.env.FUZZ_HOSTILE_RUNS ?? 40);
  test(`${N} hostile inputs (seeds 1…${N}), in memory (the campaign also writes them to disk)`, async () => {
    const { hostile } = await import("./lib/hostile.js");
    for (let seed = 1; seed <= N; seed++) {
      const h = hostile(seed);
      const t0 = performance.now();
      const { model, analysis } = auditSample({ dockerfile: h.dockerfile, files: h.files });
      const ms = performance.now() - t0;
      JSON.stringify({ p: analysis.prediction, f: analysis.findings, d: model.diagnostics });
      expect(ms, `seed ${seed} (${h.shape.join(", ")})`).toBeLessThan(BOUND_MS * 2);
    }
  }, 300_000);
});
