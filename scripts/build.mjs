// Build step run by `pnpm install` (prepare) so that nothing is ever stale:
// 1. `tsc -b` type-checks and emits every package (library entry points and .d.ts);
// 2. esbuild bundles the CLI into one CommonJS file; mvdan-sh stays outside it, loaded only when a
//    script has to be parsed, which keeps start-up cheap.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import fs from "node:fs";
import os from "node:os";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// Hash the inputs before building: an edit made while the build runs then shows as stale, not as built.
const { hashInputs, writeManifest } = await import("./build-inputs.mjs");
const inputs = hashInputs(root);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-b", "packages/cli"]);
const esbuild = await import("esbuild");
// Embedded into the bundle: the version, the report's JSON Schema (--print-schema) and the rule docs
// (SARIF help). Docs that do not exist yet are simply absent; the CLI falls back to the rule metadata.
const cliPkg = JSON.parse(fs.readFileSync(path.join(root, "packages/cli/package.json"), "utf8"));
const docsDir = path.join(root, "docs/rules");
const docs = {};
for (const f of fs.existsSync(docsDir) ? fs.readdirSync(docsDir) : []) {
  if (f.endsWith(".md")) docs[f.slice(0, -3)] = fs.readFileSync(path.join(docsDir, f), "utf8");
}
const embedded = { schema: fs.readFileSync(path.join(root, "packages/cli/schema/report.schema.json"), "utf8"), docs };
// One CommonJS file: bin/audit-image.js loads it through a V8 code cache (Node 20 has no code cache for
// ES modules, and resolving and linking ES module chunks cost several milliseconds of every start).
// Dynamic imports (verify, the formats, the embedded docs) are inlined but stay lazy: esbuild wraps each
// such module in an init function that runs on first import. mvdan-sh stays outside, required only when
// a script must be parsed.
const bundleDir = path.join(root, "packages/cli/dist/bundle");
fs.rmSync(bundleDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [path.join(root, "packages/cli/src/main.ts")],
  outfile: path.join(bundleDir, "audit-image.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  external: ["mvdan-sh"],
  plugins: [
    {
      // The schema and the docs go into embedded.ts's own lazily initialised module only.
      name: "embed",
      setup(b) {
        b.onLoad({ filter: /[\\/]packages[\\/]cli[\\/]src[\\/]embedded\.ts$/ }, (args) => ({
          contents: `const __AUDIT_IMAGE_EMBEDDED__ = ${JSON.stringify(embedded)};\n` + fs.readFileSync(args.path, "utf8").replace(/^declare const __AUDIT_IMAGE_EMBEDDED__.*$/m, ""),
          loader: "ts",
        }));
      },
    },
  ],
  define: {
    __AUDIT_IMAGE_VERSION__: JSON.stringify(cliPkg.version),
    "import.meta.url": "__bundle_url",
  },
  banner: { js: 'var __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
});

// 3. V8 code caches for the bundle (bin/audit-image.js) and mvdan-sh (packages/cli/src/code-cache.ts): one run
//    audits a fixture whose entrypoint script takes the fast parser (the common case), and a script that only
//    mvdan-sh parses (a backquote), so that the caches hold the functions real runs compile. Best effort.
{
  const fixture = path.join(root, "test-images/official-postgres-style/Dockerfile");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-image-build-"));
  fs.writeFileSync(path.join(tmp, "Dockerfile"), 'FROM debian:bookworm\nCOPY --chmod=755 e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["sleep", "infinity"]\n');
  fs.writeFileSync(path.join(tmp, "e.sh"), '#!/bin/sh\necho "started at `date`"\nexec "$@"\n');
  spawnSync(process.execPath, [path.join(root, "packages/cli/bin/audit-image.js"), "--format", "json", "--no-config", ...(fs.existsSync(fixture) ? [fixture] : []), path.join(tmp, "Dockerfile")], {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, AUDIT_IMAGE_WRITE_CODE_CACHE: "1" },
  });
  fs.rmSync(tmp, { recursive: true, force: true });
}

// 4. What this build was made from (scripts/build-inputs.mjs): the tests refuse a build whose inputs changed since.
writeManifest(root, inputs);
