#!/usr/bin/env node
// A long fuzz campaign: N mutated fixtures (default 100,000) through buildModel + analyze, in worker
// threads with a watchdog, so that a hang is caught and reported instead of stopping the campaign.
// Prints crashes, hangs and the slowest input; exits 1 if there was any crash or hang.
//   node scripts/fuzz-campaign.mjs [--count N] [--seed S] [--timeout MS] [--workers W] [--out DIR]
//   node scripts/fuzz-campaign.mjs --only I [--seed S]   re-runs input #I alone (inputs are deterministic)
//                                                        and writes it to DIR/input-I.json
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const COUNT = Number(arg("count", 100_000));
const SEED = Number(arg("seed", 1));
const TIMEOUT = Number(arg("timeout", 10_000));
const WORKERS = Number(arg("workers", Math.max(1, os.cpus().length)));
const OUT = arg("out", path.join(os.tmpdir(), "audit-image-fuzz"));
const CHUNK = 200;
const ONLY = arg("only", null);

// The worker runs TypeScript sources: bundle them once with esbuild (a dev dependency of the repo). The
// bundle lives in packages/analyzer/dist (git-ignored) so that mvdan-sh resolves from there.
const { build } = await import("esbuild");
fs.mkdirSync(path.join(root, "packages/analyzer/dist"), { recursive: true });
const workerFile = path.join(root, "packages/analyzer/dist", `.fuzz-worker-${process.pid}.mjs`);
await build({
  stdin: {
    contents: `
      import { parentPort } from "node:worker_threads";
      import { buildModel, memoryFs } from "@audit-image/dockerfile";
      import { analyze } from "@audit-image/analyzer";
      import { corpus, mutate } from "./test-images/lib/mutate.ts";
      const samples = corpus(${JSON.stringify(path.join(root, "test-images"))});
      parentPort.on("message", ({ from, to, seed, dump }) => {
        for (let i = from; i < to; i++) {
          const a = samples[(i * 7919 + seed) % samples.length];
          const b = samples[(i * 104729 + seed) % samples.length];
          const s = mutate(a, b, (seed * 2654435761 + i) >>> 0);
          if (dump) parentPort.postMessage({ kind: "sample", i, sample: s });
          parentPort.postMessage({ kind: "start", i });
          const t0 = performance.now();
          try {
            const files = {};
            for (const [k, v] of Object.entries(s.files)) files[k] = { content: v, mode: 0o755 };
            const model = buildModel(s.dockerfile, { context: memoryFs(files) });
            const r = analyze(model);
            JSON.stringify({ p: r.prediction, f: r.findings, d: model.diagnostics });
            parentPort.postMessage({ kind: "ok", i, ms: performance.now() - t0 });
          } catch (e) {
            parentPort.postMessage({ kind: "crash", i, ms: performance.now() - t0, error: String(e && e.stack || e), sample: s });
          }
        }
        parentPort.postMessage({ kind: "done" });
      });
    `,
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: workerFile,
  alias: {
    "@audit-image/dockerfile": path.join(root, "packages/dockerfile/src/index.ts"),
    "@audit-image/analyzer": path.join(root, "packages/analyzer/src/index.ts"),
  },
  external: ["mvdan-sh"],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: "error",
});

fs.mkdirSync(OUT, { recursive: true });
if (ONLY !== null) {
  // One input, no watchdog: save it, then time it.
  const i = Number(ONLY);
  const w = new Worker(workerFile);
  await new Promise((resolve) => {
    w.on("message", (m) => {
      if (m.kind === "sample") fs.writeFileSync(path.join(OUT, `input-${i}.json`), JSON.stringify(m.sample));
      else if (m.kind === "ok" || m.kind === "crash") console.log(`input #${i}: ${m.kind} in ${m.ms.toFixed(0)} ms${m.error ? ": " + m.error.split("\n")[0] : ""} (saved to ${path.join(OUT, `input-${i}.json`)})`);
      else if (m.kind === "done") w.terminate().then(resolve);
    });
    w.postMessage({ from: i, to: i + 1, seed: SEED, dump: true });
  });
  fs.rmSync(workerFile, { force: true });
  process.exit(0);
}
const t0 = Date.now();
let next = 0;
let done = 0;
const crashes = [];
const hangs = [];
let slowest = { ms: 0, i: -1 };
const times = [];

function runWorker() {
  return new Promise((resolve) => {
    const start = () => {
      if (next >= COUNT) return resolve();
      const from = next;
      const to = Math.min(COUNT, from + CHUNK);
      next = to;
      const w = new Worker(workerFile);
      let current = from;
      let timer = null;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          hangs.push(current);
          w.terminate();
          // the rest of the chunk goes back to the queue, past the hanging input
          if (current + 1 < to) queue.push([current + 1, to]);
        }, TIMEOUT);
      };
      w.on("message", (m) => {
        if (m.kind === "start") {
          current = m.i;
          arm();
        } else if (m.kind === "ok" || m.kind === "crash") {
          done++;
          times.push(m.ms);
          if (m.ms > slowest.ms) slowest = { ms: m.ms, i: m.i };
          if (m.kind === "crash") {
            crashes.push(m);
            fs.writeFileSync(path.join(OUT, `crash-${m.i}.json`), JSON.stringify(m.sample));
          }
        } else if (m.kind === "done") {
          clearTimeout(timer);
          w.terminate();
        }
      });
      w.on("exit", () => {
        clearTimeout(timer);
        const q = queue.shift();
        if (q) {
          next = Math.min(next, q[0]);
        }
        start();
      });
      w.on("error", (e) => {
        crashes.push({ i: current, error: String(e) });
      });
      w.postMessage({ from, to, seed: SEED });
      if (done && done % 10_000 < CHUNK) process.stderr.write(`\r${done}/${COUNT}`);
    };
    start();
  });
}
const queue = [];
await Promise.all(Array.from({ length: WORKERS }, runWorker));
fs.rmSync(workerFile, { force: true });

times.sort((a, b) => a - b);
const secs = (Date.now() - t0) / 1000;
console.log(`\nfuzz campaign: ${done} inputs (seed ${SEED}) in ${secs.toFixed(0)} s with ${WORKERS} workers: ${crashes.length} crashes, ${hangs.length} hangs (> ${TIMEOUT} ms)`);
console.log(`time per input: median ${times[Math.floor(times.length / 2)]?.toFixed(2)} ms, p99 ${times[Math.floor(times.length * 0.99)]?.toFixed(1)} ms, slowest ${slowest.ms.toFixed(0)} ms (input #${slowest.i})`);
for (const c of crashes.slice(0, 10)) console.log(`crash #${c.i}: ${String(c.error).split("\n").slice(0, 3).join(" | ")}`);
for (const h of hangs.slice(0, 10)) console.log(`hang #${h} (reproduce: node scripts/fuzz-campaign.mjs --only ${h} --seed ${SEED})`);
if (crashes.length || hangs.length) console.log(`inputs written to ${OUT}`);
process.exit(crashes.length || hangs.length ? 1 : 0);
