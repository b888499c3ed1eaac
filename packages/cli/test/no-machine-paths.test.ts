// Committed files must not point at a development machine: no absolute paths of the machine the project was
// written on, and no links to the team's reference notes outside the repository (their facts are in
// docs/measurements.md).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT } from "./helpers.js";

// Built from pieces so that this file does not match itself.
const FORBIDDEN = ["/" + "work/", "../" + "shared", "shared/" + "reference/"];
const SKIP_DIRS = new Set([".git", "node_modules", "dist", "coverage", ".bench"]);

/** The committed files (git ls-files), or every file outside build and dependency directories without git. */
function repoFiles(): string[] {
  const git = spawnSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" });
  if (git.status === 0 && git.stdout) return git.stdout.split("\0").filter(Boolean);
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(r);
      } else if (e.isFile()) out.push(r);
    }
  };
  walk("");
  return out;
}

describe("no paths of a development machine in committed files", () => {
  const files = repoFiles();
  test("the file list is the repository's", () => {
    expect(files).toContain("package.json");
    expect(files).toContain("packages/analyzer/src/data/programs.json");
    expect(files.length).toBeGreaterThan(100);
  });
  test(`no committed text file contains ${FORBIDDEN.map((f) => `"${f}"`).join(", ")}`, () => {
    const hits: string[] = [];
    for (const f of files) {
      const p = path.join(ROOT, f);
      if (!fs.existsSync(p) || !fs.statSync(p).isFile()) continue;
      const buf = fs.readFileSync(p);
      if (buf.includes(0)) continue; // binary
      const lines = buf.toString("utf8").split("\n");
      lines.forEach((line, i) => {
        for (const bad of FORBIDDEN) if (line.includes(bad)) hits.push(`${f}:${i + 1}: ${bad}`);
      });
    }
    expect(hits).toEqual([]);
  });
});
