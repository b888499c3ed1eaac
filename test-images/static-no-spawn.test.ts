// Static mode never runs anything: with every way of starting a process made to throw, the analysis
// of every fixture still completes. (Only `audit-image verify`, on a Docker engine, runs anything.)
import { describe, expect, test, vi } from "vitest";

const boom = (name: string) => () => {
  throw new Error(`static analysis tried to start a process (${name})`);
};
vi.mock("node:child_process", () => {
  const names = ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"];
  const mod: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, boom(n)]));
  return { ...mod, default: mod };
});
vi.mock("child_process", () => {
  const names = ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"];
  const mod: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, boom(n)]));
  return { ...mod, default: mod };
});

describe("static analysis starts no process", () => {
  test("child_process is really disabled in this test", async () => {
    const cp = await import("node:child_process");
    expect(() => cp.spawnSync("true")).toThrow(/tried to start a process/);
  });
  test("every fixture is analyzed with child_process disabled", async () => {
    const { listFixtures, analyzeFixture } = await import("./lib/fixtures.js");
    const fixtures = listFixtures();
    for (const f of fixtures) {
      const { analysis } = analyzeFixture(f);
      expect(analysis.prediction.stop.outcome).toBeTypeOf("string");
    }
    expect(fixtures.length).toBeGreaterThan(0);
  });
});
