// `audit-image verify`: check a prediction on a real Docker engine. Static analysis first, then build (or
// take --image), run with --network none and resource limits, let the process tree settle, read it from the
// host's /proc, `docker stop -t S`, and compare field by field. Exit 0: everything agrees; 1: a
// disagreement (or the build failed); 2: usage error or no engine.
import { append } from "../append.js";
import fs from "node:fs";
import path from "node:path";
import { readBounded } from "../read.js";
import { auditOne, emptyReport, resolveSettings, sourceReader, type Input } from "../audit.js";
import { manifestKind } from "../deploy/manifest.js";
import { ConfigError } from "../config.js";
import { visible } from "../visible.js";
import type { Report, Result, Verification } from "../report.js";
import { compare, showArgv, toShape, type Comparison, type Expectation, type Row } from "./compare.js";
import { Docker } from "./docker.js";
import { describeTimeline } from "./tracer.js";
import {
  buildImage, cleanupSync, createWithCompose, forgetContainer, forgetImage, installCleanupHandlers, registerContainer, removeImage, runAndObserve, tempDir, releaseDir, uniqueName,
  type ObsNode, type Observation,
} from "./engine.js";

export interface VerifyIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const VERIFY_HELP = `Usage: audit-image verify [options] [PATH-to-Dockerfile]
       audit-image verify [options] --image IMAGE
       audit-image verify [options] compose.yaml [--service NAME]

Check the prediction on a real Docker engine: build the image (or use IMAGE),
run it with --network none --memory 256m --pids-limit 256 --cpus 1, read the
process tree from the host, \`docker stop\` it, and compare with the
prediction field by field (PID 1, tree, lifecycle, stop outcome, exit code).

Options:
  --image IMAGE           verify an existing image: its config comes from
                          \`docker image inspect\`, its entrypoint scripts are
                          copied out (docker create + docker cp, never run)
  --target STAGE          build and audit this stage
  --build-arg K=V         build argument (repeatable)
  --env K=V, -e K=V       a variable of the container's environment: docker
                          run -e for the run, --env for the prediction
  --context DIR           build context (default: the Dockerfile's directory)
  -c, --config FILE       config file (default: .audit-image.json, searched from
                          the Dockerfile's directory upward); --no-config: none
  --stop-timeout S        grace period of docker stop (default 3)
  --settle MS             longest wait for the process tree to settle (default 5000)
  --service NAME          Compose: the service to verify (needed when the
                          file has several): Compose creates it (docker
                          compose, else docker-compose), the engine runs it
  --no-trace              do not trace the container's processes in the kernel
                          (by default, as root with tracefs, every signal,
                          fork, exec and exit of the run and the stop is
                          traced and the stop classified from that)
  --keep                  keep the built image
  -f, --format FMT        tty (default) or json (the report with a
                          "verification" object in the result)
  -h, --help              this help

The engine is DOCKER_HOST (default unix:///var/run/docker.sock); start a
private one with engine/dockerd.sh start.
Exit codes: 0 agrees; 1 disagrees or the build failed; 2 usage error or no engine.
`;

class UsageError extends Error {}

interface VerifyArgs {
  path: string | null;
  image: string | null;
  target?: string;
  buildArgs: Record<string, string>;
  /** --env: passed to docker run -e and to the analysis. */
  env: Record<string, string>;
  context?: string;
  config?: string;
  noConfig: boolean;
  stopTimeout: number;
  settleMs: number;
  keep: boolean;
  trace: boolean;
  format: "tty" | "json";
  help: boolean;
  service?: string;
}

export function parseVerifyArgs(argv: string[]): VerifyArgs {
  const a: VerifyArgs = { path: null, image: null, buildArgs: {}, env: {}, noConfig: false, stopTimeout: 3, settleMs: 5000, keep: false, trace: true, format: "tty", help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case "--image":
        a.image = value();
        break;
      case "--target":
        a.target = value();
        break;
      case "--build-arg": {
        const kv = value();
        const k = kv.split("=")[0]!;
        if (!k) throw new UsageError(`--build-arg ${kv}: expected K=V`);
        a.buildArgs[k] = kv.includes("=") ? kv.slice(k.length + 1) : (process.env[k] ?? "");
        break;
      }
      case "-e":
      case "--env": {
        const kv = value();
        const k = kv.split("=")[0]!;
        if (!k || /[\s\0]/.test(k)) throw new UsageError(`--env ${kv}: expected K=V`);
        // As docker run -e: K alone takes $K (taken as empty when it is not set here).
        a.env[k] = kv.includes("=") ? kv.slice(k.length + 1) : (process.env[k] ?? "");
        break;
      }
      case "--context":
        a.context = value();
        break;
      case "-c":
      case "--config":
        a.config = value();
        break;
      case "--no-config":
        a.noConfig = true;
        break;
      case "--stop-timeout": {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 600) throw new UsageError(`--stop-timeout ${v}: expected whole seconds (0-600)`);
        a.stopTimeout = n;
        break;
      }
      case "--settle": {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 200 || n > 600_000) throw new UsageError(`--settle ${v}: expected milliseconds (200-600000)`);
        a.settleMs = n;
        break;
      }
      case "--keep":
        a.keep = true;
        break;
      case "--service":
        a.service = value();
      case "--no-trace":
        a.trace = false;
        break;
      case "-f":
      case "--format": {
        const v = value();
        if (v !== "tty" && v !== "json") throw new UsageError(`--format ${v}: verify supports tty and json`);
        a.format = v;
        break;
      }
      case "-h":
      case "--help":
        a.help = true;
        break;
      default:
        if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option ${name}`);
        if (a.path !== null) throw new UsageError(`one Dockerfile at a time (got ${a.path} and ${arg})`);
        a.path = arg;
    }
  }
  if (a.image && a.path) throw new UsageError("give either a Dockerfile or --image, not both");
  if (a.config !== undefined && a.noConfig) throw new UsageError("--config and --no-config cannot be used together");
  if (a.path === "-") throw new UsageError("verify needs a Dockerfile on disk (its build context), not standard input");
  return a;
}

export async function runVerify(argv: string[], io: VerifyIO): Promise<number> {
  let args: VerifyArgs;
  try {
    args = parseVerifyArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`audit-image verify: ${visible(e.message, true)}\n(see audit-image verify --help)\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    io.stdout.write(VERIFY_HELP);
    return 0;
  }
  const v: VerifyRun = {
    args,
    io,
    docker: new Docker({ env: io.env }),
    cwd: path.resolve(io.cwd),
    err: (m: string) => io.stderr.write(`audit-image verify: ${visible(m, true)}\n`),
    progress: (m: string) => {
      if (args.format === "tty") io.stderr.write(`… ${visible(m, true)}\n`);
    },
  };

  if (args.path && !args.image) {
    const abs = path.resolve(v.cwd, args.path);
    let text: string | null = null;
    try {
      text = fs.statSync(abs).isFile() ? fs.readFileSync(abs, "utf8") : null;
    } catch {
      /* not a file: the Dockerfile path below says so */
    }
    if (text !== null && manifestKind(path.basename(abs), text) === "compose") return verifyCompose(v, abs, text);
  }
  // ---- static analysis of the Dockerfile (before anything touches the engine)
  let local: LocalDockerfile | null = null;
  if (!args.image) {
    const a = analyzeLocal(v);
    if (typeof a === "number") return a;
    local = a;
  }

  // ---- the engine
  const version = await v.docker.serverVersion();
  if (!version) {
    v.err(`no Docker engine at DOCKER_HOST=${io.env.DOCKER_HOST || "unix:///var/run/docker.sock"}; start one with engine/dockerd.sh start`);
    return 2;
  }
  installCleanupHandlers(v.docker, () => io.stderr.write("\naudit-image verify: interrupted; removing the containers and images it created\n"));

  try {
    const subject = args.image ? await inspectedImage(v, args.image) : await builtImage(v, local!);
    if (typeof subject === "number") return subject;
    return await observeAndCompare(v, version, subject);
  } catch (e) {
    v.err(`${e instanceof Error ? e.message : String(e)}`);
    return 2;
  } finally {
    cleanupSync(v.docker);
  }
}

/** What the steps of one verification share. */
interface VerifyRun {
  args: VerifyArgs;
  io: VerifyIO;
  docker: Docker;
  cwd: string;
  err: (m: string) => void;
  /** A line on stderr, for the tty format only. */
  progress: (m: string) => void;
}

/** A Dockerfile on disk, its build context, and the static analysis of it. */
interface LocalDockerfile {
  dockerfile: string;
  context: string;
  result: Result;
  config: string | null;
}

/** The image to run and the prediction for it. */
interface Subject {
  image: string;
  built: { tag: string; seconds: number; builder: string; notes: string[] } | null;
  notes: string[];
  result: Result;
  /** The config file the analysis loaded (Report.config). */
  config: string | null;
}

/** The Dockerfile (PATH, PATH/Dockerfile or ./Dockerfile) and its context, analyzed; exit code 2 when one is missing or the analysis fails. */
function analyzeLocal(v: VerifyRun): LocalDockerfile | number {
  const { args, cwd, err } = v;
  let p = path.resolve(cwd, args.path ?? "Dockerfile");
  try {
    if (fs.statSync(p).isDirectory()) p = path.join(p, "Dockerfile");
    if (!fs.statSync(p).isFile()) throw new Error("not a file");
  } catch {
    err(`${path.relative(cwd, p) || p}: no such Dockerfile`);
    return 2;
  }
  const contextAbs = args.context ? path.resolve(cwd, args.context) : path.dirname(p);
  if (!fs.existsSync(contextAbs) || !fs.statSync(contextAbs).isDirectory()) {
    err(`--context ${args.context}: not a directory`);
    return 2;
  }
  const a = analyzeFile(p, contextAbs, cwd, args, {});
  if (a.error !== undefined) {
    err(a.error);
    return 2;
  }
  return { dockerfile: p, context: contextAbs, result: a.result, config: a.config };
}

/** --image: the image as it is on the engine, analyzed from its config and scripts; the exit code when it cannot be. */
async function inspectedImage(v: VerifyRun, image: string): Promise<Subject | number> {
  v.progress(`inspecting ${image}`);
  const a = await analyzeImage(v.docker, image, v.cwd, v.args);
  if ("error" in a) {
    v.err(a.error);
    return a.code;
  }
  return { image, built: null, notes: [...a.notes], result: a.result, config: a.config };
}

/** Build the Dockerfile under a fresh tag; exit code 1 when the build fails. */
async function builtImage(v: VerifyRun, local: LocalDockerfile): Promise<Subject | number> {
  const { args, cwd, err } = v;
  const tag = uniqueName("audit-image-verify").toLowerCase() + ":latest";
  v.progress(`building ${path.relative(cwd, local.dockerfile) || local.dockerfile} as ${tag}`);
  const b = await buildImage(v.docker, {
    dockerfile: local.dockerfile, context: local.context, tag, keep: args.keep,
    ...(args.target ? { target: args.target } : {}), buildArgs: args.buildArgs,
  });
  if (!b.ok) {
    err(`docker build failed (${b.builder}):\n${b.error}`);
    const predictedError = local.result.diagnostics.some((d) => d.severity === "error");
    err(predictedError ? "the analysis reported an error-level diagnostic too" : "the analysis did not predict a build failure");
    return 1;
  }
  return { image: tag, built: { tag, seconds: b.seconds, builder: b.builder, notes: b.notes }, notes: [...b.notes], result: local.result, config: local.config };
}

/** Run the image, stop it, compare with the prediction and write the report; 0 when they agree, else 1. */
async function observeAndCompare(v: VerifyRun, version: string, s: Subject, existing?: string): Promise<number> {
  const { args, docker, io } = v;
  const { image, built } = s;
  v.progress(`running ${existing ? `the container Compose created for ${image}` : image} (settle up to ${args.settleMs} ms, then docker stop -t ${args.stopTimeout})`);
  const obs = await runAndObserve(docker, image, {
    stopTimeout: args.stopTimeout, settleMs: args.settleMs, env: args.env, trace: args.trace,
    onStop: () => v.progress(`stopping (docker stop -t ${args.stopTimeout})`),
    ...(existing ? { existing: true, name: existing } : {}),
  });
  if (built && !args.keep) await removeImage(docker, built.tag);
  if (built && args.keep) forgetImage(built.tag);

  const r = s.result;
  const exp: Expectation = {
    lifecycle: r.lifecycle.state,
    pid1: r.processTree?.argv ?? null,
    tree: toShape(r.processTree),
    outcome: r.stop.outcome,
    exitCode: r.stop.exitCode,
    stopSignal: r.stopSignal,
    receivers: r.stop.deliveries.filter((d) => d.receives).map((d) => d.argv0),
    receiversIgnoring: r.stop.deliveries.filter((d) => d.receives && d.action === "ignore").map((d) => d.argv0),
    readers: r.stop.deliveries.filter((d) => !d.receives && d.action === "ends").map((d) => d.argv0),
  };
  const cmp = compare(exp, obs);
  const allNotes = [...s.notes, ...cmp.notes, ...obs.notes];
  if (r.scenarios.length > 1 && !cmp.agrees) {
    const pre = r.headline?.preconditions.map((x) => x.text).join("; ");
    allNotes.push(`the prediction compared is the headline of ${r.scenarios.length} scenarios (${r.scenarios[0]!.condition}); the container ran with ${Object.keys(args.env).length ? `only ${Object.keys(args.env).join(", ")} set by --env` : "no --env"}${pre ? `, and the headline's preconditions say: ${pre}` : ""}`);
  }
  const verification: Verification = {
    image: built && !args.keep ? `${args.path ?? "Dockerfile"} (built as ${built.tag}, removed)` : image,
    engine: { version },
    observed: {
      pid1: obs.pid1, tree: jsonTree(obs.tree), stop: obs.stop, zombies: obs.zombies, tracer: obs.tracer, logsCut: obs.logsCut,
      timeline: obs.timeline ? { pid1ExitAt: obs.timeline.pid1ExitAt, outcome: obs.timeline.outcome, reason: obs.timeline.reason, receivers: obs.timeline.receivers, processes: obs.timeline.processes, notes: obs.timeline.notes } : null,
    },
    agreement: {
      pid1: cmp.agreement.pid1, tree: cmp.agreement.tree, stop: cmp.agreement.stop, exitCode: cmp.agreement.exitCode,
      ...(cmp.agreement.receivers !== undefined ? { receivers: cmp.agreement.receivers } : {}),
    },
    agrees: cmp.agrees,
    notes: allNotes,
  };
  if (args.format === "json") {
    const report: Report = emptyReport(s.config);
    report.results.push({ ...r, verification });
    io.stdout.write(JSON.stringify(report, null, 2) + "\n");
  } else {
    io.stdout.write(formatVerification(r, obs, cmp, { version, image, built, stopTimeout: args.stopTimeout, notes: allNotes, keep: args.keep, config: s.config }));
  }
  return cmp.agrees ? 0 : 1;
}

/**
 * `verify compose.yaml --service NAME`: the service as audit-image reads the Compose file, then as Compose
 * creates it (`up --no-start --build --no-deps`, in a project of its own), started, observed and stopped on
 * the engine like any verified container. The project (its containers, network and built images) is removed
 * afterwards (`down --rmi local`).
 */
async function verifyCompose(v: VerifyRun, abs: string, text: string): Promise<number> {
  const { args, cwd, err, docker, io } = v;
  const core = await import("../audit.js");
  const { auditManifest } = await import("../deploy/manifest.js");
  // The config as the audit reads it: --config, --no-config, or the one found from the Compose file's directory.
  let resolved: ReturnType<typeof resolveSettings>;
  try {
    resolved = resolveSettings({
      cwd, stopTimeout: args.stopTimeout, buildArgs: args.buildArgs, env: args.env,
      config: args.noConfig ? false : args.config,
      ...(args.config === undefined && !args.noConfig ? { configFrom: path.dirname(abs) } : {}),
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  const { settings } = resolved;
  const reader = sourceReader(cwd);
  const file = path.relative(cwd, abs) || abs;
  const outcomes = await auditManifest(core, { file, abs, text, kind: "compose" }, settings, reader, args.service);
  const results = outcomes.flatMap((o) => (o.result ? [o.result] : []));
  const errors = outcomes.flatMap((o) => o.errors);
  if (errors.length && !results.length) {
    err(errors.map((e) => `${e.file}${e.line ? `:${e.line}` : ""}: ${e.message}`).join("\n"));
    return 2;
  }
  if (results.length !== 1) {
    err(`${file} has ${results.length} services (${results.map((r) => r.deployment?.service).join(", ")}): give one with --service NAME`);
    return 2;
  }
  const result = results[0]!;
  const service = result.deployment!.service!;
  const version = await docker.serverVersion();
  if (!version) {
    err(`no Docker engine at DOCKER_HOST=${io.env.DOCKER_HOST || "unix:///var/run/docker.sock"}; start one with engine/dockerd.sh start`);
    return 2;
  }
  const project = uniqueName("audit-image-verify").toLowerCase().replace(/[^a-z0-9]/g, "");
  // A build: is built as verify builds a Dockerfile (BuildKit when the engine's client has it, heredocs
  // rewritten for an engine without them), and Compose creates the container from that image.
  const { readCompose } = await import("../deploy/compose.js");
  const readRel = (rel: string) => {
    const p = path.resolve(path.dirname(abs), rel);
    return fs.existsSync(p) && fs.statSync(p).isFile() ? fs.readFileSync(p, "utf8") : null;
  };
  const from = readCompose([{ file, text }], { read: readRel }).services.find((s) => s.name === service)?.from;
  installCleanupHandlers(docker, () => io.stderr.write("\naudit-image verify: interrupted; removing the containers and images it created\n"));
  let tag: string | null = null;
  let created: Awaited<ReturnType<typeof createWithCompose>> | null = null;
  try {
    if (from?.kind === "build") {
      const context = path.resolve(path.dirname(abs), from.context);
      tag = `${project}-${service.toLowerCase().replace(/[^a-z0-9_.-]/g, "")}:latest`;
      v.progress(`building ${path.relative(cwd, path.resolve(context, from.dockerfile))} as ${tag}`);
      const b = await buildImage(docker, { dockerfile: path.resolve(context, from.dockerfile), context, tag, buildArgs: { ...from.args, ...args.buildArgs }, ...(from.target ? { target: from.target } : {}) });
      if (!b.ok) {
        err(`docker build failed (${b.builder}):\n${b.error}`);
        return 1;
      }
    }
    v.progress(`creating service ${service} with Compose (project ${project})`);
    created = await createWithCompose(docker, { file: abs, service, project, ...(tag ? { image: tag } : {}) });
    if ("error" in created) {
      err(created.error);
      return 1;
    }
    const image = (await docker.run(["inspect", "-f", "{{.Config.Image}}", created.name])).stdout.trim() || service;
    return await observeAndCompare(v, version, { image, built: null, notes: [`created by ${created.label} from ${file}, service ${service}`], result, config: resolved.configShown }, created.name);
  } finally {
    if (created && !("error" in created)) await created.cleanup();
    if (tag) await removeImage(docker, tag);
    cleanupSync(docker);
  }
}

function analyzeFile(
  file: string,
  context: string,
  cwd: string,
  args: VerifyArgs,
  baseConfigs: Record<string, unknown>,
  display?: string,
): { result: Result; config: string | null; error?: undefined } | { error: string; result?: undefined } {
  const read = readBounded(file);
  if (!read.ok) return { error: `${display ?? file}: ${read.message}` };
  const text = read.text;
  // The config as the audit reads it: --config, --no-config, or the one found from the Dockerfile's directory.
  let resolved: ReturnType<typeof resolveSettings>;
  try {
    resolved = resolveSettings({
      cwd, context, stopTimeout: args.stopTimeout, buildArgs: args.buildArgs, env: args.env, baseConfigs,
      ...(args.target ? { target: args.target } : {}),
      config: args.noConfig ? false : args.config,
      ...(args.config === undefined && !args.noConfig && !display ? { configFrom: path.dirname(file) } : {}),
    });
  } catch (e) {
    if (e instanceof ConfigError) return { error: e.message };
    throw e;
  }
  const { settings } = resolved;
  const reader = sourceReader(cwd);
  const input: Input = { file: display ?? (path.relative(cwd, file) || file), abs: display ? null : file, text };
  reader.seed(input.file, text);
  const o = auditOne(input, settings, reader.read);
  if (!o.result) return { error: o.errors.map((e) => e.message).join("; ") || "the Dockerfile could not be analyzed" };
  if (o.unparseable) return { error: `${input.file}: cannot be parsed: ${o.errors.map((e) => e.message).join("; ")}` };
  return { result: o.result, config: resolved.configShown };
}

/**
 * --image: the config from `docker image inspect`; the scripts that Entrypoint/Cmd name are copied out of
 * the image with `docker create` + `docker cp` (never run) into a temporary context, and a two-line
 * Dockerfile (`FROM IMAGE` + a COPY of each script to where it was) gives the analyzer both.
 */
async function analyzeImage(
  docker: Docker,
  image: string,
  cwd: string,
  args: VerifyArgs,
): Promise<{ result: Result; notes: string[]; config: string | null } | { error: string; code: number }> {
  const ins = await docker.run(["image", "inspect", image]);
  if (ins.code !== 0) return { error: `no such image on the engine: ${image} (${ins.stderr.trim().split("\n")[0]})`, code: 2 };
  let json: unknown;
  try {
    json = JSON.parse(ins.stdout);
  } catch {
    return { error: `docker image inspect ${image}: unreadable output`, code: 2 };
  }
  const cfg = ((Array.isArray(json) ? json[0] : json) as { Config?: { Entrypoint?: string[] | null; Cmd?: string[] | null; Env?: string[] | null } }).Config ?? {};
  const words = [...(cfg.Entrypoint ?? []), ...(cfg.Cmd ?? [])];
  const pathEnv = (cfg.Env ?? []).find((e) => e.startsWith("PATH="))?.slice(5) ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  const candidates: string[] = [];
  for (const w of words.slice(0, 6)) {
    if (!w || w.startsWith("-") || /\s/.test(w)) continue;
    if (w.startsWith("/")) candidates.push(w);
    else if (!w.includes("/")) for (const d of pathEnv.split(":")) if (d.startsWith("/")) candidates.push(`${d}/${w}`);
  }
  const tmp = tempDir("audit-image-inspect-");
  const ctx = path.join(tmp, "context");
  fs.mkdirSync(ctx, { recursive: true });
  const notes: string[] = [];
  const copies: { src: string; dest: string }[] = [];
  const cname = uniqueName("audit-image-verify-cp");
  registerContainer(cname);
  const created = await docker.run(["create", "--name", cname, image, "true"]);
  if (created.code !== 0) {
    await docker.run(["rm", "-f", cname]);
    forgetContainer(cname);
    releaseDir(tmp);
    return { error: `docker create ${image}: ${created.stderr.trim()}`, code: 2 };
  }
  try {
    const seen = new Set<string>();
    for (const c of candidates) {
      if (copies.length >= 8) break;
      const local = path.join(ctx, "files", String(copies.length));
      fs.mkdirSync(path.dirname(local), { recursive: true });
      const cp = await docker.run(["cp", "-L", `${cname}:${c}`, local]);
      if (cp.code !== 0) continue;
      let st: fs.Stats;
      try {
        st = fs.statSync(local);
      } catch {
        continue;
      }
      const base = path.basename(c);
      if (seen.has(base)) {
        fs.rmSync(local, { recursive: true, force: true });
        continue;
      }
      seen.add(base);
      if (!st.isFile() || st.size > 1024 * 1024 || !fs.readFileSync(local).subarray(0, 2).equals(Buffer.from("#!"))) {
        fs.rmSync(local, { recursive: true, force: true });
        continue; // a binary: nothing to analyze
      }
      copies.push({ src: `files/${copies.length}`, dest: c });
      notes.push(`copied ${c} out of the image for the analysis (docker cp, not run)`);
    }
  } finally {
    await docker.run(["rm", "-f", cname]);
    forgetContainer(cname);
  }
  const df = path.join(tmp, "Dockerfile");
  fs.writeFileSync(df, `FROM ${image}\n` + copies.map((c) => `COPY ${JSON.stringify([c.src, c.dest])}\n`).join(""));
  const a = analyzeFile(df, ctx, cwd, { ...args, target: undefined } as VerifyArgs, { [image]: json }, `image:${image}`);
  releaseDir(tmp);
  if (a.error !== undefined) return { error: a.error, code: 2 };
  return { result: a.result, notes, config: a.config };
}

function jsonTree(n: ObsNode | null): unknown {
  return n ? { argv: n.argv, pid: n.pid, ...(n.zombie ? { zombie: true } : {}), children: n.children.map(jsonTree) } : null;
}

// ---------------------------------------------------------------- tty
const mark = (a: boolean | null) => (a === null ? "–" : a ? "✓" : "✗");

function sideBySide(rows: Row[]): string[] {
  const width = Math.min(48, Math.max(12, ...rows.flatMap((r) => r.predicted.split("\n").map((l) => l.length + 2))));
  const out: string[] = [];
  const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n - 1) + "…" : s + " ".repeat(n - s.length));
  out.push(`  ${pad("", 12)}  ${pad("predicted", width)}  observed`);
  for (const r of rows) {
    const p = r.predicted.split("\n");
    const o = r.observed.split("\n");
    const n = Math.max(p.length, o.length);
    for (let i = 0; i < n; i++) {
      const label = i === 0 ? `${mark(r.agrees)} ${r.field}` : "";
      out.push(`  ${pad(label, 12)}  ${pad(p[i] ?? "", width)}  ${o[i] ?? ""}`.trimEnd());
    }
  }
  return out;
}

export function formatVerification(
  r: Result,
  obs: Observation,
  cmp: Comparison,
  ctx: { version: string; image: string; built: { tag: string; seconds: number; builder: string } | null; stopTimeout: number; notes: string[]; keep: boolean; config?: string | null },
): string {
  const L: string[] = [];
  const d = r.deployment;
  L.push(`audit-image verify: ${d?.kind === "compose" ? `service ${d.service} (${d.file}) · ` : ""}${r.file}`);
  if (ctx.built) L.push(`  built   ${ctx.built.tag} in ${ctx.built.seconds.toFixed(1)} s with ${ctx.built.builder}${ctx.keep ? " (kept)" : " (removed afterwards)"}`);
  else L.push(`  image   ${ctx.image}`);
  L.push(d?.kind === "compose" ? `  engine  Docker ${ctx.version}; the container as Compose created it (its settings, its project network)` : `  engine  Docker ${ctx.version}; docker run --network none --memory 256m --pids-limit 256 --cpus 1`);
  L.push(`  stop    docker stop -t ${ctx.stopTimeout} (stop signal ${obs.stop?.signal ?? r.stopSignal ?? "SIGTERM"}); settled after ${(obs.settleMs / 1000).toFixed(1)} s`);
  L.push("");
  append(L, sideBySide(cmp.rows));
  L.push(`  ${"  zombies".padEnd(12)}  ${r.zombiesReaped === null ? "—" : r.zombiesReaped ? "reaped" : "not reaped"}; observed ${obs.zombies} at the stop`);
  L.push("");
  if (obs.timeline) {
    L.push(`  kernel timeline (tracefs; times from the docker stop call):`);
    for (const l of describeTimeline(obs.timeline)) L.push(`    ${l}`);
  } else if (obs.lifecycle === "runs") L.push(`  kernel timeline: none (${obs.tracer}); the stop is classified from PID 1's exit and the stand-ins' logs only`);
  if (obs.standins.length) {
    L.push("");
    L.push("  stand-ins at the stop:");
    for (const s of obs.standins) L.push(`    ${s.name} (pid ${s.pid}): ${s.gotSignal ? `got ${s.gotSignal}` : "no signal"}${s.stopped ? ", finished its shutdown" : s.gotSignal ? ", killed before it finished" : ""}`);
  }
  if (obs.logs.length) {
    L.push("");
    L.push(`  container log${obs.logsCut ? " (cut: its last lines only)" : ""}:`);
    for (const l of obs.logs.slice(0, 40)) L.push(`    ${l}`);
    if (obs.logs.length > 40) L.push(`    … ${obs.logs.length - 40} more lines`);
  }
  if (ctx.notes.length) {
    L.push("");
    for (const n of ctx.notes) L.push(`  note: ${n}`);
  }
  L.push("");
  const decided = Object.values(cmp.agreement).filter((v) => v !== null).length;
  const agreed = Object.values(cmp.agreement).filter((v) => v === true).length;
  L.push(cmp.agrees ? `result: the engine agrees with the prediction (${agreed}/${decided} fields)` : `result: DISAGREES (${decided - agreed} of ${decided} fields): ${cmp.rows.filter((x) => x.agrees === false).map((x) => x.field).join(", ")}`);
  void showArgv;
  if (ctx.config) L.push(`config: ${ctx.config}`);
  // Container logs, names and notes come from the input: their control characters are written out.
  return L.map((l) => visible(l, true)).join("\n") + "\n";
}
