// The `audit-image` command: options → inputs → report → formatted output → exit code.
import fs from "node:fs";
import path from "node:path";
import { HELP, parseArgs, UsageError, type CliArgs } from "./args.js";
import { VERSION } from "./version.js";
import type { FileOutcome } from "./audit.js";
import type { FailOn } from "./config.js";

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
  const err = (msg: string) => io.stderr.write(`audit-image: ${msg}\n`);
  let args: CliArgs;
  try {
    args = parseArgs(argv, io.env);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${e.message}\nTry 'audit-image --help' for more information.`);
      return EXIT.usage;
    }
    throw e;
  }
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

  const core = await import("./audit.js");
  const { ConfigError } = await import("./config.js");
  const { readBounded, readStreamBounded } = await import("./read.js");
  const cwd = path.resolve(io.cwd);
  const warn = (m: string) => {
    if (!args.quiet) io.stderr.write(`audit-image: warning: ${m}\n`);
  };

  // --base-config IMAGE=FILE
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

  let resolved: ReturnType<typeof core.resolveSettings>;
  try {
    resolved = core.resolveSettings(
      {
        cwd,
        ...(args.target !== undefined ? { target: args.target } : {}),
        buildArgs: args.buildArgs,
        ...(args.context !== undefined ? { context: args.context } : {}),
        ...(args.stopTimeout !== undefined ? { stopTimeout: args.stopTimeout } : {}),
        ...(args.platform !== undefined ? { platform: args.platform } : {}),
        baseConfigs,
        config: args.noConfig ? false : args.config,
        onWarning: warn,
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
  if (args.context !== undefined) {
    try {
      if (!fs.statSync(settings.context!).isDirectory()) throw new Error();
    } catch {
      err(`--context ${args.context}: not a directory`);
      return EXIT.usage;
    }
  }
  const failOn = args.failOn ?? config.failOn ?? "error";
  const platform = args.platform ?? config.platform ?? "docker";

  // Inputs
  const report = core.emptyReport();
  const reader = core.sourceReader(cwd);
  const paths = args.paths.length ? args.paths : ["Dockerfile"];
  const missing = args.paths.length ? undefined : "no Dockerfile in the working directory (give a PATH)";
  type Todo = { file: string; abs: string } | { file: "<stdin>"; stdin: true };
  const todo: Todo[] = [];
  for (const p of paths) {
    if (p === "-") todo.push({ file: "<stdin>", stdin: true });
    else todo.push(...core.dockerfilesAt(path.resolve(cwd, p), cwd, report.errors, missing));
  }

  // JSON: each result is serialized as soon as it is made (see format/json-stream.ts).
  const toJson = args.format === "json" ? (await import("./format/json-stream.js")).resultJson : null;
  const serialized: string[] = [];
  let worst = 0; // the highest severity rank among the findings, for the exit code
  const progress = io.stderr.isTTY && !args.quiet && todo.length >= 10;
  let n = 0;
  let unparseable = false;
  for (const t of todo) {
    n++;
    if (progress) io.stderr.write(`\r\x1b[2K[${n}/${todo.length}] ${t.file.length > 60 ? "…" + t.file.slice(-59) : t.file}`);
    let o: FileOutcome;
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
    report.errors.push(...o.errors);
    if (o.unparseable) unparseable = true;
  }
  if (progress) io.stderr.write("\r\x1b[2K");

  // Output
  const toStdout = args.output === undefined || args.output === "-";
  const color =
    args.format === "tty" && toStdout && args.color !== false && !("NO_COLOR" in io.env && io.env.NO_COLOR !== "") && (args.color === true || !!io.stdout.isTTY);
  // Every format is a sequence of chunks; JSON is streamed, so a large batch never becomes one string.
  let chunks: Iterable<string>;
  switch (args.format) {
    case "json":
      chunks = (await import("./format/json-stream.js")).jsonChunks(report, serialized);
      break;
    case "sarif":
      chunks = [JSON.stringify((await import("./format/sarif.js")).toSarif(report, reader.read), null, 2) + "\n"];
      break;
    case "github":
      chunks = [(await import("./format/github.js")).toGithub(report)];
      break;
    default:
      chunks = [(await import("./format/tty.js")).formatTty(report, { color, width: 80, quiet: args.quiet, platform, readSource: reader.read })];
  }
  if (toStdout) for (const c of chunks) io.stdout.write(c);
  else {
    try {
      const fd = fs.openSync(path.resolve(cwd, args.output!), "w");
      try {
        for (const c of chunks) fs.writeSync(fd, c);
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      err(`--output ${args.output}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return EXIT.usage;
    }
  }
  // The tty report shows its errors itself; the other formats are data, so errors also go to stderr.
  if (args.format !== "tty" && !args.quiet) for (const e of report.errors) err(`${e.file}${e.line ? `:${e.line}` : ""}: ${e.message}`);

  return exitCode(report.errors, unparseable, worst, failOn);
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
