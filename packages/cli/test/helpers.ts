// Shared helpers of the CLI tests: run the bundled CLI as a subprocess, and the schema validators.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import Ajv from "ajv";
// @ts-expect-error: a plain .mjs script without types
import { staleInputs } from "../../../scripts/build-inputs.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const BIN = path.join(ROOT, "packages/cli/bin/audit-image.js");
export const BUNDLE = path.join(ROOT, "packages/cli/dist/bundle/audit-image.cjs");
export const FIXTURES = path.join(ROOT, "test-images");

/**
 * Fail when the CLI bundle is missing, or when it (or the library build in packages/cli/dist) was built
 * from other sources than the ones in the tree: every input's SHA-256 is recorded by scripts/build.mjs
 * (scripts/build-inputs.mjs). A stale build is an error, not a warning: the tests would otherwise check
 * code that is not the code under review.
 */
export function requireBundle(): void {
  if (bundleChecked) return;
  if (!fs.existsSync(BUNDLE)) throw new Error(`the CLI bundle is missing (${path.relative(ROOT, BUNDLE)}): run \`node scripts/build.mjs\` (or \`npx --yes pnpm@10 install\`) before the tests`);
  const stale = staleInputs(ROOT) as string[] | null;
  if (stale) {
    const shown = stale.slice(0, 5).join("; ") + (stale.length > 5 ? ` … (${stale.length} in all)` : "");
    throw new Error(`the CLI build is stale (${shown}): run \`node scripts/build.mjs\` before the tests`);
  }
  bundleChecked = true;
}
let bundleChecked = false;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { cwd?: string; input?: string | Buffer; env?: Record<string, string | undefined>; timeout?: number } = {}): Run {
  requireBundle();
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  delete env.NO_COLOR;
  if (opts.env && "NO_COLOR" in opts.env) env.NO_COLOR = opts.env.NO_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? "",
    env: env as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: opts.timeout ?? 30000,
    maxBuffer: 64 * 1024 * 1024,
  });
  // EPIPE: the CLI stops reading a too-large stdin (bounded read) before the writer is done.
  if (r.error && !((r.error as NodeJS.ErrnoException).code === "EPIPE" && r.status !== null)) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const reportSchema = JSON.parse(fs.readFileSync(path.join(ROOT, "packages/cli/schema/report.schema.json"), "utf8"));
const ajv2020 = new Ajv2020.default({ allErrors: true, strict: true });
const validateReportFn = ajv2020.compile(reportSchema);
// The official SARIF 2.1.0 schema, vendored so that the tests run from a fresh clone with nothing beside it.
const sarifSchema = JSON.parse(fs.readFileSync(path.join(ROOT, "packages/cli/test/schemas/sarif-schema-2.1.0.json"), "utf8"));
const ajv7 = new Ajv.default({ allErrors: true, strict: false, validateFormats: false, logger: false });
const validateSarifFn = ajv7.compile(sarifSchema);

/** Validate a report against schema/report.schema.json; returns the ajv errors (empty when valid). */
export function reportErrors(json: unknown): string[] {
  return validateReportFn(json) ? [] : (validateReportFn.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

export function sarifErrors(json: unknown): string[] {
  return validateSarifFn(json) ? [] : (validateSarifFn.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** A fresh temporary directory with the given files. */
export function tmpdir(files: Record<string, string | Buffer> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-image-test-"));
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    if (name.endsWith(".sh")) fs.chmodSync(p, 0o755);
  }
  return dir;
}

export const ANSI = /\x1b\[[0-9;]*m/;

/** The absolute path of an executable on PATH, or null. Tests that need a program skip visibly without it:
 *  `test.skipIf(!X)(title + skipNote("x", X), …)`. */
export function findExecutable(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** The suffix a test title gets when the program it needs is missing (so the skip names the program). */
export const skipNote = (name: string, found: string | null): string => (found ? "" : ` (SKIPPED: ${name} not installed)`);
