#!/usr/bin/env node
// The engine tier (`pnpm test:engine`): every fixture of test-images/ is built, run, observed, stopped on a
// real Docker engine and compared with its committed expected.json summary (PID 1 = summary.tree[0], the
// tree's argv nesting, the lifecycle, the stop outcome, the exit code when not null).
//
//   - no engine reachable and not root: prints "engine tier: skipped: no Docker engine", exits 0;
//   - root and no engine: starts the private daemon (engine/dockerd.sh start) and stops it at the end;
//   - builds the base images (engine/base-images.sh, engine/fixture-bases.mjs; both cached);
//   - runs AUDIT_IMAGE_TIER_JOBS fixtures at a time (default 2), prints one line per fixture, the details of
//     every disagreement, and a summary line; exit 1 on any disagreement.
//
// Arguments: fixture names to run only those. Results also go to $AUDIT_IMAGE_ENGINE_DIR/tier-results.json.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const T0 = Date.now();
const ENGINE_DIR = process.env.AUDIT_IMAGE_ENGINE_DIR || "/tmp/audit-image-engine";
const JOBS = Math.max(1, Number(process.env.AUDIT_IMAGE_TIER_JOBS) || 2);
const DEADLINE_MS = 20 * 60 * 1000; // hard stop, well above the 15-minute budget
const say = (m) => process.stdout.write(m + "\n");
const secs = () => ((Date.now() - T0) / 1000).toFixed(0);

// The tier uses the compiled verify code; build the repository when it is missing or stale.
const dist = path.join(ROOT, "packages/cli/dist/verify/engine.js");
const srcDir = path.join(ROOT, "packages/cli/src/verify");
const newestIn = (d, ext) =>
  fs.existsSync(d) ? Math.max(0, ...fs.readdirSync(d).filter((f) => f.endsWith(ext)).map((f) => fs.statSync(path.join(d, f)).mtimeMs)) : 0;
if (!fs.existsSync(dist) || newestIn(path.dirname(dist), ".js") < newestIn(srcDir, ".ts")) {
  const b = spawnSync(process.execPath, [path.join(ROOT, "scripts/build.mjs")], { cwd: ROOT, stdio: "inherit" });
  if (b.status !== 0) {
    if (!fs.existsSync(dist)) {
      say("engine tier: the build failed");
      process.exit(1);
    }
    say("engine tier: warning: the rebuild failed; using the existing build");
  }
}
const { Docker } = await import(path.join(ROOT, "packages/cli/dist/verify/docker.js"));
const E = await import(path.join(ROOT, "packages/cli/dist/verify/engine.js"));
const { compare, toShape, showTree } = await import(path.join(ROOT, "packages/cli/dist/verify/compare.js"));
const AI = await import("audit-image");

// ---------------------------------------------------------------- the engine
const env = { ...process.env };
let docker = new Docker({ env });
let version = await docker.serverVersion();
let startedDaemon = false;
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!version) {
  if (!isRoot) {
    say("engine tier: skipped: no Docker engine");
    process.exit(0);
  }
  // the private daemon may already run (DOCKER_HOST just not pointing at it): then it is not ours to stop
  const wasUp = spawnSync(path.join(HERE, "dockerd.sh"), ["status"], { stdio: "ignore", timeout: 30_000 }).status === 0;
  const r = spawnSync(path.join(HERE, "dockerd.sh"), ["start"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 180_000 });
  const m = /export DOCKER_HOST=(\S+)/.exec(r.stdout ?? "");
  if (r.status !== 0 || !m) {
    say("engine tier: skipped: no Docker engine (engine/dockerd.sh start failed)");
    process.exit(1);
  }
  env.DOCKER_HOST = m[1];
  docker = new Docker({ env });
  version = await docker.serverVersion();
  startedDaemon = !wasUp;
  if (!version) {
    say(`engine tier: no answer from the daemon at ${env.DOCKER_HOST}`);
    stopDaemon();
    process.exit(1);
  }
}
function stopDaemon() {
  if (startedDaemon) spawnSync(path.join(HERE, "dockerd.sh"), ["stop"], { stdio: ["ignore", "ignore", "inherit"], env, timeout: 60_000 });
}
E.installCleanupHandlers(docker, () => {
  say("\nengine tier: interrupted; cleaning up");
  setImmediate(() => {});
  stopDaemon();
});
const watchdog = setTimeout(() => {
  say(`engine tier: gave up after ${DEADLINE_MS / 60000} minutes`);
  E.cleanupSync(docker);
  stopDaemon();
  process.exit(1);
}, DEADLINE_MS);
watchdog.unref();
say(`engine tier: Docker ${version} at ${env.DOCKER_HOST || "default socket"}${startedDaemon ? " (private daemon started by the tier)" : ""}`);

// ---------------------------------------------------------------- base images
/** engineBase ("debian-real", "debian-real-node", …) → the image engine/real-base.sh made for it */
let realBases = null;
{
  const t = Date.now();
  const r = spawnSync(path.join(HERE, "base-images.sh"), [], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 });
  if (r.status !== 0) {
    say(`engine tier: engine/base-images.sh failed:\n${(r.stderr || "").trim().split("\n").slice(-10).join("\n")}`);
    stopDaemon();
    process.exit(1);
  }
  const { ensureFixtureBases } = await import(path.join(HERE, "fixture-bases.mjs"));
  const s = await ensureFixtureBases({ env });
  if (s.failed.length) {
    say(`engine tier: fixture base images failed: ${s.failed.join("; ")}`);
    stopDaemon();
    process.exit(1);
  }
  // the real Debian base (engine/real-base.sh; debootstrap, cached): fixtures with options.engineBase "debian-real"
  const rb = spawnSync(path.join(HERE, "real-base.sh"), [], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 1_800_000 });
  // it prints "image <engineBase>: <reference>" per flavor (the tag carries the hash of its package list, so worktrees
  // sharing a daemon keep theirs)
  if (rb.status === 0 && !/^skipped:/m.test(rb.stdout ?? "")) realBases = Object.fromEntries([...(rb.stdout ?? "").matchAll(/^image (\S+): (\S+)$/gm)].map((m) => [m[1], m[2]]));
  if (!realBases) say(`engine tier: no real Debian base (${((rb.stdout || "") + (rb.stderr || "")).trim().split("\n").pop()}): its fixtures are skipped`);
  say(`engine tier: base images ready in ${((Date.now() - t) / 1000).toFixed(1)} s (generated ${s.generated.length}, cached ${s.upToDate.length}, generic ${s.generic.length}, unknown→debian ${s.unknown.length})`);
}

// ---------------------------------------------------------------- fixtures
const FIXTURES = path.join(ROOT, "test-images");
const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const fixtures = fs
  .readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== "lib" && !d.name.startsWith(".") && fs.existsSync(path.join(FIXTURES, d.name, "expected.json")))
  .map((d) => d.name)
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();

async function runFixture(name) {
  const dir = path.join(FIXTURES, name);
  const exp = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
  const o = exp.options ?? {};
  const s = exp.summary;
  const t = Date.now();
  const res = { name, status: "agreed", seconds: 0, details: [], observed: null, build: null, description: exp.description };
  if (o.engineSkip) return { ...res, status: "skipped", details: [o.engineSkip] };
  if (o.compose && !(await E.composeClient(docker))) return { ...res, status: "skipped", details: ["no Compose here (docker compose, docker-compose)"] };
  // options.engineBase "debian-real": every FROM debian… is built from the real Debian base (real programs)
  let fromMap;
  if (o.engineBase?.startsWith("debian-real")) {
    if (!realBases) return { ...res, status: "skipped", details: ["needs the real Debian base (engine/real-base.sh was skipped)"] };
    const text = fs.readFileSync(path.join(dir, o.dockerfile ?? "Dockerfile"), "utf8");
    fromMap = {};
    for (const m of text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)/gim)) if (/^debian(?::|$)/.test(m[1])) fromMap[m[1]] = realBases[o.engineBase];
    if (!realBases[o.engineBase]) return { ...res, status: "disagreed", details: [`unknown options.engineBase ${o.engineBase} (engine/real-base.sh makes ${Object.keys(realBases).join(", ")})`] };
  } else if (o.engineBase) return { ...res, status: "disagreed", details: [`unknown options.engineBase ${o.engineBase}`] };
  const tag = E.uniqueName(`audit-image-tier-${name}`).toLowerCase().slice(0, 120) + ":latest";
  let composed = null;
  let pause = null;
  const b = await E.buildImage(docker, {
    dockerfile: path.join(dir, o.dockerfile ?? "Dockerfile"), context: dir, tag,
    ...(o.target ? { target: o.target } : {}), buildArgs: o.buildArgs ?? {}, ...(fromMap ? { fromMap } : {}),
  });
  res.build = { ok: b.ok, seconds: b.seconds, notes: b.notes, error: b.error };
  try {
    if (o.expectBuildFailure) {
      if (b.ok) return { ...res, status: "disagreed", details: ["expected the build to fail, but it succeeded"] };
      return { ...res, status: "agreed", details: [`build failed as expected: ${b.error?.split("\n").pop()}`] };
    }
    if (!b.ok) return { ...res, status: "disagreed", details: [`docker build failed: ${b.error}`] };
    const stopTimeout = o.stopTimeout ?? 3;
    let k8s = null;
    if (o.kubernetes) {
      // A Kubernetes container: what docker can reproduce of it; a shared PID namespace is --pid container:<pause>.
      const K = await import(path.join(ROOT, "packages/cli/dist/deploy/kubernetes.js"));
      const unit = K.readKubernetes(o.kubernetes.file, fs.readFileSync(path.join(dir, o.kubernetes.file), "utf8")).containers.find((u) => u.deployment.container === o.kubernetes.container);
      if (!unit) return { ...res, status: "disagreed", details: [`no container ${o.kubernetes.container} in ${o.kubernetes.file}`] };
      k8s = E.deploymentRunArgs(unit.deployment);
      if (unit.deployment.sharedPid?.value) {
        const pauseName = tag.split(":")[0].replace(/[^a-z0-9_.-]/g, "-") + "-pause";
        pause = await E.startPause(docker, pauseName);
        if (!pause.ok) return { ...res, status: "disagreed", details: [`the pause stand-in did not start: ${pause.error}`] };
        k8s.runArgs.push("--pid", `container:${pauseName}`);
      }
    }
    if (o.compose) {
      // A Compose fixture: Compose itself creates the service's container from the image just built.
      composed = await E.createWithCompose(docker, { file: path.join(dir, o.compose.file), service: o.compose.service, image: tag });
      if (composed.error) return { ...res, status: "disagreed", details: [composed.error] };
    }
    // options.stableMs: how long the tree must stay unchanged (a service that spawns its programs after a
    // start-up delay, like supervisord, needs more than the default 1 s); the settle bound grows with it
    const stableMs = o.stableMs ?? 1000;
    // AUDIT_IMAGE_TIER_TRACE=0: without the kernel trace (what a rootless engine or Docker Desktop gets)
    const runOpts = { stopTimeout, settleMs: Math.max(5000, stableMs + 4000), stableMs, trace: process.env.AUDIT_IMAGE_TIER_TRACE !== "0" };
    const obs = await E.runAndObserve(docker, tag, composed ? { ...runOpts, existing: true, name: composed.name } : { ...runOpts, name: tag.split(":")[0].replace(/[^a-z0-9_.-]/g, "-"), ...(o.env ? { env: o.env } : {}), ...(o.run ? { runArgs: E.dockerRunArgs(o.run), ...(o.run.command ? { command: o.run.command } : {}) } : {}), ...(k8s ?? {}) });
    res.observed = obs;
    if (o.expectRunFailure) {
      const ok = obs.lifecycle === "fails";
      return { ...res, status: ok ? "agreed" : "disagreed", details: [ok ? `run failed as expected: ${obs.runError}` : `expected the run to fail, observed ${obs.lifecycle}`] };
    }
    // options.engineScenario: the engine's run takes that scenario, not the headline (its tree is not compared).
    const sc = o.engineScenario !== undefined ? s.scenarios[o.engineScenario] : null;
    const expectation = sc
      ? { lifecycle: sc.lifecycle, pid1: sc.pid1, outcome: sc.outcome, exitCode: null, stopSignal: s.stopSignal }
      : {
          lifecycle: s.lifecycle,
          pid1: s.tree ? s.tree[0] : null,
          tree: toShape(s.tree),
          outcome: s.stop.outcome,
          exitCode: s.stop.exitCode,
          stopSignal: s.stopSignal,
        };
    // who receives the stop signal: the prediction's deliveries (not in the summary), from the analysis run
    // again as fixtures.test.ts runs it; compared only when the kernel trace saw the stop
    // (A fixture run through a deployment, docker run flags, Compose or Kubernetes, is analysed with it in
    // fixtures.test.ts; that analysis is not re-run here, so its receivers are not compared.)
    if (!sc && obs.timeline && (o.run || o.compose || o.kubernetes)) res.details.push("receivers not compared: the fixture's deployment is not re-analysed by the tier");
    else if (!sc && obs.timeline) {
      try {
        const text = fs.readFileSync(path.join(dir, o.dockerfile ?? "Dockerfile"), "utf8");
        const model = AI.dockerfile.buildModel(text, {
          file: "Dockerfile", context: AI.diskContext(dir), ...(o.target ? { target: o.target } : {}), ...(o.buildArgs ? { buildArgs: o.buildArgs } : {}),
        });
        const a = AI.analyzer.analyze(model, { stopTimeout: 10, ...(o.env ? { env: o.env } : {}) });
        if (a.prediction.stop.outcome === s.stop.outcome) {
          const ds = a.prediction.stop.deliveries;
          expectation.receivers = ds.filter((d) => d.receives).map((d) => d.argv0);
          expectation.receiversIgnoring = ds.filter((d) => d.receives && d.action === "ignore").map((d) => d.argv0);
          expectation.readers = ds.filter((d) => !d.receives && d.action === "ends").map((d) => d.argv0);
        }
      } catch (e) {
        res.details.push(`the prediction's receivers could not be computed: ${e.message}`);
      }
    }
    const cmp = compare(expectation, obs);
    res.comparison = cmp;
    if (!cmp.agrees) res.status = "disagreed";
    return res;
  } finally {
    if (composed?.cleanup) await composed.cleanup();
    if (pause) await pause.cleanup();
    if (b.ok) await E.removeImage(docker, tag);
    res.seconds = (Date.now() - t) / 1000;
  }
}

function report(r) {
  const mark = r.status === "agreed" ? "✓" : r.status === "skipped" ? "-" : "✗";
  say(`${mark} ${r.name.padEnd(36)} ${r.status.padEnd(9)} ${r.seconds.toFixed(1).padStart(5)} s${r.status === "skipped" ? `  (${r.details[0]})` : ""}`);
  if (r.status !== "disagreed") return;
  const out = [];
  out.push(`    ${r.description}`);
  for (const d of r.details) out.push(`    ${d}`);
  if (r.comparison) {
    for (const row of r.comparison.rows) {
      if (row.agrees !== false) continue;
      out.push(`    ${row.field}: expected ${row.predicted.split("\n").join(" / ")}`);
      out.push(`    ${" ".repeat(row.field.length)}  observed ${row.observed.split("\n").join(" / ")}`);
    }
  }
  const obs = r.observed;
  if (obs) {
    out.push(`    observed: ${obs.lifecycle}; tree ${showTree(obs.tree).map((l) => l.trim()).join(" > ") || "—"}; stop ${obs.stop ? `${obs.stop.outcome} ${obs.stop.signal} ${obs.stop.seconds} s exit ${obs.stop.exitCode}` : "—"}; zombies ${obs.zombies}`);
    for (const n of obs.notes) out.push(`    note: ${n}`);
    for (const l of obs.logs.slice(0, 15)) out.push(`    | ${l}`);
  }
  if (r.build?.notes?.length) for (const n of r.build.notes) out.push(`    build: ${n}`);
  say(out.join("\n"));
}

const results = [];
let next = 0;
async function worker() {
  while (next < fixtures.length) {
    const name = fixtures[next++];
    let r;
    const t = Date.now();
    try {
      r = await runFixture(name);
    } catch (e) {
      r = { name, status: "disagreed", details: [`tier error: ${e instanceof Error ? e.message : String(e)}`] };
    }
    r.seconds = (Date.now() - t) / 1000;
    results.push(r);
    report(r);
  }
}
await Promise.all(Array.from({ length: Math.min(JOBS, fixtures.length || 1) }, worker));
E.cleanupSync(docker);

const agreed = results.filter((r) => r.status === "agreed").length;
const disagreed = results.filter((r) => r.status === "disagreed").length;
const skipped = results.filter((r) => r.status === "skipped").length;
try {
  fs.mkdirSync(ENGINE_DIR, { recursive: true });
  fs.writeFileSync(path.join(ENGINE_DIR, "tier-results.json"), JSON.stringify(results, null, 1));
} catch {
  /* best effort */
}
stopDaemon();
say(`engine tier: ${results.length - skipped} fixtures verified, ${agreed} agreed, ${disagreed} disagreed, ${skipped} skipped in ${secs()} s`);
process.exit(disagreed ? 1 : 0);
