// Entry point of the `audit-image` bundle (dist/bundle/audit-image.cjs, loaded by bin/audit-image.js
// through a V8 code cache). Kept tiny: everything else is imported on demand.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installCodeCache } from "./code-cache.js";

// mvdan-sh, when a script must be parsed, loads through its own code cache next to the bundle (written by
// scripts/build.mjs with AUDIT_IMAGE_WRITE_CODE_CACHE=1; AUDIT_IMAGE_NO_CODE_CACHE turns both caches off).
if (!("AUDIT_IMAGE_NO_CODE_CACHE" in process.env)) {
  const cache = path.join(path.dirname(fileURLToPath(import.meta.url)), "mvdan-sh.v8cache");
  installCodeCache(cache, process.env.AUDIT_IMAGE_WRITE_CODE_CACHE ? cache : undefined);
}

const argv = process.argv.slice(2);
const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
});
async function main(): Promise<number> {
  return argv[0] === "verify" ? (await import("./verify/index.js")).runVerify(argv.slice(1), io) : (await import("./cli.js")).run(argv, io);
}
main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // one line, control characters written out (as visible.ts does; not imported here, to keep start-up small)
    const msg = (e instanceof Error ? e.message : String(e)).replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}>`);
    process.stderr.write(`audit-image: internal error: ${msg}\nPlease report this with the Dockerfile that caused it.\n`);
    process.exitCode = 2;
  },
);
