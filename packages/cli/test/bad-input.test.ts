// Any input, good or bad, gives JSON and SARIF that validate, an exit code, and no crash or hang.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { cli, reportErrors, requireBundle, sarifErrors, tmpdir } from "./helpers.js";

beforeAll(() => requireBundle());

const big = () => {
  const lines = ["FROM alpine:3.20"];
  let size = 20;
  for (let i = 0; size < 10 * 1024 * 1024; i++) {
    const l = `RUN echo line ${i} ${"x".repeat(100)}`;
    lines.push(l);
    size += l.length + 1;
  }
  lines.push('CMD ["sleep", "infinity"]');
  return lines.join("\n") + "\n";
};

const cases: [string, string | Buffer, number, string | null][] = [
  ["binary file", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0, 255, 254]), 4, "binary-file"],
  ["empty file", "", 4, "empty-dockerfile"],
  ["only comments", "# nothing here\n", 4, "empty-dockerfile"],
  ["unterminated heredoc", "FROM alpine\nRUN <<EOF\necho hi\n", 4, "unterminated-heredoc"],
  ["not a Dockerfile", "<html><body>hello</body></html>\n", 4, "unknown-instruction"],
  ["invalid UTF-8", Buffer.concat([Buffer.from("FROM alpine\nCMD [\"echo\", \""), Buffer.from([0xc3, 0x28]), Buffer.from('"]\n')]), 0, null],
  ["JSON array with a number", 'FROM alpine\nCMD ["sleep", 1]\n', 1, null],
  ["10 MB file", big(), 4, "file-too-large"],
];

describe("bad input", () => {
  for (const [name, content, code, errorCode] of cases) {
    test(name, () => {
      const dir = tmpdir({ Dockerfile: content });
      const t0 = Date.now();
      const j = cli(["--format", "json"], { cwd: dir, timeout: 60000 });
      expect(Date.now() - t0).toBeLessThan(30000);
      expect(j.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(j.code).toBe(code);
      const report = JSON.parse(j.stdout);
      expect(reportErrors(report)).toEqual([]);
      if (errorCode) expect(report.errors.map((e: { code: string }) => e.code)).toContain(errorCode);
      const s = cli(["--format", "sarif"], { cwd: dir, timeout: 60000 });
      expect(s.code).toBe(code);
      expect(sarifErrors(JSON.parse(s.stdout))).toEqual([]);
      const t = cli([], { cwd: dir, timeout: 60000 });
      expect(t.code).toBe(code);
      expect(t.stdout.split("\n").filter((l) => [...l].length > 80)).toEqual([]);
      const g = cli(["--format", "github"], { cwd: dir, timeout: 60000 });
      expect(g.code).toBe(code);
    }, 120000);
  }
  test("10 MB on stdin is bounded", () => {
    const r = cli(["--format", "json", "-"], { input: big(), cwd: tmpdir(), timeout: 60000 });
    expect(r.code).toBe(4);
    expect(reportErrors(JSON.parse(r.stdout))).toEqual([]);
  }, 120000);
  test("a directory named Dockerfile, a symlink loop, a hostile script", () => {
    const dir = tmpdir({ "Dockerfile/x": "y", "ok/Dockerfile": 'FROM alpine\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n', "ok/e.sh": "#!/bin/sh\n. /e.sh\n" + "if true; then ".repeat(300) + "\n" });
    fs.symlinkSync("loop", path.join(dir, "ok", "loop"));
    const r = cli(["--format", "json", "ok"], { cwd: dir });
    expect([0, 1]).toContain(r.code);
    expect(reportErrors(JSON.parse(r.stdout))).toEqual([]);
    const d = cli(["--format", "json", "Dockerfile/x"], { cwd: dir });
    expect(reportErrors(JSON.parse(d.stdout))).toEqual([]);
  });
});
