// Hostile build contexts: nothing outside the context is read, nothing blocks, nothing throws.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { buildModel } from "@audit-image/dockerfile";
import { analyze } from "@audit-image/analyzer";
import { diskContext } from "../src/context-fs.js";
import { findExecutable, skipNote } from "./helpers.js";

const MKFIFO = findExecutable("mkfifo");

let root: string;
let ctx: string;
const SECRET = "TOP-SECRET-OUTSIDE-THE-CONTEXT";

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "audit-image-hostile-"));
  ctx = path.join(root, "ctx");
  fs.mkdirSync(path.join(ctx, "bin"), { recursive: true });
  fs.writeFileSync(path.join(root, "secret.sh"), `#!/bin/sh\n# ${SECRET}\nexec redis-server\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(ctx, "ok.sh"), "#!/bin/sh\nexec redis-server\n", { mode: 0o755 });
  fs.symlinkSync(path.join(root, "secret.sh"), path.join(ctx, "link-out.sh"));
  fs.symlinkSync("../secret.sh", path.join(ctx, "bin", "rel-out.sh"));
  fs.symlinkSync(root, path.join(ctx, "dir-out"));
  fs.symlinkSync("loop-b", path.join(ctx, "loop-a"));
  fs.symlinkSync("loop-a", path.join(ctx, "loop-b"));
  fs.symlinkSync("ok.sh", path.join(ctx, "inside-link.sh"));
  if (MKFIFO) execFileSync(MKFIFO, [path.join(ctx, "fifo.sh")]);
  fs.symlinkSync("/dev/zero", path.join(ctx, "zero.sh"));
  const big = fs.openSync(path.join(ctx, "huge.sh"), "w");
  fs.writeSync(big, "#!/bin/sh\nexec redis-server\n");
  fs.ftruncateSync(big, 64 * 1024 * 1024);
  fs.closeSync(big);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const run = (dockerfile: string) => {
  const model = buildModel(dockerfile, { context: diskContext(ctx) });
  const analysis = analyze(model);
  return { model, analysis, text: JSON.stringify({ p: analysis.prediction, f: analysis.findings, d: model.diagnostics, files: model.files }) };
};

describe("the disk context never leaves the build context", () => {
  test("a symlink to a file outside is treated as missing", () => {
    const fs_ = diskContext(ctx);
    expect(fs_.stat("link-out.sh")).toBeNull();
    expect(fs_.readFile("link-out.sh")).toBeNull();
    expect(fs_.readFile("bin/rel-out.sh")).toBeNull();
    expect(fs_.list("dir-out")).toBeNull();
  });
  test("a symlink inside the context is followed", () => {
    expect(diskContext(ctx).readFile("inside-link.sh")).toContain("redis-server");
  });
  test("`..` is refused", () => {
    const fs_ = diskContext(ctx);
    expect(fs_.readFile("../secret.sh")).toBeNull();
    expect(fs_.stat("bin/../../secret.sh")).toBeNull();
  });
  test("symlink loops, devices and huge files are not read and do not block", () => {
    const fs_ = diskContext(ctx);
    expect(fs_.stat("loop-a")).toBeNull();
    expect(fs_.readFile("zero.sh")).toBeNull();
    expect(fs_.readFile("huge.sh")).toBeNull();
  });
  test.skipIf(!MKFIFO)(`a FIFO is not read and does not block${skipNote("mkfifo", MKFIFO)}`, () => {
    const fs_ = diskContext(ctx);
    expect(fs_.readFile("fifo.sh")).toBeNull();
    expect(fs_.stat("fifo.sh")?.type).toBe("other");
  });
  test.skipIf(!MKFIFO)(`fifo: the analysis ends, and the secret is never read${skipNote("mkfifo", MKFIFO)}`, () => {
    const t0 = Date.now();
    const { text } = run('FROM debian:bookworm\nCOPY fifo.sh /e.sh\nENTRYPOINT ["/e.sh"]\n');
    expect(text).not.toContain(SECRET);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  test.each([
    ["symlink out", 'COPY link-out.sh /e.sh\nENTRYPOINT ["/e.sh"]'],
    ["relative symlink out", 'COPY bin/rel-out.sh /e.sh\nENTRYPOINT ["/e.sh"]'],
    ["directory symlink out", 'COPY dir-out/ /d/\nENTRYPOINT ["/d/secret.sh"]'],
    ["dot-dot source", 'COPY ../secret.sh /e.sh\nENTRYPOINT ["/e.sh"]'],
    ["symlink loop", 'COPY loop-a /e.sh\nENTRYPOINT ["/e.sh"]'],
    ["device", 'COPY zero.sh /e.sh\nENTRYPOINT ["/e.sh"]'],
    ["huge file", 'COPY huge.sh /e.sh\nENTRYPOINT ["/e.sh"]'],
    ["glob over everything", 'COPY * /all/\nENTRYPOINT ["/all/link-out.sh"]'],
  ])("%s: the analysis ends, and the secret is never read", (_n, body) => {
    const t0 = Date.now();
    const { text } = run(`FROM debian:bookworm\n${body}\n`);
    expect(text).not.toContain(SECRET);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe("the disk context answers each question once", () => {
  test("a file at the top of the context costs one lstat, however often the model asks", () => {
    const lstat = vi.spyOn(fs, "lstatSync");
    const realpath = vi.spyOn(fs.realpathSync, "native");
    try {
      const fs_ = diskContext(ctx);
      const before = { lstat: lstat.mock.calls.length, realpath: realpath.mock.calls.length };
      for (let i = 0; i < 5; i++) {
        expect(fs_.stat("ok.sh")?.type).toBe("file");
        expect(fs_.readFile("ok.sh")).toContain("redis-server");
      }
      expect(lstat.mock.calls.length - before.lstat).toBe(1);
      // libc realpath is for symlinks only
      expect(realpath.mock.calls.length - before.realpath).toBe(0);
    } finally {
      lstat.mockRestore();
      realpath.mockRestore();
    }
  });
  test("a listing handed out cannot change the memoised one", () => {
    const fs_ = diskContext(ctx);
    fs_.list(".")!.length = 0;
    expect(fs_.list(".")).toContain("ok.sh");
  });
  test("a directory symlink inside the context is followed, and its files keep the checks", () => {
    fs.mkdirSync(path.join(ctx, "real-dir"), { recursive: true });
    fs.writeFileSync(path.join(ctx, "real-dir", "in.sh"), "#!/bin/sh\nexec nginx\n");
    fs.symlinkSync("real-dir", path.join(ctx, "dir-in"));
    fs.symlinkSync(path.join(root, "secret.sh"), path.join(ctx, "real-dir", "out.sh"));
    const fs_ = diskContext(ctx);
    expect(fs_.readFile("dir-in/in.sh")).toContain("nginx");
    expect(fs_.stat("dir-in")?.type).toBe("dir");
    expect(fs_.readFile("dir-in/out.sh")).toBeNull();
    expect(fs_.readFile("dir-out/secret.sh")).toBeNull();
  });
});
