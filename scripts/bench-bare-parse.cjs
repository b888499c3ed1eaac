// The baseline of `pnpm bench`'s batch figure: the bare parse of a corpus, in a fresh process like the
// audit it is compared with (same JIT warm-up, same single core when the caller pins it with taskset).
// dockerfile-ast parses every Dockerfile and mvdan-sh every other regular file of each pair (one parser,
// reused, the cheapest way to call it); the files are read before the clock starts. Prints milliseconds.
// Usage: node scripts/bench-bare-parse.cjs CORPUS-DIR
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const root = path.dirname(__dirname);
const { DockerfileParser } = require(require.resolve("dockerfile-ast", { paths: [path.join(root, "packages/dockerfile")] }));
const { syntax } = require(require.resolve("mvdan-sh", { paths: [path.join(root, "packages/analyzer")] }));
const dir = process.argv[2];
const inputs = [];
for (const d of fs.readdirSync(dir)) {
  const files = fs.readdirSync(path.join(dir, d)).filter((f) => f !== "Dockerfile" && fs.statSync(path.join(dir, d, f)).isFile());
  inputs.push({ df: fs.readFileSync(path.join(dir, d, "Dockerfile"), "utf8"), sh: files.map((f) => fs.readFileSync(path.join(dir, d, f), "utf8")) });
}
const parser = syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangBash));
const t0 = process.hrtime.bigint();
for (const it of inputs) {
  DockerfileParser.parse(it.df);
  for (const s of it.sh) {
    try {
      parser.Parse(s, "x");
    } catch {
      /* a fixture may be a broken script on purpose */
    }
  }
}
process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6) + "\n");
