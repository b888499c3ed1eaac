// V8 code cache for mvdan-sh, the 1.5 MB GopherJS shell parser that the analyzer requires (CommonJS) when
// a script must be parsed: compiling it from cached data instead of source saves about half of its load
// time. The cache is written by scripts/build.mjs (AUDIT_IMAGE_WRITE_CODE_CACHE=1 while a fixture is
// audited) next to the bundle; at run time it is only read. A cache from another Node/V8 version is
// rejected by V8 and the module simply compiles from source. (The bundle itself is loaded the same way by
// bin/audit-image.js.)
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { createRequire } from "node:module";

interface CjsModule {
  exports: unknown;
}
type Loader = (this: unknown, module: CjsModule, filename: string) => void;

export function installCodeCache(cacheFile: string, writeTo?: string): void {
  const require = createRequire(import.meta.url);
  const Module = require("node:module") as { _extensions?: Record<string, Loader>; wrap?: (s: string) => string };
  const ext = Module._extensions;
  if (!ext?.[".js"] || typeof Module.wrap !== "function") return;
  const original = ext[".js"];
  const wrap = Module.wrap;
  ext[".js"] = function (module, filename) {
    if (!/[\\/]mvdan-sh[\\/]index\.js$/.test(filename)) return original.call(this, module, filename);
    let cachedData: Buffer | undefined;
    if (!writeTo) {
      try {
        cachedData = fs.readFileSync(cacheFile);
      } catch {
        return original.call(this, module, filename);
      }
    }
    const script = new vm.Script(wrap(fs.readFileSync(filename, "utf8")), { filename, ...(cachedData ? { cachedData } : {}) });
    const fn = script.runInThisContext() as (...a: unknown[]) => void;
    fn.call(module.exports, module.exports, createRequire(filename), module, filename, path.dirname(filename));
    if (writeTo) process.once("exit", () => fs.writeFileSync(writeTo, script.createCachedData()));
  };
}
