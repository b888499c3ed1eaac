/**
 * Ground truth for applications run by an interpreter as PID 1 (`node app.js`, `python3 app.py`): the same
 * interpreter stops on docker stop's SIGTERM or not depending on whether the application installs a handler,
 * in its entry file or in a file that entry loads. Each case runs the real interpreter as PID 1 of a fresh PID
 * namespace (nsrun.ts), the signal sent from the host's namespace as docker stop sends it; the analyzer is
 * then run on a Dockerfile that copies the same files and runs the same command, and its predicted outcome
 * must be the measured one (killed ↔ killed-after-grace, graceful ↔ exited-after-signal).
 *
 * Needs root and util-linux unshare; node and python3 (Debian: apt-get install nodejs python3); a missing
 * program is a visible skip.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../../src/index.js";
import { describeObserved, findProgram, nsrunAll, nsrunUnavailable, type NsRunOptions, type NsRunResult } from "./nsrun.js";

const unavailable = nsrunUnavailable();
if (unavailable) console.warn(`[ground-truth] apps: namespace measurements SKIPPED: ${unavailable}`);
const NODE = findProgram("node");
// not the pyenv shim (a script): the interpreter itself
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : findProgram("python3");

interface AppCase {
  id: string;
  title: string;
  interpreter: "node" | "python3";
  files: Record<string, string>;
  /** The argv after the interpreter, relative to the application's directory (the image's WORKDIR /app). */
  args: string[];
  measured: "exited-after-signal" | "killed-after-grace" | "exited-before-signal";
  exitCode?: number;
  predicted: "graceful" | "killed" | "not-running";
  /** A line the application prints once its handler is in place: the signal waits for it (not only settleMs). */
  ready?: string;
}

const SERVE_JS = "setInterval(() => {}, 1000);\n";
const SERVE_PY = "import time\nwhile True:\n    time.sleep(1)\n";

const CASES: AppCase[] = [
  {
    id: "node-no-handler", interpreter: "node", args: ["app.js"], measured: "killed-after-grace", predicted: "killed",
    title: "node app.js without a handler: node's own TERM handler re-raises, dropped at PID 1: killed after the grace period",
    files: { "app.js": "const util = require('util');\n" + SERVE_JS },
  },
  {
    id: "node-handler", interpreter: "node", args: ["app.js"], measured: "exited-after-signal", exitCode: 0, predicted: "graceful",
    title: "node app.js with process.on('SIGTERM', …) that exits: exits 0 at once",
    files: { "app.js": "process.on('SIGTERM', () => process.exit(0));\n" + SERVE_JS },
  },
  {
    id: "node-handler-required", interpreter: "node", args: ["server.js"], measured: "exited-after-signal", exitCode: 0, predicted: "graceful",
    title: "node server.js whose handler is in a file it requires (./lib/stop.js): exits 0 at once",
    files: { "server.js": "require('./lib/stop');\n" + SERVE_JS, "lib/stop.js": "for (const s of ['SIGINT', 'SIGTERM']) {\n  process.once(s, () => process.exit(0));\n}\n" },
  },
  {
    id: "node-handler-commented", interpreter: "node", args: ["app.js"], measured: "killed-after-grace", predicted: "killed",
    title: "node app.js whose only handler is commented out: killed after the grace period",
    files: { "app.js": "// process.on('SIGTERM', () => process.exit(0));\n" + SERVE_JS },
  },
  {
    id: "python-no-handler", interpreter: "python3", args: ["app.py"], measured: "killed-after-grace", predicted: "killed",
    title: "python3 app.py without a handler: TERM is dropped at PID 1: killed after the grace period",
    files: { "app.py": SERVE_PY },
  },
  {
    id: "python-handler", interpreter: "python3", args: ["app.py"], measured: "exited-after-signal", exitCode: 0, predicted: "graceful",
    title: "python3 app.py with signal.signal(SIGTERM, …) that exits: exits 0 at once",
    files: { "app.py": "import signal, sys\nsignal.signal(signal.SIGTERM, lambda n, f: sys.exit(0))\n" + SERVE_PY },
  },
  {
    id: "python-handler-imported", interpreter: "python3", args: ["main.py"], measured: "exited-after-signal", exitCode: 0, predicted: "graceful",
    title: "python3 main.py whose handler is in a package it imports (svc/__init__.py): exits 0 at once",
    files: { "main.py": "import svc\nsvc.run()\n", "svc/__init__.py": "import signal, sys, time\n\ndef run():\n    signal.signal(signal.SIGTERM, lambda n, f: sys.exit(0))\n    while True:\n        time.sleep(1)\n" },
  },
  {
    id: "python-asyncio-handler", interpreter: "python3", args: ["app.py"], measured: "exited-after-signal", exitCode: 0, predicted: "graceful",
    title: "python3 app.py with loop.add_signal_handler(SIGTERM, …) stopping the loop: exits 0 at once",
    files: {
      "app.py":
        "import asyncio, signal\n\nasync def main():\n    stop = asyncio.Event()\n    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)\n    print('ready', flush=True)\n    await stop.wait()\n\nasyncio.run(main())\n",
    },
    // asyncio's import is slow on a loaded machine: the TERM sent before the handler was in place was dropped
    ready: "ready",
  },
  {
    id: "python-sig-dfl", interpreter: "python3", args: ["app.py"], measured: "killed-after-grace", predicted: "killed",
    title: "python3 app.py with signal.signal(SIGTERM, SIG_DFL): no handler, killed after the grace period",
    files: { "app.py": "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_DFL)\n" + SERVE_PY },
  },
  {
    id: "node-no-program", interpreter: "node", args: [], measured: "exited-before-signal", exitCode: 0, predicted: "not-running",
    title: "node alone with stdin /dev/null (docker run without -i): reads an empty program and exits 0 at once",
    files: {},
  },
  {
    id: "python-no-program", interpreter: "python3", args: [], measured: "exited-before-signal", exitCode: 0, predicted: "not-running",
    title: "python3 alone with stdin /dev/null (docker run without -i): reads an empty program and exits 0 at once",
    files: {},
  },
];

const dir = unavailable ? join(tmpdir(), "audit-image-gt-apps-skipped") : mkdtempSync(join(tmpdir(), "audit-image-gt-apps-"));
const prog = (c: AppCase) => (c.interpreter === "node" ? NODE : PYTHON);

function write(c: AppCase): string {
  const root = join(dir, c.id);
  mkdirSync(root, { recursive: true });
  for (const [rel, body] of Object.entries(c.files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), body);
  }
  return root;
}

const results = new Map<string, NsRunResult>();
let measuring: Promise<void> | null = null;
function measureAll(): Promise<void> {
  measuring ??= (async () => {
    const runnable = CASES.filter((c) => prog(c));
    const opts: NsRunOptions[] = runnable.map((c) => ({ argv: [prog(c)!, ...c.args], cwd: write(c), settleMs: 700, graceMs: 1500, ...(c.ready ? { waitFor: c.ready } : {}), ...(c.measured === "exited-before-signal" ? { signal: null, hardTimeoutMs: 5000 } : {}) }));
    const rs = await nsrunAll(opts, 4);
    runnable.forEach((c, i) => results.set(c.id, rs[i]!));
  })();
  return measuring;
}

afterAll(() => {
  if (!unavailable) rmSync(dir, { recursive: true, force: true });
});

function predicted(c: AppCase) {
  const base = c.interpreter === "node" ? "node:20-slim" : "python:3.12-slim";
  const df = `FROM ${base}\nWORKDIR /app\nCOPY . .\nCMD ${JSON.stringify([c.interpreter, ...c.args])}\n`;
  const ctx = memoryFs(Object.fromEntries(Object.entries(c.files).map(([k, v]) => [k, { content: v, mode: 0o644 }])));
  return analyze(buildModel(df, { context: ctx }));
}

describe.skipIf(unavailable !== null)(`applications as PID 1, measured in a PID namespace${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`, () => {
  for (const c of CASES) {
    const missing = prog(c) ? null : c.interpreter;
    it.skipIf(missing !== null)(`${c.title}${missing ? ` (SKIPPED: ${missing} not installed)` : ""}`, async () => {
      await measureAll();
      const r = results.get(c.id)!;
      expect(r.outcome, describeObserved(c.id, r)).toBe(c.measured);
      if (c.exitCode !== undefined) expect(r.exit, describeObserved(c.id, r)).toEqual({ code: c.exitCode, signal: null });
      const a = predicted(c);
      expect(a.prediction.stop.outcome, `the analyzer's prediction for ${c.id}: ${a.prediction.stop.reason}`).toBe(c.predicted);
      if (c.predicted !== "not-running") expect(a.prediction.processTree?.app?.status).toBe("seen");
    }, 20_000);
  }
});
