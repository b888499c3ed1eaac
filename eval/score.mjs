#!/usr/bin/env node
// Run the built audit-image CLI on every extracted eval pair and compare its headline prediction with the
// labels. A measurement: exits 0 whatever the figures are (2 only for a usage error).
//
//   node eval/score.mjs [--verbose] [--only ID]… [--timeout S] [--jobs N] [--json [FILE]] [--diff OLD.json]
//                       [--from SAVED.json] [--set DIR]
//
// --json writes the per-pair results (default eval/.cache/score-<timestamp>.json); --diff OLD lists the
// pairs whose result changed since OLD (a file written by --json); --from SAVED scores nothing and reads
// SAVED instead (so `--from NEW --diff OLD` compares two saved runs). The figures are defined in
// eval/README.md.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve, basename } from "node:path";
import {
  ROOT, EVAL_DIR, CACHE_DIR, loadSet, srcDir, readMarker, extractKey, sameKey, normContext, normPid1, PROGRAM_PID1, SCRIPT_INTERPRETER, rel,
} from "./lib/common.mjs";

// Which pairs' outcome hinges on an application whose code is not in the build context (labelled blind, without
// the tool's output: eval/README.md, "Where the context decides the outcome"); absent file: not printed.
const OUTSIDE_FILE = join(EVAL_DIR, "outcome-context.json");
const OUTSIDE = existsSync(OUTSIDE_FILE) ? new Map(Object.entries(JSON.parse(readFileSync(OUTSIDE_FILE, "utf8")).pairs).map(([id, v]) => [id, v.appOutside === true])) : null;

const CLI = join(ROOT, "packages", "cli", "bin", "audit-image.js");
const args = process.argv.slice(2);
const opt = { verbose: false, only: [], timeout: 60, jobs: 1, json: null, diff: null, from: null, set: undefined };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const next = () => {
    if (i + 1 >= args.length) usage(`${a} needs a value`);
    return args[++i];
  };
  if (a === "--verbose" || a === "-v") opt.verbose = true;
  else if (a === "--only") opt.only.push(next());
  else if (a === "--timeout") opt.timeout = Number(next());
  else if (a === "--jobs") opt.jobs = Math.max(1, Number(next()) | 0);
  else if (a === "--json") opt.json = i + 1 < args.length && !args[i + 1].startsWith("-") ? resolve(args[++i]) : "";
  else if (a === "--diff") opt.diff = resolve(next());
  else if (a === "--from") opt.from = resolve(next());
  else if (a === "--set") opt.set = resolve(next());
  else if (a === "-h" || a === "--help") usage(null);
  else usage(`unknown argument ${a}`);
}
if (!(opt.timeout > 0)) usage("--timeout must be a positive number of seconds");

function usage(msg) {
  if (msg) console.error(`score: ${msg}`);
  console.log(
    "usage: node eval/score.mjs [--verbose] [--only ID]… [--timeout S] [--jobs N] [--json [FILE]]\n" +
      "                          [--diff OLD.json] [--from SAVED.json] [--set DIR]",
  );
  process.exit(msg ? 2 : 0);
}

let run;
if (opt.from) {
  run = JSON.parse(readFileSync(opt.from, "utf8"));
  if (opt.only.length) run.pairs = run.pairs.filter((r) => opt.only.includes(r.id));
} else {
  run = await scoreAll();
}
printSummary(run);
if (opt.json !== null && !opt.from) {
  const file = opt.json || join(CACHE_DIR, `score-${run.startedAt.replace(/[:.]/g, "-")}.json`);
  mkdirSync(resolve(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify(run, null, 2) + "\n");
  console.log(`\nresults written to ${rel(file)}`);
}
if (opt.diff) printDiff(JSON.parse(readFileSync(opt.diff, "utf8")), run);
process.exit(0);

// ---------------------------------------------------------------------------------------------------------

async function scoreAll() {
  if (!existsSync(CLI) || !existsSync(join(ROOT, "packages", "cli", "dist"))) {
    console.error(`score: the CLI is not built (${rel(CLI)}); run \`npx --yes pnpm@10 install --frozen-lockfile\` first`);
  }
  const help = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8", timeout: 30_000 });
  const hasEnv = /^\s*--env\b/m.test(help.stdout ?? "");
  const version = spawnSync(process.execPath, [CLI, "--version"], { encoding: "utf8", timeout: 30_000 }).stdout?.trim() ?? null;
  const head = spawnSync("git", ["-C", ROOT, "rev-parse", "HEAD"], { encoding: "utf8" }).stdout?.trim() ?? null;
  // the last commit that changed the tool (the set's own commits move HEAD without changing it)
  const toolCommit = spawnSync("git", ["-C", ROOT, "log", "-1", "--format=%H", "--", "packages", "scripts"], { encoding: "utf8" }).stdout?.trim() || head;
  const dirty = spawnSync("git", ["-C", ROOT, "status", "--porcelain", "--untracked-files=no", "--", "packages"], { encoding: "utf8" }).stdout?.trim() !== "";

  const { pairs, problems } = loadSet(opt.set);
  for (const p of problems) console.error(`set: ${p}`);
  for (const id of opt.only) if (!pairs.some((p) => p.id === id)) console.error(`score: no pair ${id}`);
  const chosen = opt.only.length ? pairs.filter((p) => opt.only.includes(p.id)) : pairs;
  const startedAt = new Date().toISOString();
  const results = new Array(chosen.length);
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const i = next++;
      results[i] = await scorePair(chosen[i], hasEnv);
      if (!opt.verbose && process.stderr.isTTY) process.stderr.write(`\r${i + 1}/${chosen.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opt.jobs, chosen.length || 1) }, worker));
  if (!opt.verbose && process.stderr.isTTY) process.stderr.write("\r");
  return { startedAt, tool: { version, commit: toolCommit, head, packagesDirty: dirty, envFlag: hasEnv }, setSize: pairs.length, timeoutSeconds: opt.timeout, pairs: results };
}

async function scorePair(p, hasEnv) {
  const label = p.label;
  const base = {
    id: p.id,
    batch: p.batch,
    category: p.category ?? null,
    appOutside: OUTSIDE?.get(p.id) ?? null,
    label: { decided: label.decided, pid1: label.pid1, outcome: label.outcome, reaches: label.reaches ?? null, stopSignal: label.stopSignal ?? null, confidence: label.confidence ?? null },
  };
  if (!sameKey(readMarker(p.id), extractKey(p)) || !existsSync(srcDir(p.id))) return { ...base, status: "not-extracted" };
  const argv = [CLI, "--format", "json", "--fail-on", "none", "--no-config", "--context", normContext(p.context)];
  if (p.target) argv.push("--target", p.target);
  for (const [k, v] of Object.entries(p.buildArgs ?? {})) argv.push("--build-arg", `${k}=${v}`);
  if (hasEnv) for (const [k, v] of Object.entries(p.env ?? {})) argv.push("--env", `${k}=${v}`);
  argv.push(p.dockerfile);
  const t0 = Date.now();
  const r = await runNode(argv, srcDir(p.id), opt.timeout * 1000);
  const ms = Date.now() - t0;
  if (r.timedOut) return { ...base, status: "timeout", ms };
  let doc = null;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    /* handled below */
  }
  const res = doc?.results?.[0];
  const internal = doc?.errors?.find((e) => e.code === "internal-error") ?? res?.findings?.find((f) => f.ruleId === "internal-error");
  if (r.code !== 0 && r.code !== 1 && !res) {
    const why = doc?.errors?.map((e) => `${e.code}: ${e.message}`).join("; ") || lastLine(r.stderr) || `exit ${r.code ?? r.signal}`;
    // the report names an input problem (not-found, no-such-target, unparseable…): an input error, not a crash
    const inputError = doc && !internal && doc.errors?.length;
    return { ...base, status: inputError ? "tool-error" : "crash", exit: r.code, message: why, ms };
  }
  if (!res) return { ...base, status: "crash", exit: r.code, message: lastLine(r.stderr) || "no result in the JSON report", ms };
  if (internal) return { ...base, status: "crash", exit: r.code, message: internal.message, ms };
  const pred = headline(res);
  const errors = res.findings.filter((f) => f.severity === "error").map((f) => f.ruleId);
  const pid1Ok = pred.pid1 !== "unknown" && (normPid1(label.pid1) === pred.pid1 || SCRIPT_INTERPRETER[pred.pid1] === normPid1(label.pid1));
  const outcomeOk = pred.outcome === label.outcome;
  return {
    ...base,
    status: "ok",
    exit: r.code,
    ms,
    predicted: pred,
    errorRules: [...new Set(errors)].sort(),
    errorCount: errors.length,
    pid1Ok,
    outcomeOk,
    stopSignalOk: label.stopSignal ? (res.stopSignal ?? "SIGTERM") === label.stopSignal : null,
    unsafe: pred.outcome === "graceful" && (label.reaches === "no" || label.outcome === "killed" || label.outcome === "abrupt"),
  };
}

/** The headline prediction: the default scenario (processTree/stop at the top of the result). */
function headline(res) {
  // A container that exits by itself has no process tree at the stop; lifecycle.pid1 (report 1.4.0) names its PID 1.
  const tree = res.processTree ?? (res.lifecycle?.state === "exits" ? res.lifecycle.pid1 : null) ?? null;
  const baseUnknown = res.baseImage?.kind === "unknown" || [res.command?.entrypoint, res.command?.cmd].some((x) => x?.inherited?.from === "unknown-base");
  let pid1;
  const a0 = tree?.argv?.[0];
  if (tree && typeof a0 === "string" && a0 !== "" && !/[$?]/.test(a0)) pid1 = PROGRAM_PID1[tree.program] ?? normPid1(a0);
  else if (tree || baseUnknown || res.lifecycle?.state === "unknown") pid1 = "unknown";
  else pid1 = "(none)";
  let outcome = res.stop?.outcome ?? "unknown";
  if (res.lifecycle?.state === "fails") outcome = "fails";
  return {
    pid1,
    argv: tree?.argv ?? null,
    program: tree?.program ?? null,
    role: res.processTree?.role ?? null,
    outcome,
    lifecycle: res.lifecycle?.state ?? null,
    stopSignal: res.stopSignal ?? null,
    baseKind: res.baseImage?.kind ?? null,
    scenarios: res.scenarios?.length ?? 0,
    truncated: res.truncated ? res.truncated.reason : null,
  };
}

function runNode(argv, cwd, timeoutMs) {
  return new Promise((done) => {
    const child = spawn(process.execPath, argv, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, timedOut, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

const lastLine = (s) => s.trim().split("\n").filter(Boolean).pop() ?? "";

// ---------------------------------------------------------------------------------------------------------

function pct(n, d) {
  return d ? `${n}/${d} (${((100 * n) / d).toFixed(0)}%)` : `${n}/0 (-)`;
}

function printSummary(run) {
  const all = run.pairs;
  const ok = all.filter((r) => r.status === "ok");
  const dec = ok.filter((r) => r.label.decided);
  const notExtracted = all.filter((r) => r.status === "not-extracted");
  const crashes = all.filter((r) => r.status === "crash");
  const timeouts = all.filter((r) => r.status === "timeout");
  const toolErrors = all.filter((r) => r.status === "tool-error");

  console.log(`${run.tool?.version ?? "?"} at ${run.tool?.commit?.slice(0, 12) ?? "?"}${run.tool?.packagesDirty ? " (+ uncommitted changes in packages/)" : ""}, ${run.startedAt}`);
  console.log(`pairs: ${all.length}${run.setSize !== undefined && run.setSize !== all.length ? ` selected of ${run.setSize}` : ""} in the set; ${ok.length} scored (${dec.length} decided), ${notExtracted.length} not extracted, ` +
    `${crashes.length} crashes, ${timeouts.length} timeouts (>${run.timeoutSeconds} s), ${toolErrors.length} input errors`);
  if (opt.verbose) printTable(all);

  const line = (name, set, f) => console.log(`  ${name.padEnd(44)} ${pct(set.filter(f).length, set.length)}`);
  console.log("\nPID 1 agreement (normalised names; 'unknown' predictions count as misses)");
  line("decided pairs", dec, (r) => r.pid1Ok);
  line("all scored pairs", ok, (r) => r.pid1Ok);
  line("  of which predicted 'unknown' (decided)", dec, (r) => r.predicted.pid1 === "unknown");
  line("  of which predicted 'unknown' (all)", ok, (r) => r.predicted.pid1 === "unknown");
  console.log("outcome agreement (stop.outcome; lifecycle 'fails' counts as fails)");
  line("decided pairs", dec, (r) => r.outcomeOk);
  line("all scored pairs", ok, (r) => r.outcomeOk);
  line("both PID 1 and outcome (decided)", dec, (r) => r.pid1Ok && r.outcomeOk);
  line("stop signal agreement (all)", ok.filter((r) => r.stopSignalOk !== null), (r) => r.stopSignalOk);
  console.log(`'unknown' outcome share on decided pairs (issue 13)   ${pct(dec.filter((r) => r.predicted.outcome === "unknown").length, dec.length)}`);
  if (OUTSIDE) {
    // issue 13's own definition: the pairs where the context decides the outcome (no application outside it)
    const inside = dec.filter((r) => OUTSIDE.get(r.id) === false);
    const missing = dec.filter((r) => !OUTSIDE.has(r.id)).length;
    console.log(`  where the context decides the outcome             ${pct(inside.filter((r) => r.predicted.outcome === "unknown").length, inside.length)}` +
      ` (decided pairs less ${dec.filter((r) => OUTSIDE.get(r.id) === true).length} whose application is outside the context${missing ? `, ${missing} not labelled` : ""}: eval/outcome-context.json)`);
  }

  const unsafe = ok.filter((r) => r.unsafe);
  console.log(`unsafe misses (predicted graceful; label reaches=no or killed/abrupt): ${unsafe.length}` +
    ` (${unsafe.filter((r) => r.label.decided).length} decided)${unsafe.length ? ": " + unsafe.map((r) => r.id).join(", ") : ""}`);

  const gracefulLabelled = ok.filter((r) => r.label.outcome === "graceful");
  const withErr = gracefulLabelled.filter((r) => r.errorCount > 0);
  console.log(`error-level findings on pairs labelled graceful: ${pct(withErr.length, gracefulLabelled.length)} pairs`);
  const byRule = new Map();
  for (const r of withErr) for (const id of r.errorRules) byRule.set(id, (byRule.get(id) ?? 0) + 1);
  for (const [id, n] of [...byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`    ${id}: ${n} pair${n > 1 ? "s" : ""}`);

  console.log("confusion (decided pairs): label outcome -> predicted outcome");
  const conf = new Map();
  for (const r of dec) {
    const k = `${r.label.outcome} -> ${r.predicted.outcome}`;
    conf.set(k, (conf.get(k) ?? 0) + 1);
  }
  for (const [k, n] of [...conf].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`    ${k}: ${n}`);

  for (const r of [...crashes, ...timeouts, ...toolErrors]) console.log(`${r.status}: ${r.id}${r.message ? `: ${r.message}` : ""}`);
  if (notExtracted.length) console.log(`not extracted (run node eval/extract.mjs): ${notExtracted.map((r) => r.id).join(", ")}`);
}

function printTable(all) {
  const rows = [["id", "label pid1", "label outcome", "pred pid1", "pred outcome", "error rules", ""]];
  for (const r of all) {
    if (r.status !== "ok") {
      rows.push([r.id + (r.label.decided ? "" : " (undecided)"), r.label.pid1, r.label.outcome, `[${r.status}]`, "", "", "✗"]);
      continue;
    }
    const mark = r.pid1Ok && r.outcomeOk ? "✓" : "✗";
    rows.push([
      r.id + (r.label.decided ? "" : " (undecided)"),
      r.label.pid1,
      r.label.outcome,
      r.predicted.pid1 + (r.pid1Ok ? "" : " ≠"),
      r.predicted.outcome + (r.outcomeOk ? "" : " ≠") + (r.unsafe ? " UNSAFE" : ""),
      r.errorRules.join(",") || "-",
      mark,
    ]);
  }
  const w = rows[0].map((_, c) => Math.min(40, Math.max(...rows.map((row) => String(row[c]).length))));
  console.log("");
  for (const row of rows) console.log(row.map((v, c) => String(v).padEnd(w[c])).join("  ").trimEnd());
}

function printDiff(old, now) {
  const key = (r) =>
    r.status === "ok"
      ? JSON.stringify([r.predicted.pid1, r.predicted.outcome, r.errorRules, r.pid1Ok, r.outcomeOk, r.label.pid1, r.label.outcome, r.label.decided])
      : JSON.stringify([r.status]);
  const mark = (b) => (b ? "✓" : "✗");
  const show = (r) =>
    r ? (r.status === "ok" ? `${r.predicted.pid1}${mark(r.pid1Ok)} ${r.predicted.outcome}${mark(r.outcomeOk)} [${r.errorRules.join(",") || "-"}]` : `[${r.status}]`) : "(absent)";
  const a = new Map(old.pairs.map((r) => [r.id, r]));
  const b = new Map(now.pairs.map((r) => [r.id, r]));
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changed = ids.filter((id) => !a.has(id) || !b.has(id) || key(a.get(id)) !== key(b.get(id)));
  console.log(`\ndiff against ${old.startedAt} (${old.tool?.commit?.slice(0, 12) ?? "?"}): ${changed.length} pair${changed.length === 1 ? "" : "s"} changed`);
  for (const id of changed) {
    const [x, y] = [a.get(id), b.get(id)];
    const label = (y ?? x).label;
    const labelChanged = x && y && (x.label.pid1 !== y.label.pid1 || x.label.outcome !== y.label.outcome || x.label.decided !== y.label.decided);
    console.log(`  ${id} (label ${label.pid1}/${label.outcome}${labelChanged ? ", label changed" : ""}): ${show(x)}  ->  ${show(y)}`);
  }
}
