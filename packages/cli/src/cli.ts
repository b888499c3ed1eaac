// The `audit-image` command: options → inputs → report → formatted output → exit code.
import { append } from "./append.js";
import { visible } from "./visible.js";
import fs from "node:fs";
import path from "node:path";
import { HELP, parseArgs, UsageError, type CliArgs } from "./args.js";
import { VERSION } from "./version.js";
import type { FileOutcome, Settings, SourceReader } from "./audit.js";
import type { Report } from "./report.js";
import type { FailOn } from "./config.js";
import { hasRunFlags, runDeployment } from "./deploy/run-flags.js";

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const EXIT = { ok: 0, findings: 1, usage: 2, notFound: 3, unparseable: 4 } as const;

const SEVERITY_RANK = { info: 1, warning: 2, error: 3 } as const;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  // A message is one line, its control characters written out (visible.ts): a file name or a rule id with
  // a newline or an escape sequence must not start a line of its own (a GitHub workflow command) or
  // drive the terminal.
  const err = (msg: string) => io.stderr.write(`audit-image: ${visible(msg, true)}\n`);
  let args: CliArgs;
  try {
    args = parseArgs(argv, io.env);
  } catch (e) {
    if (e instanceof UsageError) {
      err(e.message);
      io.stderr.write("Try 'audit-image --help' for more information.\n");
      return EXIT.usage;
    }
    throw e;
  }
  const answered = await answerAtOnce(args, io, err);
  if (answered !== null) return answered;

  const core = await import("./audit.js");
  const cwd = path.resolve(io.cwd);
  const ctx: RunContext = { args, io, cwd, core, err };
  const resolved = await resolveRun(ctx);
  if (typeof resolved === "number") return resolved;

  const report = core.emptyReport(resolved.configShown);
  const reader = core.sourceReader(cwd);
  const todo = args.scripts ? dockerfilesRunning(ctx, resolved.settings, reader) : collectInputs(ctx, report);
  // -o naming an input (a Dockerfile, the config, a --base-config file) is refused before any work.
  const inputs = new Set<string>();
  for (const t of todo) if ("abs" in t) inputs.add(t.abs);
  if (resolved.configFile) inputs.add(resolved.configFile);
  for (const b of args.baseConfigs) inputs.add(path.resolve(cwd, b.file));
  if (outputIsInput(ctx, inputs)) return EXIT.usage;
  const audited = await auditAll(ctx, todo, resolved.settings, reader, report);
  // … and so is -o naming a file of a build context that the analysis read (a script).
  if (outputIsInput(ctx, resolved.settings.readFiles ?? new Set())) return EXIT.usage;
  const failed = await writeReport(ctx, report, audited.serialized, reader, resolved.platform);
  if (failed !== null) return failed;
  return exitCode(report.errors, audited.unparseable, audited.worst, resolved.failOn);
}

/** What the steps of a run share. */
interface RunContext {
  args: CliArgs;
  io: Io;
  cwd: string;
  core: typeof import("./audit.js");
  err: (msg: string) => void;
}

/** A Dockerfile to audit: a file found on disk, or standard input. */
type Todo = import("./audit.js").Target | { file: "<stdin>"; stdin: true };

/** --help, --version, --print-schema, and option combinations that are refused before any work: the exit
 * code, or null to go on. */
async function answerAtOnce(args: CliArgs, io: Io, err: RunContext["err"]): Promise<number | null> {
  if (args.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (args.version) {
    io.stdout.write(`audit-image ${VERSION}\n`);
    return EXIT.ok;
  }
  if (args.printSchema) {
    const { reportSchemaText } = await import("./embedded.js");
    io.stdout.write(reportSchemaText().replace(/\n?$/, "\n"));
    return EXIT.ok;
  }
  if (args.config && args.noConfig) {
    err("--config and --no-config cannot be used together");
    return EXIT.usage;
  }
  if (args.paths.filter((p) => p === "-").length > 1) {
    err("standard input (-) can be given only once");
    return EXIT.usage;
  }
  return null;
}

/** The settings of the audit from the options, the base configs and the config file; the exit code when
 * one of them is unusable. */
async function resolveRun(ctx: RunContext): Promise<{ settings: Settings; failOn: FailOn; platform: string; configShown: string | null; configFile: string | null } | number> {
  const { args, cwd, core, err } = ctx;
  const { ConfigError } = await import("./config.js");
  const warn = (m: string) => {
    if (!args.quiet) ctx.io.stderr.write(`audit-image: warning: ${visible(m, true)}\n`);
  };
  for (const k of args.envMissing) warn(`--env ${k}: ${k} is not set here, so docker run -e ${k} would leave it unset in the container; the analysis takes it as empty`);
  const baseConfigs = await readBaseConfigs(ctx);
  if (typeof baseConfigs === "number") return baseConfigs;

  // The config file is searched from what is audited (as hadolint and ESLint do), not from the working
  // directory: a .audit-image.json in a parent of where the command runs does not apply to another
  // repository. PATHs whose nearest config files differ are audited separately.
  let configFrom: string | undefined;
  if (!args.noConfig && args.config === undefined) {
    const { findConfig } = await import("./config.js");
    const dirs = (args.paths.length ? args.paths : ["."]).map((p) => (p === "-" ? cwd : core.configDirOf(path.resolve(cwd, p))));
    const found = [...new Set(dirs.map((d) => findConfig(d)))];
    if (found.length > 1) {
      err(`the PATHs have different config files (${found.map((f) => (f ? path.relative(cwd, f) || f : "none")).join(", ")}): audit them separately, or give --config or --no-config`);
      return EXIT.usage;
    }
    configFrom = dirs[0];
  }
  let resolved: ReturnType<typeof core.resolveSettings>;
  try {
    resolved = core.resolveSettings(
      {
        cwd,
        ...(args.target !== undefined ? { target: args.target } : {}),
        buildArgs: args.buildArgs,
        env: args.env,
        ...(args.context !== undefined ? { context: args.context } : {}),
        ...(args.stopTimeout !== undefined ? { stopTimeout: args.stopTimeout } : {}),
        ...(args.platform !== undefined ? { platform: args.platform } : {}),
        baseConfigs,
        config: args.noConfig ? false : args.config,
        ...(configFrom !== undefined ? { configFrom } : {}),
        onWarning: warn,
        ...(hasRunFlags(args.run) ? { deployment: runDeployment(args.run) } : {}),
      },
    );
  } catch (e) {
    if (e instanceof ConfigError) {
      err(e.message);
      return EXIT.usage;
    }
    throw e;
  }
  const { settings, config } = resolved;
  settings.readFiles = new Set();
  if (args.context !== undefined) {
    try {
      if (!fs.statSync(settings.context!).isDirectory()) throw new Error();
    } catch {
      err(`--context ${args.context}: not a directory`);
      return EXIT.usage;
    }
  }
  return { settings, failOn: args.failOn ?? config.failOn ?? "error", platform: args.platform ?? config.platform ?? "docker", configShown: resolved.configShown, configFile: resolved.configFile };
}

/** --base-config IMAGE=FILE: each FILE parsed as JSON; the exit code when one cannot be read or parsed. */
async function readBaseConfigs(ctx: RunContext): Promise<Record<string, unknown> | number> {
  const { args, cwd, err } = ctx;
  const { readBounded } = await import("./read.js");
  const baseConfigs: Record<string, unknown> = {};
  for (const { image, file } of args.baseConfigs) {
    const r = readBounded(path.resolve(cwd, file), 16 * 1024 * 1024);
    if (!r.ok) {
      err(`--base-config ${image}=${file}: ${r.message}`);
      return EXIT.usage;
    }
    try {
      baseConfigs[image] = JSON.parse(r.text);
    } catch (e) {
      err(`--base-config ${image}=${file}: invalid JSON (${(e as Error).message}); give the output of \`docker image inspect ${image}\``);
      return EXIT.usage;
    }
  }
  return baseConfigs;
}

/** The Dockerfiles that the PATHs name (./Dockerfile, else ./Containerfile, when none is given); what is not found goes to report.errors. */
function collectInputs(ctx: RunContext, report: Report): Todo[] {
  const { args, cwd, core } = ctx;
  const todo: Todo[] = [];
  if (args.composeFiles.length) {
    // docker compose -f a -f b: one project, the later files over the first.
    const [first, ...rest] = args.composeFiles.map((f) => ({ file: path.relative(cwd, path.resolve(cwd, f)) || f, abs: path.resolve(cwd, f) }));
    todo.push({ ...first!, kind: "compose", ...(rest.length ? { merge: rest } : {}) });
    if (!args.paths.length) return todo;
  }
  // Without a PATH: ./Dockerfile, or ./Containerfile when there is no Dockerfile (Podman's name).
  const paths = args.paths.length ? args.paths : [!fs.existsSync(path.join(cwd, "Dockerfile")) && fs.existsSync(path.join(cwd, "Containerfile")) ? "Containerfile" : "Dockerfile"];
  const missing = args.paths.length ? undefined : "no Dockerfile in the working directory (give a PATH)";
  for (const p of paths) {
    if (p === "-") todo.push({ file: "<stdin>", stdin: true });
    else append(todo, core.dockerfilesAt(path.resolve(cwd, p), cwd, report.errors, missing));
  }
  return todo;
}

/**
 * --scripts: the Dockerfiles under the working directory whose audit reads one of the PATHs from its build
 * context (the entrypoint script, what it sources or runs), so that a change to a script audits the images it
 * starts. None is not an error: the scripts may belong to no image.
 */
function dockerfilesRunning(ctx: RunContext, settings: Settings, reader: SourceReader): Todo[] {
  const { args, cwd, core } = ctx;
  const scripts = new Set(args.paths.filter((p) => p !== "-").map((p) => path.resolve(cwd, p)));
  const found: Todo[] = [];
  let hit = false;
  const recording: Settings = { ...settings, onContextRead: (abs) => void (hit ||= scripts.has(abs)) };
  for (const t of core.dockerfilesAt(cwd, cwd, [])) {
    hit = false;
    core.auditPath(t, recording, reader);
    if (hit) found.push(t);
  }
  if (!found.length && !args.quiet) ctx.io.stderr.write(`audit-image: --scripts: no Dockerfile here runs ${args.paths.join(", ")}\n`);
  return found;
}

/** Audit each input in turn. The results go to `report` (or, for JSON, are serialized at once, see
 * format/json-stream.ts), the errors to report.errors. */
async function auditAll(
  ctx: RunContext,
  todo: readonly Todo[],
  settings: Settings,
  reader: SourceReader,
  report: Report,
): Promise<{ serialized: string[]; worst: number; unparseable: boolean }> {
  const { args, io, core } = ctx;
  const { readStreamBounded } = await import("./read.js");
  const toJson = args.format === "json" ? (await import("./format/json-stream.js")).resultJson : null;
  const serialized: string[] = [];
  let worst = 0; // the highest severity rank among the findings, for the exit code
  const progress = io.stderr.isTTY && !args.quiet && todo.length >= 10;
  let n = 0;
  let unparseable = false;
  for (const t of todo) {
    n++;
    if (progress) io.stderr.write(`\r\x1b[2K[${n}/${todo.length}] ${visible(t.file.length > 60 ? "…" + t.file.slice(-59) : t.file, true)}`);
    let o: FileOutcome;
    if (!("stdin" in t) && t.kind) {
      const r = (await import("./read.js")).readBounded(t.abs);
      if (!r.ok) {
        report.errors.push({ file: t.file, line: null, message: r.message, code: r.code });
        continue;
      }
      const { auditManifest } = await import("./deploy/manifest.js");
      for (const m of await auditManifest(core, { ...t, kind: t.kind, text: r.text }, settings, reader, args.service)) {
        if (m.result) {
          for (const f of m.result.findings) worst = Math.max(worst, SEVERITY_RANK[f.severity]);
          if (toJson) serialized.push(toJson(m.result));
          else report.results.push(m.result);
        }
        report.errors.push(...m.errors);
        if (m.unparseable) unparseable = true;
      }
      continue;
    }
    if ("stdin" in t) {
      if (io.stdin.isTTY && !args.quiet) io.stderr.write("audit-image: reading a Dockerfile from standard input (end with Ctrl-D)\n");
      let text: string;
      try {
        text = await readStreamBounded(io.stdin);
      } catch (e) {
        report.errors.push({ file: t.file, line: null, message: `cannot read standard input (${(e as Error).message})`, code: "unreadable" });
        continue;
      }
      o = core.auditText({ file: t.file, abs: null, text }, settings, reader);
    } else o = core.auditPath(t, settings, reader);
    if (o.result) {
      for (const f of o.result.findings) worst = Math.max(worst, SEVERITY_RANK[f.severity]);
      if (toJson) serialized.push(toJson(o.result));
      else report.results.push(o.result);
    }
    append(report.errors, o.errors);
    if (o.unparseable) unparseable = true;
  }
  if (progress) io.stderr.write("\r\x1b[2K");
  return { serialized, worst, unparseable };
}

/** Whether --output names one of the files (paths, compared by real path): then the error is printed. */
function outputIsInput(ctx: RunContext, files: ReadonlySet<string>): boolean {
  const { args, cwd, err } = ctx;
  if (args.output === undefined || args.output === "-" || files.size === 0) return false;
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return null;
    }
  };
  const out = real(path.resolve(cwd, args.output));
  if (out === null) return false; // a new file is no input
  for (const f of files) {
    if (real(f) === out) {
      err(`--output ${args.output}: this is an input of the audit (${path.relative(cwd, f) || f}); the report would overwrite it`);
      return true;
    }
  }
  return false;
}

/**
 * Writes the chunks to --output. A FIFO is opened without blocking (no reader: an error at once, not a
 * hang) and written as its reader takes the data, giving up after OUTPUT_STALL_MS without progress.
 */
function writeOutput(file: string, chunks: Iterable<string>): void {
  let fifo = false;
  try {
    fifo = fs.statSync(file).isFIFO();
  } catch {
    /* a new file */
  }
  if (!fifo) {
    const fd = fs.openSync(file, "w");
    try {
      for (const c of chunks) fs.writeSync(fd, c);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENXIO") throw Object.assign(new Error("a FIFO that no process reads"), { code: "no reader on the FIFO" });
    throw e;
  }
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  try {
    for (const c of chunks) {
      let buf = Buffer.from(c, "utf8");
      let stalled = 0;
      while (buf.length) {
        try {
          const n = fs.writeSync(fd, buf);
          buf = buf.subarray(n);
          stalled = 0;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
          if ((stalled += 10) > OUTPUT_STALL_MS) throw Object.assign(new Error("the FIFO's reader stopped reading"), { code: "the FIFO's reader stopped reading" });
          Atomics.wait(sleeper, 0, 0, 10);
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}
const OUTPUT_STALL_MS = 10_000;

/** Format the report and write it to stdout or --output; the exit code when --output cannot be written. */
async function writeReport(ctx: RunContext, report: Report, serialized: string[], reader: SourceReader, platform: string): Promise<number | null> {
  const { args, io, cwd, err } = ctx;
  const toStdout = args.output === undefined || args.output === "-";
  const color =
    args.format === "tty" && toStdout && args.color !== false && !("NO_COLOR" in io.env && io.env.NO_COLOR !== "") && (args.color === true || !!io.stdout.isTTY);
  const chunks = await reportChunks(args, report, serialized, reader, { color, platform }, cwd);
  if (toStdout) for (const c of chunks) io.stdout.write(c);
  else {
    try {
      writeOutput(path.resolve(cwd, args.output!), chunks);
    } catch (e) {
      err(`--output ${args.output}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return EXIT.usage;
    }
  }
  // The tty report shows its errors itself; the other formats are data, so errors also go to stderr.
  if (args.format !== "tty" && !args.quiet) for (const e of report.errors) err(`${e.file}${e.line ? `:${e.line}` : ""}: ${e.message}`);
  return null;
}

/** Every format is a sequence of chunks; JSON is streamed, so a large batch never becomes one string. */
async function reportChunks(
  args: CliArgs,
  report: Report,
  serialized: string[],
  reader: SourceReader,
  tty: { color: boolean; platform: string },
  cwd: string,
): Promise<Iterable<string>> {
  switch (args.format) {
    case "json":
      return (await import("./format/json-stream.js")).jsonChunks(report, serialized);
    case "sarif": {
      const { toSarif, repositoryRoot } = await import("./format/sarif.js");
      const root = args.sarifRoot !== undefined ? path.resolve(cwd, args.sarifRoot) : repositoryRoot(cwd);
      return [JSON.stringify(toSarif(report, reader.read, { cwd, root }), null, 2) + "\n"];
    }
    case "github": {
      const { repositoryRoot } = await import("./format/paths.js");
      return [(await import("./format/github.js")).toGithub(report, { cwd, root: repositoryRoot(cwd) })];
    }
    default:
      return [(await import("./format/tty.js")).formatTty(report, { color: tty.color, width: 80, quiet: args.quiet, platform: tty.platform, readSource: reader.read })];
  }
}

/** Errors that make the run fail as a usage error would: the input could not be (wholly) audited. */
const USAGE_ERRORS = new Set(["unreadable", "not-a-file", "no-such-target", "scan-truncated", "internal-error"]);

/** The exit code of a run: 2 > 4 > 3 > 1 > 0 (README, "Exit codes"). `worst` is the highest severity rank found. */
export function exitCode(errors: readonly { code: string }[], unparseable: boolean, worst: number, failOn: FailOn): number {
  const codes = new Set(errors.map((e) => e.code));
  if ([...codes].some((c) => USAGE_ERRORS.has(c))) return EXIT.usage;
  if (unparseable) return EXIT.unparseable;
  if (codes.has("not-found")) return EXIT.notFound;
  if (failOn !== "none" && worst >= SEVERITY_RANK[failOn]) return EXIT.findings;
  return EXIT.ok;
}
