#!/usr/bin/env node
// The `audit-image` command: loads the bundled CLI (one CommonJS file, dist/bundle/audit-image.cjs)
// through a V8 code cache, so that start-up deserializes compiled code instead of compiling ~800 kB of
// JavaScript. CommonJS (see bin/package.json) because Node 20 has no code cache for ES modules, and
// resolving and linking ES module chunks cost more than the whole load here. A cache from another
// Node/V8 version is rejected by V8 (the code then compiles from source); scripts/build.mjs writes it.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

const dir = path.join(__dirname, "..", "dist", "bundle");
const file = path.join(dir, "audit-image.cjs");
const cacheFile = path.join(dir, "audit-image.v8cache");
const writeCache = !!process.env.AUDIT_IMAGE_WRITE_CODE_CACHE;
// As PID 1 of a container (the image of Dockerfile at the repository root), a signal without a handler is
// ignored: docker stop's SIGTERM and Ctrl-C's SIGINT end the tool here as their default action does
// elsewhere, unless the command installed its own handler (verify removes its containers first). Only
// there: anywhere else the default action ends the process at once, even while its JavaScript is busy,
// which a handler (it runs only between tasks) could not.
if (process.pid === 1) {
  for (const [sig, n] of [["SIGTERM", 15], ["SIGINT", 2]]) {
    process.on(sig, () => {
      if (process.listenerCount(sig) === 1) process.exit(128 + n);
    });
  }
}
let source;
try {
  source = fs.readFileSync(file, "utf8");
} catch {
  process.stderr.write("audit-image: the CLI is not built (dist/bundle/audit-image.cjs is missing): run `npx --yes pnpm@10 install`\n");
  process.exit(2);
}
let cachedData;
if (!writeCache && !("AUDIT_IMAGE_NO_CODE_CACHE" in process.env)) {
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    /* compile from source */
  }
}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
const mod = { exports: {}, filename: file, id: file, loaded: false };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dir);
if (writeCache) process.once("exit", () => fs.writeFileSync(cacheFile, script.createCachedData()));
