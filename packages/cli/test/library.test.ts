// The library: the README example runs as written (against the built package), and audit() in-process.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { audit, buildModel, analyze, formatTty, toSarif, toGithub, memoryFs, allRules, dockerfile, analyzer } from "audit-image";
import { reportErrors, requireBundle, ROOT, sarifErrors } from "./helpers.js";

const readmeExample = () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const m = /<!-- this example is run by packages\/cli\/test\/library\.test\.ts -->\n```js\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error("README.md has no library example under the marker comment");
  return m[1]!;
};

describe("library", () => {
  test("the README example runs and prints what its comments say", () => {
    const code = readmeExample();
    const dist = path.join(ROOT, "packages/cli/dist/index.js");
    if (!fs.existsSync(dist)) throw new Error("packages/cli/dist/index.js is missing: run `node scripts/build.mjs`");
    requireBundle(); // the same build wrote dist/: a stale one fails here
    // Inside packages/cli, "audit-image" resolves to the package itself (self-reference through "exports").
    const file = path.join(ROOT, "packages/cli/dist/readme-example.mjs");
    fs.writeFileSync(file, code);
    const r = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: "utf8", timeout: 30000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const expected = [...code.matchAll(/\/\/ (.+)$/gm)].map((x) => x[1]!.trim());
    expect(r.stdout.trim().split("\n")).toEqual(expected);
  });

  test("audit() from text and from a path give valid reports", async () => {
    const a = await audit({ path: "test-images/seed-args-without-exec/Dockerfile" }, { cwd: ROOT, config: false });
    expect(reportErrors(a)).toEqual([]);
    expect(a.results[0]!.command.argv).toEqual(["/entrypoint.sh", "nginx", "-g", "daemon off;"]);
    const b = await audit({ text: "FROM alpine:3.20\nCMD sleep 1000\n" }, { cwd: ROOT, config: false, file: "inline.Dockerfile", rules: { "pid1-no-handler": "off" } });
    expect(reportErrors(b)).toEqual([]);
    expect(b.results[0]!.file).toBe("inline.Dockerfile");
    expect(b.results[0]!.findings.map((f) => f.ruleId)).not.toContain("pid1-no-handler");
    const dir = await audit({ path: "test-images" }, { cwd: ROOT, config: false });
    expect(dir.results.length).toBeGreaterThanOrEqual(60);
    expect(sarifErrors(toSarif(dir))).toEqual([]);
    expect(toGithub(a)).toMatch(/^::error /);
    expect(formatTty(a, { color: false }).split("\n").every((l) => [...l].length <= 80)).toBe(true);
  });

  test("the building blocks are exported", () => {
    const model = buildModel('FROM alpine:3.20\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n', { context: memoryFs({ "e.sh": { content: "#!/bin/sh\nexec sleep 100\n", mode: 0o755 } }) });
    const a = analyze(model);
    expect(a.prediction.processTree?.argv[0]).toBe("sleep");
    expect(allRules.length).toBeGreaterThanOrEqual(30);
    expect(typeof dockerfile.parseDockerfile).toBe("function");
    expect(typeof analyzer.runRules).toBe("function");
  });
});

describe("units", async () => {
  const { escapeData, escapeProperty } = await import("../src/format/github.js");
  const { parsePragmas } = await import("../src/suppress.js");
  const { wrap, fit } = await import("../src/format/tty.js");
  const { parseArgs } = await import("../src/args.js");
  test("github escaping of % \\r \\n , :", () => {
    expect(escapeData("50% done\r\nnext")).toBe("50%25 done%0D%0Anext");
    expect(escapeProperty("a,b:c%\n")).toBe("a%2Cb%3Ac%25%0A");
  });
  test("pragmas: next line, continuation lines, global, aliases", () => {
    const rules = { ids: new Set(["a", "b"]), aliases: new Map([["DL1", ["b"]]]) };
    const p = parsePragmas("# audit-image ignore=a, b because\n# other comment\nRUN x \\\n  y\nRUN z\n# hadolint global ignore=DL1,DL9\n", "Dockerfile", rules);
    expect([...p.lines.keys()]).toEqual([3, 4]);
    expect([...p.lines.get(3)!]).toEqual(["a", "b"]);
    expect([...p.global]).toEqual(["b"]);
    expect(p.unknown).toEqual([]);
    expect(parsePragmas("# audit-image ignore=zz\nx\n", "f", rules).unknown[0]).toMatchObject({ ruleId: "unknown-rule", line: 1, severity: "warning" });
  });
  test("wrap and fit keep to the width", () => {
    for (const l of wrap("a ".repeat(100) + "x".repeat(200), 40, "    ", "  - ")) expect(l.length).toBeLessThanOrEqual(40);
    expect(fit("\x1b[1m" + "y".repeat(100) + "\x1b[22m", 20).replace(/\x1b\[[0-9;]*m/g, "")).toHaveLength(20);
  });
  test("args: --opt=value, -- (docker run's command) and --build-arg from the environment", () => {
    const a = parseArgs(["--format=json", "--build-arg", "X", "Dockerfile", "--", "--weird-name"], { X: "1" });
    expect(a).toMatchObject({ format: "json", buildArgs: { X: "1" }, paths: ["Dockerfile"], run: { command: ["--weird-name"] } });
  });
});
