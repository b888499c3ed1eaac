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
// The published package's links (SARIF informationUri and helpUri) come from its package.json.
const repoUrl = String(cliPkg.repository?.url ?? cliPkg.repository ?? "").replace(/^git\+/, "").replace(/\.git$/, "");
const common = {
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
    __AUDIT_IMAGE_LINKS__: JSON.stringify({ homepage: cliPkg.homepage ?? repoUrl, repository: repoUrl }),
    "import.meta.url": "__bundle_url",
  },
  banner: { js: 'var __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
};
await esbuild.build({ ...common, entryPoints: [path.join(root, "packages/cli/src/main.ts")], outfile: path.join(bundleDir, "audit-image.cjs") });

// 2b. The library of the published package (packages/cli/dist/lib): the same sources bundled from src/index.ts
//     into one CommonJS file, with the internal packages inside it (they are not published), an ES module
//     that re-exports its names (one implementation, so no dual-package state), and the declaration files of
//     the three packages with the internal package names rewritten to relative paths. dist/lib/package.json
//     makes the declarations CommonJS, as the implementation is; ES modules import their names all the same.
const libDir = path.join(root, "packages/cli/dist/lib");
fs.rmSync(libDir, { recursive: true, force: true });
await esbuild.build({ ...common, entryPoints: [path.join(root, "packages/cli/src/index.ts")], outfile: path.join(libDir, "index.cjs") });
fs.writeFileSync(path.join(libDir, "package.json"), '{ "type": "commonjs" }\n');
{
  const { createRequire } = await import("node:module");
  const names = Object.keys(createRequire(import.meta.url)(path.join(libDir, "index.cjs"))).filter((n) => n !== "default" && /^[A-Za-z_$][\w$]*$/.test(n)).sort();
  fs.writeFileSync(
    path.join(libDir, "index.mjs"),
    `// The ES module entry of audit-image: the names of the CommonJS bundle (index.cjs), re-exported.\nimport lib from "./index.cjs";\nexport const { ${names.join(", ")} } = lib;\nexport default lib;\n`,
  );
  const copyDts = (pkg) => {
    const from = path.join(root, "packages", pkg, "dist");
    const walk = (rel) => {
      for (const e of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
        const r = path.join(rel, e.name);
        if (e.isDirectory()) {
          if (!["bundle", "lib"].includes(r)) walk(r);
        } else if (e.name.endsWith(".d.ts")) {
          const dest = path.join(libDir, "types", pkg, r);
          const up = path.relative(path.dirname(dest), path.join(libDir, "types")).split(path.sep).join("/") || ".";
          const text = fs
            .readFileSync(path.join(from, r), "utf8")
            .replace(/(["'])@audit-image\/(dockerfile|analyzer)\1/g, (_, q, p) => `${q}${up}/${p}/index.js${q}`)
            .replace(/^\/\/# sourceMappingURL=.*$/m, "");
          fs.mkdirSync(path.dirname(dest), { recursive: true });
          fs.writeFileSync(dest, text);
        }
      }
    };
    walk(".");
  };
  for (const pkg of ["cli", "dockerfile", "analyzer"]) copyDts(pkg);
  fs.writeFileSync(path.join(libDir, "index.d.ts"), 'export * from "./types/cli/index.js";\n');
}

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
