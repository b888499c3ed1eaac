// The published package's metadata (the pack → install → run check itself is scripts/pack-test.mjs, run
// by .ci/run: it needs npm and the registry): the fields a registry page and a bug report need, `files` that
// all exist after a build, no workspace link in what npm installs, and SARIF links taken from package.json.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { cli, ROOT } from "./helpers.js";

const CLI = path.join(ROOT, "packages/cli");
const pkg = JSON.parse(fs.readFileSync(path.join(CLI, "package.json"), "utf8")) as Record<string, any>;

describe("the audit-image package", () => {
  test("has repository, homepage, bugs, license and engines", () => {
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\//);
    expect(pkg.license).toBe("MIT");
    expect(pkg.engines.node).toBe(">=20");
  });

  test("every `files` entry, the bin and the exports exist after the build", () => {
    for (const f of pkg.files as string[]) expect(fs.existsSync(path.join(CLI, f)), f).toBe(true);
    expect(fs.existsSync(path.join(CLI, pkg.bin["audit-image"]))).toBe(true);
    for (const target of Object.values(pkg.exports["."]) as string[]) expect(fs.existsSync(path.join(CLI, target)), target).toBe(true);
  });

  test("npm installs no workspace link: the internal packages are only dev dependencies (bundled)", () => {
    for (const v of Object.values(pkg.dependencies ?? {})) expect(String(v)).not.toMatch(/^workspace:/);
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(["@audit-image/dockerfile", "@audit-image/analyzer"]));
  });

  test("SARIF's informationUri and helpUri come from package.json", () => {
    const r = cli(["--format", "sarif", "--fail-on", "none", "test-images/seed-args-without-exec/Dockerfile"]);
    const driver = JSON.parse(r.stdout).runs[0].tool.driver;
    const repo = String(pkg.repository.url).replace(/^git\+/, "").replace(/\.git$/, "");
    expect(driver.informationUri).toBe(pkg.homepage);
    for (const rule of driver.rules) expect(rule.helpUri).toBe(`${repo}/blob/main/docs/rules/${rule.id}.md`);
  });
});
