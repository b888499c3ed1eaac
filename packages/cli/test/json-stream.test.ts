import { describe, expect, test } from "vitest";
import { jsonChunks, resultJson } from "../src/format/json-stream.js";
import type { Report } from "../src/report.js";

describe("streamed JSON output", () => {
  test("is byte for byte JSON.stringify(report, null, 2)", () => {
    const base = { schemaVersion: "1.0.0", tool: { name: "audit-image", version: "0.1.0" } };
    const cases: Report[] = [
      { ...base, results: [], errors: [] } as unknown as Report,
      { ...base, results: [{ a: 1, b: [1, { c: "x\ny" }], d: {} }, { e: [] }], errors: [{ file: "f", line: null }] } as unknown as Report,
      { ...base, results: [{ a: 1 }], errors: [] } as unknown as Report,
    ];
    for (const r of cases) {
      expect([...jsonChunks(r)].join("")).toBe(JSON.stringify(r, null, 2) + "\n");
      // results serialized one by one as the CLI makes them (the report's own array is then empty)
      const pre = r.results.map(resultJson);
      expect([...jsonChunks({ ...r, results: [] }, pre)].join("")).toBe(JSON.stringify(r, null, 2) + "\n");
    }
  });
});
