#!/usr/bin/env node
// scripts/pack-test.mjs: the published package, as a user gets it. `npm pack` of packages/cli, then, in an
// empty temporary directory, plain `npm install` of the tarball (no pnpm, no workspace links), and:
//   1. the `audit-image` bin runs on a fixture (exit 1, the fixture's error), prints its version and SARIF
//      whose links are package.json's homepage and repository;
//   2. the library imports, as an ES module and with require();
//   3. the types: `tsc --noEmit` on a small ES module and CommonJS consumer (the repository's own typescript
//      and @types/node).
// Needs a build (node scripts/build.mjs) and npm. The package's one dependency, mvdan-sh, is bundled in the
// tarball (bundleDependencies), so the install runs with --offline: no registry is needed. Prints one line
// per check; exit 1 when one failed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CLI = path.join(ROOT, "packages/cli");
const pkg = JSON.parse(fs.readFileSync(path.join(CLI, "package.json"), "utf8"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-image-pack-"));
const keep = process.argv.includes("--keep");
let failed = 0;
const ok = (m) => console.log(`  ✓ ${m}`);
const fail = (m) => {
  console.log(`  ✗ ${m}`);
  failed++;
};
const check = (cond, m, detail = "") => (cond ? ok(m) : fail(detail ? `${m}\n${detail}` : m));
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 180000, ...opts });
  return { status: r.status, stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : "") };
};
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const done = () => {
  if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`  (kept ${tmp})`);
  console.log(failed ? `pack test: ${failed} check(s) failed` : "pack test: the packed package installs and works");
  process.exit(failed ? 1 : 0);
};

console.log(`== pack test (in ${tmp})`);
// package.json: the fields a registry page and a bug report need; files lists only what exists.
for (const k of ["repository", "homepage", "bugs", "license", "engines", "bin", "exports", "types"]) check(pkg[k] !== undefined, `package.json has ${k}`);
for (const f of pkg.files) check(fs.existsSync(path.join(CLI, f)), `files entry ${f} exists (built?)`);
check(!Object.values(pkg.dependencies ?? {}).some((v) => String(v).startsWith("workspace:")), "no workspace: dependency");

// 1. npm pack
const packed = run(npm, ["pack", "--json", "--pack-destination", tmp], { cwd: CLI });
let tarball = null;
try {
  const info = JSON.parse(packed.stdout)[0];
  tarball = path.join(tmp, info.filename);
  const files = info.files.map((f) => f.path);
  check(files.includes("dist/bundle/audit-image.cjs") && files.includes("dist/lib/index.cjs") && files.includes("dist/lib/index.d.ts"), `npm pack: ${info.filename}, ${files.length} files, ${Math.round(info.size / 1024)} kB`);
  check(!files.some((f) => /\.v8cache$|\.test\.|(^|\/)src\//.test(f)), "the tarball holds no code cache, test or source file");
  check(files.includes("node_modules/mvdan-sh/index.js") && files.includes("node_modules/mvdan-sh/LICENSE"), "mvdan-sh is bundled, with its licence");
} catch {
  fail(`npm pack failed:\n${packed.stderr}`);
  done();
}

// 2. npm install into an empty directory
const app = path.join(tmp, "app");
fs.mkdirSync(app);
fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }, null, 2));
const inst = run(npm, ["install", "--no-audit", "--no-fund", "--offline", "--loglevel=error", tarball], { cwd: app });
check(inst.status === 0, "npm install --offline of the tarball (no registry)", inst.stderr);
if (inst.status !== 0) done();
check(!fs.existsSync(path.join(app, "node_modules/@audit-image")), "no internal package installed (they are inside the bundle)");

// 3. the bin
const fx = path.join(app, "fixture");
fs.cpSync(path.join(ROOT, "test-images/seed-args-without-exec"), fx, { recursive: true });
fs.rmSync(path.join(fx, "expected.json"), { force: true });
const bin = path.join(app, "node_modules/.bin/audit-image");
const v = run(bin, ["--version"], { cwd: app });
check(v.status === 0 && v.stdout.trim() === `audit-image ${pkg.version}`, `audit-image --version: ${v.stdout.trim()}`, v.stderr);
const a = run(bin, ["--no-color", "fixture"], { cwd: app });
check(a.status === 1 && /shell-stays-pid1\s+fixture\/entrypoint\.sh:4/.test(a.stdout), "audit-image fixture: exit 1, shell-stays-pid1 at fixture/entrypoint.sh:4", a.stdout + a.stderr);
const s = run(bin, ["--format", "sarif", "--fail-on", "none", "fixture"], { cwd: app });
try {
  const driver = JSON.parse(s.stdout).runs[0].tool.driver;
  const repo = String(pkg.repository.url).replace(/^git\+/, "").replace(/\.git$/, "");
  const rule = driver.rules.find((r) => r.id === "shell-stays-pid1");
  check(s.status === 0 && driver.informationUri === pkg.homepage && rule?.helpUri === `${repo}/blob/main/docs/rules/shell-stays-pid1.md`, `SARIF: informationUri ${driver.informationUri}, helpUri ${rule?.helpUri}`);
} catch {
  fail(`SARIF output is not JSON:\n${s.stdout.slice(0, 400)}${s.stderr}`);
}

// 4. the library: ES module and CommonJS
fs.writeFileSync(
  path.join(app, "esm.mjs"),
  `import { audit, toSarif } from "audit-image";\nimport lib from "audit-image";\nconst r = await audit({ path: "fixture/Dockerfile" });\nconsole.log(r.results[0].stop.outcome, r.results[0].findings.map((f) => f.ruleId).join(","), typeof toSarif, lib.audit === audit);\n`,
);
const esm = run(process.execPath, ["esm.mjs"], { cwd: app });
check(esm.status === 0 && esm.stdout.trim() === "killed shell-stays-pid1 function true", `import { audit } from "audit-image": ${esm.stdout.trim()}`, esm.stderr);
fs.writeFileSync(
  path.join(app, "cjs.cjs"),
  `const { audit, dockerfile } = require("audit-image");\naudit({ text: 'FROM nginx:1.27\\nCMD ["nginx", "-g", "daemon off;"]\\n' }).then((r) => console.log(r.results[0].stop.outcome, typeof dockerfile.buildModel));\n`,
);
const cjs = run(process.execPath, ["cjs.cjs"], { cwd: app });
check(cjs.status === 0 && cjs.stdout.trim() === "graceful function", `require("audit-image"): ${cjs.stdout.trim()}`, cjs.stderr);

// 5. the types: a consumer that uses them, and one that misuses them (tsc must reject it, or the types are any)
const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
if (!fs.existsSync(tsc)) fail("the repository's typescript is missing (node_modules/typescript): install the workspace first");
else {
  fs.writeFileSync(
    path.join(app, "consumer.mts"),
    `import { audit, formatTty, type Report, type Finding, type AuditOptions } from "audit-image";\nconst options: AuditOptions = { stopTimeout: 30, platform: "k8s" };\nconst report: Report = await audit({ path: "fixture/Dockerfile" }, options);\nconst findings: Finding[] = report.results.flatMap((r) => r.findings);\nconsole.log(formatTty(report, { color: false }).length, findings.length);\n`,
  );
  fs.writeFileSync(
    path.join(app, "consumer.cts"),
    `import lib = require("audit-image");\nlib.audit({ text: "FROM alpine:3.20\\n" }).then((r: lib.Report) => console.log(r.results.length));\n`,
  );
  fs.writeFileSync(path.join(app, "wrong.mts"), `import { audit } from "audit-image";\nconst n: number = await audit({ text: "" });\nconsole.log(n);\n`);
  const types = path.join(ROOT, "node_modules/@types");
  const tsconfig = (files) => ({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, typeRoots: [types], types: ["node"] }, files });
  fs.writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify(tsconfig(["consumer.mts", "consumer.cts"])));
  fs.writeFileSync(path.join(app, "tsconfig.wrong.json"), JSON.stringify(tsconfig(["wrong.mts"])));
  const t = run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: app });
  check(t.status === 0, "tsc --noEmit on an ES module and a CommonJS consumer (strict, nodenext, no skipLibCheck)", t.stdout + t.stderr);
  const w = run(process.execPath, [tsc, "-p", "tsconfig.wrong.json"], { cwd: app });
  check(w.status !== 0 && /TS2322/.test(w.stdout), "tsc rejects a consumer that takes the report for a number (the types are not any)", w.stdout);
}
done();
