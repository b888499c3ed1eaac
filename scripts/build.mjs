// Build step run by `pnpm install` (prepare) so that nothing is ever stale:
// 1. `tsc -b` type-checks and emits every package (library entry points and .d.ts);
// 2. esbuild bundles the CLI into one file, with mvdan-sh split into a chunk loaded only when a
//    script has to be parsed, which keeps start-up cheap.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import fs from "node:fs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-b", "packages/cli"]);
const esbuild = await import("esbuild");
// Chunk names carry content hashes: the directory is emptied first (below) so stale chunks do not pile up.
// Embedded into the bundle: the version, the report's JSON Schema (--print-schema) and the rule docs
// (SARIF help). Docs that do not exist yet are simply absent; the CLI falls back to the rule metadata.
const cliPkg = JSON.parse(fs.readFileSync(path.join(root, "packages/cli/package.json"), "utf8"));
const docsDir = path.join(root, "docs/rules");
const docs = {};
for (const f of fs.existsSync(docsDir) ? fs.readdirSync(docsDir) : []) {
  if (f.endsWith(".md")) docs[f.slice(0, -3)] = fs.readFileSync(path.join(docsDir, f), "utf8");
}
const embedded = { schema: fs.readFileSync(path.join(root, "packages/cli/schema/report.schema.json"), "utf8"), docs };
// The engine (@audit-image/dockerfile + @audit-image/analyzer, with dockerfile-ast) is a CommonJS file
// loaded through a V8 code cache (packages/cli/src/code-cache.ts): Node 20 has no code cache for ES
// modules, and compiling ~700 kB on every start is the largest part of the start-up time.
const bundleDir = path.join(root, "packages/cli/dist/bundle");
fs.rmSync(bundleDir, { recursive: true, force: true });
await esbuild.build({
  stdin: {
    contents: 'module.exports = { dockerfile: require("@audit-image/dockerfile"), analyzer: require("@audit-image/analyzer") };',
    resolveDir: path.join(root, "packages/cli"),
    loader: "js",
  },
  outfile: path.join(bundleDir, "engine.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  external: ["mvdan-sh"],
  define: { "import.meta.url": "__engine_url" },
  banner: { js: 'var __engine_url = require("node:url").pathToFileURL(__filename).href;' },
});
const exportNames = {
  "@audit-image/dockerfile": Object.keys(await import(path.join(root, "packages/dockerfile/dist/index.js"))),
  "@audit-image/analyzer": Object.keys(await import(path.join(root, "packages/analyzer/dist/index.js"))),
};
const loaderPath = path.join(root, "packages/cli/src/engine-loader.ts");
const enginePlugin = {
  name: "engine",
  setup(b) {
    b.onResolve({ filter: /^@audit-image\/(dockerfile|analyzer)$/ }, (args) => ({ path: args.path, namespace: "engine" }));
    b.onLoad({ filter: /.*/, namespace: "engine" }, (args) => {
      const key = args.path === "@audit-image/dockerfile" ? "dockerfile" : "analyzer";
      return {
        contents: `import { engine } from ${JSON.stringify(loaderPath)};\nconst m = engine().${key};\n` + exportNames[args.path].map((n) => `export const ${n} = m.${n};`).join("\n"),
        loader: "js",
        resolveDir: path.join(root, "packages/cli/src"),
      };
    });
  },
};
await esbuild.build({
  entryPoints: { "audit-image": path.join(root, "packages/cli/src/main.ts") },
  outdir: path.join(root, "packages/cli/dist/bundle"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
  plugins: [
    enginePlugin,
    {
      // The schema and the docs go into embedded.ts's own chunk only (a `define` would be in every chunk).
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
  },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

// 3. V8 code caches for the engine and mvdan-sh (see packages/cli/src/code-cache.ts): audit a fixture whose entrypoint
//    script must be parsed, so the cache holds the functions a real run compiles. Best effort.
{
  const fixture = path.join(root, "test-images/official-postgres-style/Dockerfile");
  if (fs.existsSync(fixture)) {
    spawnSync(process.execPath, [path.join(root, "packages/cli/bin/audit-image.js"), "--format", "json", "--no-config", fixture], {
      cwd: root,
      stdio: "ignore",
      env: { ...process.env, AUDIT_IMAGE_WRITE_CODE_CACHE: "1" },
    });
  }
}
