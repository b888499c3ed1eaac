// Which Dockerfiles a path names: one function for the CLI and the library, and a scan that says when it
// was cut short instead of silently auditing part of a tree.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { audit } from "audit-image";
import { dockerfilesAt, SCAN_LIMITS } from "../src/audit.js";
import type { ReportError } from "../src/report.js";
import { cli } from "./helpers.js";

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "audit-image-inputs-"));
  for (const d of ["a", "b", "c"]) {
    fs.mkdirSync(path.join(root, "many", d), { recursive: true });
    fs.writeFileSync(path.join(root, "many", d, "Dockerfile"), 'FROM debian:bookworm\nCMD ["sleep", "infinity"]\n');
  }
  let deep = path.join(root, "deep");
  for (let i = 0; i <= SCAN_LIMITS.depth + 1; i++) deep = path.join(deep, "d");
  fs.mkdirSync(deep, { recursive: true });
  fs.writeFileSync(path.join(deep, "Dockerfile"), "FROM debian:bookworm\n");
  fs.writeFileSync(path.join(root, "deep", "Dockerfile"), "FROM debian:bookworm\n");
  fs.mkdirSync(path.join(root, "empty"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("dockerfilesAt", () => {
  test("a directory: its Dockerfiles, sorted, relative to cwd", () => {
    const errors: ReportError[] = [];
    expect(dockerfilesAt(path.join(root, "many"), root, errors).map((t) => t.file)).toEqual(["many/a/Dockerfile", "many/b/Dockerfile", "many/c/Dockerfile"]);
    expect(errors).toEqual([]);
  });
  test("more Dockerfiles than the limit: the first ones, and an error that says so", () => {
    const errors: ReportError[] = [];
    expect(dockerfilesAt(path.join(root, "many"), root, errors, undefined, 2)).toHaveLength(2);
    expect(errors).toEqual([expect.objectContaining({ file: "many", code: "scan-truncated", message: expect.stringContaining("only the first 2") })]);
    const exact: ReportError[] = [];
    expect(dockerfilesAt(path.join(root, "many"), root, exact, undefined, 3)).toHaveLength(3);
    expect(exact).toEqual([]);
  });
  test("directories deeper than the limit are not searched, and the error says so", () => {
    const errors: ReportError[] = [];
    expect(dockerfilesAt(path.join(root, "deep"), root, errors).map((t) => t.file)).toEqual(["deep/Dockerfile"]);
    expect(errors).toEqual([expect.objectContaining({ code: "scan-truncated", message: expect.stringContaining(`${SCAN_LIMITS.depth} levels`) })]);
  });
  test("a missing path and an empty directory are not-found errors", () => {
    const errors: ReportError[] = [];
    expect(dockerfilesAt(path.join(root, "nope"), root, errors, "custom message")).toEqual([]);
    expect(dockerfilesAt(path.join(root, "empty"), root, errors)).toEqual([]);
    expect(errors.map((e) => [e.file, e.code, e.message])).toEqual([
      ["nope", "not-found", "custom message"],
      ["empty", "not-found", "no Dockerfile found in this directory"],
    ]);
  });
});

describe("the CLI and the library name the same inputs the same way", () => {
  test("a directory", async () => {
    const lib = await audit({ path: "many" }, { cwd: root, config: false });
    const run = cli(["--format", "json", "--no-config", "many"], { cwd: root });
    const json = JSON.parse(run.stdout);
    expect(json.results.map((r: { file: string }) => r.file)).toEqual(lib.results.map((r) => r.file));
    expect(json.errors).toEqual(lib.errors);
  });
  test("a missing path", async () => {
    const lib = await audit({ path: "nope" }, { cwd: root, config: false });
    const run = cli(["--format", "json", "--no-config", "nope"], { cwd: root });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).errors).toEqual(lib.errors);
    expect(lib.errors).toEqual([{ file: "nope", line: null, message: "no such file or directory", code: "not-found" }]);
  });
  test("a scan cut short exits 2 (the batch is incomplete)", () => {
    const run = cli(["--format", "json", "--no-config", "deep"], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("levels down were not searched");
  });
});

describe("exit codes", async () => {
  const { exitCode } = await import("../src/cli.js");
  test.each([
    [[], false, 0, "error", 0],
    [[], false, 3, "error", 1],
    [[], false, 2, "error", 0],
    [[], false, 2, "warning", 1],
    [[], false, 3, "none", 0],
    [[{ code: "not-found" }], false, 3, "error", 3],
    [[{ code: "not-found" }], true, 3, "error", 4],
    [[{ code: "not-found" }, { code: "unreadable" }], true, 3, "error", 2],
    [[{ code: "scan-truncated" }], false, 0, "error", 2],
    // a file the tool failed on was not audited: like unreadable input, never a silent 0
    [[{ code: "internal-error" }], false, 0, "none", 2],
  ] as const)("errors %j, unparseable %s, worst %i, --fail-on %s → %i", (errors, unparseable, worst, failOn, want) => {
    expect(exitCode(errors, unparseable, worst, failOn)).toBe(want);
  });
});
