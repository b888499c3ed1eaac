// Build step run by `pnpm install` (prepare) so that nothing is ever stale:
// 1. `tsc -b` type-checks and emits every package (library entry points and .d.ts);
// 2. esbuild bundles the CLI into one file, with mvdan-sh split into a chunk loaded only when a
//    script has to be parsed, which keeps start-up cheap.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-b", "packages/cli"]);
const esbuild = await import("esbuild");
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
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
