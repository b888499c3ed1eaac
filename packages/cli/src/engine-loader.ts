// Bundle only: loads dist/bundle/engine.cjs (the Dockerfile model and the analyzer) through the V8 code
// cache. scripts/build.mjs routes the bundle's imports of @audit-image/dockerfile and @audit-image/analyzer
// here; the library (tsc output) imports the packages directly and never uses this module.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installCodeCache, loadCachedCjs } from "./code-cache.js";

let loaded: { dockerfile: Record<string, unknown>; analyzer: Record<string, unknown> } | null = null;

export function engine(): { dockerfile: Record<string, unknown>; analyzer: Record<string, unknown> } {
  if (loaded) return loaded;
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const write = !!process.env.AUDIT_IMAGE_WRITE_CODE_CACHE;
  const off = "AUDIT_IMAGE_NO_CODE_CACHE" in process.env;
  installCodeCache(path.join(dir, "mvdan-sh.v8cache"), off ? undefined : write ? path.join(dir, "mvdan-sh.v8cache") : undefined);
  loaded = loadCachedCjs(path.join(dir, "engine.cjs"), path.join(dir, off ? "none.v8cache" : "engine.v8cache"), write && !off) as typeof loaded;
  return loaded!;
}
