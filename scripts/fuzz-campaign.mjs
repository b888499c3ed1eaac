#!/usr/bin/env node
// A long fuzz campaign: N inputs (default 100,000) in worker threads with a watchdog, so that a hang is
// caught and reported instead of stopping the campaign. Two generators (--generator):
//   mutate   mutated fixtures (test-images/lib/mutate.ts) through buildModel + analyze, in memory;
//   hostile  inputs written on purpose (test-images/lib/hostile.ts): growing values, re-exec, sourcing,
//            nested expansions, many stages, ARG chains, huge words, control characters, and contexts
//            with symbolic links, FIFOs and huge .dockerignore files, written to disk and run through
//            the CLI's pipeline (auditPath on a disk context, a directory scan, every format).
//   both     (default) alternates them.
// Each worker has a 300 MB heap limit (--heap-mb): an input that needs more is a crash. Prints crashes,
// hangs, inputs over 2 s (--slow-ms; on the CPU time of the worker thread where /proc gives it, the machine
// being shared; the hang watchdog, --timeout, too, with 6 × --timeout of wall clock at most), the slowest
// inputs and the peak heap;
// exits 1 on any crash or hang.
//   node scripts/fuzz-campaign.mjs [--count N] [--seed S] [--timeout MS] [--workers W] [--out DIR] [--generator G]
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
const CHUNK = 1000;
const ONLY = arg("only", null);
const GENERATOR = arg("generator", "both");
const HEAP_MB = Number(arg("heap-mb", 300));
const SLOW_MS = Number(arg("slow-ms", 2000));
if (!["mutate", "hostile", "both"].includes(GENERATOR)) throw new Error(`--generator ${GENERATOR}: mutate, hostile or both`);

// The worker runs TypeScript sources: bundle them once with esbuild (a dev dependency of the repo). The
// bundle lives in packages/analyzer/dist (git-ignored) so that mvdan-sh resolves from there.
const { build } = await import("esbuild");
fs.mkdirSync(path.join(root, "packages/analyzer/dist"), { recursive: true });
const workerFile = path.join(root, "packages/analyzer/dist", `.fuzz-worker-${process.pid}.mjs`);
await build({
  stdin: {
    contents: `
      import fs from "node:fs";
      import path from "node:path";
      import v8 from "node:v8";
      import { execFileSync } from "node:child_process";
      import { parentPort, threadId } from "node:worker_threads";
      import { buildModel, memoryFs } from "@audit-image/dockerfile";
      import { analyze } from "@audit-image/analyzer";
      import { corpus, mutate } from "./test-images/lib/mutate.ts";
      import { hostile } from "./test-images/lib/hostile.ts";
      import { auditPath, dockerfilesAt, resolveSettings, sourceReader, emptyReport } from "./packages/cli/src/audit.ts";
      import { formatTty } from "./packages/cli/src/format/tty.ts";
      import { toSarif } from "./packages/cli/src/format/sarif.ts";
      import { toGithub } from "./packages/cli/src/format/github.ts";
      import { jsonChunks } from "./packages/cli/src/format/json-stream.ts";
      // the fixtures are read only when the mutating generator runs (a worker restarts every chunk)
      let samplesCache = null;
      const fixtures = () => (samplesCache ??= corpus(${JSON.stringify(path.join(root, "test-images"))}));
      const GENERATOR = ${JSON.stringify(GENERATOR)};
      const work = path.join(${JSON.stringify(OUT)}, "work-" + process.pid + "-" + threadId);
      /** A hostile sample on disk, through the CLI's pipeline and every format. */
      /** Writes a hostile sample to disk; returns what analyzes it (timed apart from the writing). */
      function writeHostile(s) {
        fs.rmSync(work, { recursive: true, force: true });
        const ctx = path.join(work, "ctx");
        fs.mkdirSync(ctx, { recursive: true });
        fs.writeFileSync(path.join(ctx, "Dockerfile"), s.dockerfile);
        for (const [k, v] of Object.entries(s.files)) {
          fs.mkdirSync(path.dirname(path.join(ctx, k)), { recursive: true });
          fs.writeFileSync(path.join(ctx, k), v, { mode: k.endsWith(".sh") ? 0o755 : 0o644 });
        }
        for (const [k, t] of Object.entries(s.links)) {
          try { fs.rmSync(path.join(ctx, k), { force: true }); fs.symlinkSync(t, path.join(ctx, k)); } catch {}
        }
        for (const f of s.fifos) {
          try { fs.rmSync(path.join(ctx, f), { force: true }); execFileSync("mkfifo", [path.join(ctx, f)]); } catch {}
        }
        return () => runHostile(ctx);
      }
      function runHostile(ctx) {
        const { settings } = resolveSettings({ cwd: work, config: false });
        const reader = sourceReader(work);
        const report = emptyReport();
        const todo = dockerfilesAt(ctx, work, report.errors);
        for (const t of todo) {
          const o = auditPath(t, settings, reader);
          if (o.result) report.results.push(o.result);
          for (const e of o.errors) report.errors.push(e);
        }
        formatTty(report, { color: true, width: 80, readSource: reader.read });
        JSON.stringify(toSarif(report, reader.read));
        toGithub(report);
        for (const c of jsonChunks(report)) void c;
      }
      function runMutated(s) {
        const files = {};
        for (const [k, v] of Object.entries(s.files)) files[k] = { content: v, mode: 0o755 };
        const model = buildModel(s.dockerfile, { context: memoryFs(files) });
        const r = analyze(model);
        JSON.stringify({ p: r.prediction, f: r.findings, d: model.diagnostics });
      }
      // The CPU time of this thread alone (Linux: /proc/thread-self/stat, utime + stime in clock ticks of
      // 10 ms; a synchronous read runs on the calling thread): the machine is shared, so the limit on time is
      // judged on it, not on the wall clock. GC helper threads are not counted. null where there is no /proc.
      const threadCpuMs = () => {
        try {
          const t = fs.readFileSync("/proc/thread-self/stat", "utf8");
          const f = t.slice(t.lastIndexOf(")") + 2).split(" ");
          return (Number(f[11]) + Number(f[12])) * 10;
        } catch {
          return null;
        }
      };
      // this thread's id in /proc/self/task, for the watchdog to read its CPU time
      const threadTid = () => {
        try {
          return Number(fs.readFileSync("/proc/thread-self/stat", "utf8").split(" ")[0]);
        } catch {
          return null;
        }
      };
      parentPort.on("message", ({ from, to, seed, dump }) => {
        for (let i = from; i < to; i++) {
          const useHostile = GENERATOR === "hostile" || (GENERATOR === "both" && i % 2 === 1);
          let s;
          if (useHostile) s = hostile((seed * 2654435761 + i) >>> 0);
          else {
            const samples = fixtures();
            const a = samples[(i * 7919 + seed) % samples.length];
            const b = samples[(i * 104729 + seed) % samples.length];
            s = mutate(a, b, (seed * 2654435761 + i) >>> 0);
          }
          if (dump) parentPort.postMessage({ kind: "sample", i, sample: s });
          let t0 = performance.now();
          let c0 = null;
          try {
            const go = useHostile ? writeHostile(s) : () => runMutated(s);
            c0 = threadCpuMs();
            parentPort.postMessage({ kind: "start", i, tid: threadTid(), cpu0: c0 });
            t0 = performance.now();
            go();
            const wallMs = performance.now() - t0;
            const c1 = threadCpuMs();
            const heap = v8.getHeapStatistics();
            parentPort.postMessage({ kind: "ok", i, ms: c0 !== null && c1 !== null ? c1 - c0 : wallMs, wallMs, cpu: c0 !== null && c1 !== null, heapMB: (heap.used_heap_size + heap.external_memory) / 1048576, shape: s.shape ?? null });
          } catch (e) {
            const c1 = threadCpuMs();
            parentPort.postMessage({ kind: "crash", i, ms: c0 !== null && c1 !== null ? c1 - c0 : performance.now() - t0, wallMs: performance.now() - t0, error: String(e && e.stack || e), sample: s });
          }
        }
        fs.rmSync(work, { recursive: true, force: true });
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
      else if (m.kind === "ok" || m.kind === "crash") console.log(`input #${i}: ${m.kind} in ${m.ms.toFixed(0)} ms ${m.cpu ? "of CPU" : "(wall clock)"}, ${m.wallMs.toFixed(0)} ms wall clock, heap after it ${m.heapMB?.toFixed(0)} MB${m.error ? ": " + m.error.split("\n")[0] : ""} (saved to ${path.join(OUT, `input-${i}.json`)})`);
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
const slow = [];
/** The 10 slowest inputs, slowest first. */
const slowest = [];
let peakHeap = { mb: 0, i: -1 };
let cpuMeasured = 0;
let maxWall = { ms: 0, i: -1 };
const times = [];
/** Ranges of inputs to run again in a new worker (the rest of a chunk after a hang or a crash). */
const queue = [];

function runWorker() {
  return new Promise((resolve) => {
    const start = () => {
      let from, to;
      if (queue.length) [from, to] = queue.shift();
      else if (next < COUNT) {
        from = next;
        to = Math.min(COUNT, from + CHUNK);
        next = to;
      } else return resolve();
      const w = new Worker(workerFile, { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
      let current = from;
      let timer = null;
      let ended = false;
      const requeueRest = () => {
        if (!ended && current + 1 < to) queue.push([current + 1, to]);
        ended = true;
      };
      // The watchdog: an input is a hang after --timeout ms of the worker thread's CPU time (read from
      // /proc/self/task/<tid>/stat; on a shared machine a busy input can wait for a core longer than it
      // runs), or after 6 × --timeout of wall clock whatever its CPU time; without /proc, after --timeout
      // of wall clock.
      let startInfo = null;
      const taskCpuMs = (tid) => {
        try {
          const t = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
          const f = t.slice(t.lastIndexOf(")") + 2).split(" ");
          return (Number(f[11]) + Number(f[12])) * 10;
        } catch {
          return null;
        }
      };
      const arm = () => {
        clearTimeout(timer);
        const wall0 = Date.now();
        const check = () => {
          const cpu = startInfo?.tid != null && startInfo.cpu0 != null ? taskCpuMs(startInfo.tid) : null;
          const used = cpu === null ? TIMEOUT : cpu - startInfo.cpu0;
          if (used < TIMEOUT && Date.now() - wall0 < 6 * TIMEOUT) {
            timer = setTimeout(check, Math.max(100, TIMEOUT - used));
            return;
          }
          hangs.push(current);
          requeueRest();
          w.terminate();
        };
        timer = setTimeout(check, TIMEOUT);
      };
      w.on("message", (m) => {
        if (m.kind === "start") {
          current = m.i;
          startInfo = { tid: m.tid, cpu0: m.cpu0 };
          arm();
        } else if (m.kind === "ok" || m.kind === "crash") {
          clearTimeout(timer);
          done++;
          times.push(m.ms);
          if (m.cpu) cpuMeasured++;
          if (m.wallMs > maxWall.ms) maxWall = { ms: m.wallMs, i: m.i };
          if (m.ms > SLOW_MS) slow.push({ i: m.i, ms: m.ms, wallMs: m.wallMs });
          if (slowest.length < 10 || m.ms > slowest[slowest.length - 1].ms) {
            slowest.push({ i: m.i, ms: m.ms, wallMs: m.wallMs, shape: m.shape });
            slowest.sort((x, y) => y.ms - x.ms);
            slowest.length = Math.min(slowest.length, 10);
          }
          if (m.heapMB > peakHeap.mb) peakHeap = { mb: m.heapMB, i: m.i };
          if (m.kind === "crash") {
            crashes.push(m);
            fs.writeFileSync(path.join(OUT, `crash-${m.i}.json`), JSON.stringify(m.sample));
          }
        } else if (m.kind === "done") {
          ended = true;
          clearTimeout(timer);
          w.terminate();
        }
      });
      w.on("error", (e) => {
        // out of memory (the heap limit) or an error outside the try: a crash of the current input
        crashes.push({ i: current, error: String(e) });
        requeueRest();
      });
      w.on("exit", () => {
        clearTimeout(timer);
        if (done) process.stderr.write(`\r${done}/${COUNT} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        start();
      });
      w.postMessage({ from, to, seed: SEED });
    };
    start();
  });
}
/** The figures so far (also on SIGINT/SIGTERM: a campaign stopped early still says what it found). */
function summary() {
  times.sort((a, b) => a - b);
  const secs = (Date.now() - t0) / 1000;
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(`\nfuzz campaign (${GENERATOR}): ${done} inputs (seed ${SEED}) in ${secs.toFixed(0)} s with ${WORKERS} workers, heap limit ${HEAP_MB} MB each: ${crashes.length} crashes, ${hangs.length} hangs (> ${TIMEOUT} ms of CPU, or ${6 * TIMEOUT} ms of wall clock), ${slow.length} inputs over ${SLOW_MS} ms`);
  console.log(`time per input: ${cpuMeasured === done ? "CPU time of the worker thread" : `CPU time of the worker thread for ${cpuMeasured} inputs, wall clock for the others`} (the limit of ${SLOW_MS} ms is on it, and the watchdog for hangs too); longest wall clock ${maxWall.ms.toFixed(0)} ms (input #${maxWall.i})`);
  console.log(`time per input: median ${times[Math.floor(times.length / 2)]?.toFixed(2)} ms, p99 ${times[Math.floor(times.length * 0.99)]?.toFixed(1)} ms; peak heap after an input ${peakHeap.mb.toFixed(0)} MB (input #${peakHeap.i}); peak RSS of the campaign ${rss.toFixed(0)} MB`);
  console.log("slowest inputs:");
  for (const x of slowest) console.log(`  #${x.i}: ${x.ms.toFixed(0)} ms (${x.wallMs.toFixed(0)} ms wall clock)${x.shape ? ` (${x.shape.join(", ")})` : ""}`);
  for (const c of crashes.slice(0, 10)) console.log(`crash #${c.i}: ${String(c.error).split("\n").slice(0, 3).join(" | ")}`);
  for (const h of hangs.slice(0, 10)) console.log(`hang #${h} (reproduce: node scripts/fuzz-campaign.mjs --only ${h} --seed ${SEED} --generator ${GENERATOR})`);
  for (const x of slow.slice(0, 10)) console.log(`slow #${x.i}: ${x.ms.toFixed(0)} ms, ${x.wallMs.toFixed(0)} ms wall clock (reproduce: node scripts/fuzz-campaign.mjs --only ${x.i} --seed ${SEED} --generator ${GENERATOR})`);
  if (crashes.length || hangs.length) console.log(`inputs written to ${OUT}`);
}
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => {
  console.log(`\nstopped by ${sig} after ${done} of ${COUNT} inputs`);
  summary();
  fs.rmSync(workerFile, { force: true });
  process.exit(crashes.length || hangs.length ? 1 : 0);
});
await Promise.all(Array.from({ length: WORKERS }, runWorker));
fs.rmSync(workerFile, { force: true });
summary();

process.exit(crashes.length || hangs.length ? 1 : 0);
