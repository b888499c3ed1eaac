// What scripts/build.mjs builds from, by content: the build records a SHA-256 of every input in
// packages/cli/dist/build-inputs.json, and the tests (packages/cli/test/helpers.ts) refuse to run the CLI
// bundle or the library build when an input has changed since (an mtime check would miss a file restored
// with an old date and flag a file merely touched).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const MANIFEST = "packages/cli/dist/build-inputs.json";

/** The build's inputs, as paths relative to root (POSIX separators), sorted. */
export function inputFiles(root) {
  const out = [];
  const walk = (rel, keep) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r, keep);
      else if (e.isFile() && keep(e.name)) out.push(r);
    }
  };
  for (const pkg of ["dockerfile", "analyzer", "cli"]) {
    // tsc -b compiles src (tests excluded); esbuild bundles the CLI's src and what it imports.
    walk(`packages/${pkg}/src`, (n) => /\.(ts|json)$/.test(n) && !n.endsWith(".test.ts"));
    for (const f of ["package.json", "tsconfig.json"]) if (fs.existsSync(path.join(root, "packages", pkg, f))) out.push(`packages/${pkg}/${f}`);
  }
  out.push("tsconfig.base.json");
  // Embedded into the bundle by the build: the report schema and the rule docs.
  walk("packages/cli/schema", (n) => n.endsWith(".json"));
  walk("docs/rules", (n) => n.endsWith(".md"));
  return out.filter((f) => fs.existsSync(path.join(root, f))).sort();
}

/** { path: sha256 } of every input. */
export function hashInputs(root) {
  const h = {};
  for (const f of inputFiles(root)) h[f] = createHash("sha256").update(fs.readFileSync(path.join(root, f))).digest("hex");
  return h;
}

export function writeManifest(root, hashes) {
  const p = path.join(root, MANIFEST);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, JSON.stringify({ inputs: hashes }, null, 1) + "\n");
}

/**
 * Why the build is not the build of the current sources: null when it is; otherwise a list of
 * "changed: f", "added: f", "removed: f", or one line saying the manifest is missing.
 */
export function staleInputs(root) {
  const p = path.join(root, MANIFEST);
  if (!fs.existsSync(p)) return [`no ${MANIFEST} (the build did not finish, or predates it)`];
  const built = JSON.parse(fs.readFileSync(p, "utf8")).inputs ?? {};
  const now = hashInputs(root);
  const out = [];
  for (const [f, h] of Object.entries(now)) {
    if (!(f in built)) out.push(`added: ${f}`);
    else if (built[f] !== h) out.push(`changed: ${f}`);
  }
  for (const f of Object.keys(built)) if (!(f in now)) out.push(`removed: ${f}`);
  return out.length ? out : null;
}
