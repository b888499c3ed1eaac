#!/usr/bin/env node
// scripts/run-action.mjs: runs the composite GitHub Action of action.yml the way the runner does, without
// GitHub and without `act`: each `run:` step goes to `bash --noprofile --norc -eo pipefail` (the runner's
// bash) with its `env:`, in the workspace, with fresh GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STEP_SUMMARY files;
// `${{ … }}` expressions (inputs, steps.<id>.outputs, github.action_path, github.workspace, runner.temp,
// ==, !=, &&, ||, !, always(), success(), failure(), cancelled()) are evaluated, an `if:` without a status
// function means `success() && …` as on GitHub; a `uses:` step is not run but recorded with its resolved
// `with:`. Used by packages/cli/test/action.test.ts.
//
//   node scripts/run-action.mjs --workspace DIR [--input NAME=VALUE]… [--json]
//
// Prints each step (name, whether it ran, exit code, outputs, output text); --json prints the record as JSON.
// Exit 0 when the action succeeded, 1 when a step failed. Needs python3 with PyYAML to read action.yml.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** action.yml as an object (PyYAML: the action format is YAML 1.1 as GitHub reads it, in practice). */
export function loadAction(file = path.join(ROOT, "action.yml")) {
  const r = spawnSync("python3", ["-c", "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"], { input: fs.readFileSync(file, "utf8"), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cannot read ${file} (python3 with PyYAML is needed): ${r.stderr || r.error}`);
  return JSON.parse(r.stdout);
}

/** Evaluate a GitHub expression (the subset the action uses). */
export function evaluate(expr, ctx) {
  const lookup = (p) => {
    const parts = p.split(".");
    let v = ctx;
    for (const k of parts) v = v == null ? undefined : v[k];
    return v ?? "";
  };
  let js = "";
  const re = /\s*(?:('(?:[^']|'')*')|(==|!=|&&|\|\||!|\(|\))|(always|success|failure|cancelled)\(\)|([A-Za-z_][\w.-]*)|(\d+(?:\.\d+)?))/y;
  let i = 0;
  const text = expr.trim();
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new Error(`unsupported expression: ${expr}`);
    i = re.lastIndex;
    if (m[1]) js += JSON.stringify(m[1].slice(1, -1).replace(/''/g, "'"));
    else if (m[2]) js += m[2] === "==" ? "===" : m[2] === "!=" ? "!==" : m[2];
    else if (m[3]) js += JSON.stringify(m[3] === "always" ? true : m[3] === "success" ? !ctx.__failed : m[3] === "failure" ? !!ctx.__failed : false);
    else if (m[4]) js += m[4] === "true" || m[4] === "false" || m[4] === "null" ? m[4] : JSON.stringify(lookup(m[4]));
    else js += JSON.stringify(m[5]);
    js += " ";
  }
  // Comparisons are between strings here (inputs and outputs are strings), as GitHub compares them.
  return Function(`"use strict"; return (${js});`)();
}

const interpolate = (s, ctx) => String(s).replace(/\$\{\{\s*([\s\S]+?)\s*\}\}/g, (_, e) => {
  const v = evaluate(e, ctx);
  return v === null || v === undefined ? "" : String(v);
});

function readOutputs(file) {
  const out = {};
  const lines = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(l);
    if (heredoc) {
      const body = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
      out[heredoc[1]] = body.join("\n");
    } else if (l.includes("=")) out[l.slice(0, l.indexOf("="))] = l.slice(l.indexOf("=") + 1);
  }
  return out;
}

/** Run the action against `workspace` with `inputs`; returns { steps, outputs, failed }. */
export function runAction({ workspace, inputs = {}, actionPath = ROOT, env = {} }) {
  const action = loadAction(path.join(actionPath, "action.yml"));
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-image-action-"));
  const inputValues = {};
  for (const [name, spec] of Object.entries(action.inputs ?? {})) inputValues[name] = name in inputs ? String(inputs[name]) : String(spec.default ?? "");
  for (const name of Object.keys(inputs)) if (!(name in inputValues)) throw new Error(`action.yml has no input ${name}`);
  const ctx = { inputs: inputValues, steps: {}, github: { action_path: actionPath, workspace }, runner: { temp }, __failed: false };
  const steps = [];
  for (const [n, step] of (action.runs?.steps ?? []).entries()) {
    const name = step.name ?? step.id ?? `step ${n + 1}`;
    let cond = step.if === undefined ? "success()" : String(step.if).replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, "$1");
    if (!/\b(always|success|failure|cancelled)\(\)/.test(cond)) cond = `success() && (${cond})`;
    if (!evaluate(cond, ctx)) {
      steps.push({ name, id: step.id ?? null, ran: false });
      continue;
    }
    if (step.uses) {
      const withValues = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]));
      steps.push({ name, id: step.id ?? null, ran: false, uses: step.uses, with: withValues });
      continue;
    }
    const files = Object.fromEntries(["GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_STEP_SUMMARY", "GITHUB_PATH"].map((k) => [k, path.join(temp, `${n}-${k}`)]));
    for (const f of Object.values(files)) fs.writeFileSync(f, "");
    const script = path.join(temp, `${n}-step.sh`);
    fs.writeFileSync(script, interpolate(step.run, ctx));
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]));
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd: workspace,
      env: { ...process.env, ...env, GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: workspace, GITHUB_ACTION_PATH: actionPath, RUNNER_TEMP: temp, ...files, ...stepEnv },
      encoding: "utf8",
      timeout: 300000,
    });
    const outputs = readOutputs(files.GITHUB_OUTPUT);
    if (step.id) ctx.steps[step.id] = { outputs, outcome: r.status === 0 ? "success" : "failure" };
    steps.push({ name, id: step.id ?? null, ran: true, exitCode: r.status, outputs, stdout: r.stdout, stderr: r.stderr });
    if (r.status !== 0) ctx.__failed = true;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([k, v]) => [k, interpolate(v.value, ctx)]));
  fs.rmSync(temp, { recursive: true, force: true });
  return { steps, outputs, failed: ctx.__failed };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const inputs = {};
  let workspace = process.cwd();
  let asJson = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--workspace") workspace = path.resolve(args[++i]);
    else if (args[i] === "--input") {
      const [k, ...v] = args[++i].split("=");
      inputs[k] = v.join("=");
    } else if (args[i] === "--json") asJson = true;
    else throw new Error(`unknown argument ${args[i]}`);
  }
  const r = runAction({ workspace, inputs });
  if (asJson) console.log(JSON.stringify(r, null, 2));
  else {
    for (const s of r.steps) {
      console.log(`── ${s.name}: ${s.ran ? `ran, exit ${s.exitCode}` : s.uses ? `uses ${s.uses} (not run here) with ${JSON.stringify(s.with)}` : "skipped"}`);
      if (s.ran) process.stdout.write(s.stdout + s.stderr);
    }
    console.log(`── outputs: ${JSON.stringify(r.outputs)}; the action ${r.failed ? "failed" : "succeeded"}`);
  }
  process.exit(r.failed ? 1 : 0);
}
