// Turning a process into a program, as execve does: a file of the build context (ELF, #! script), a
// script of the base image (as the base-image catalog describes it), or a program of the catalog.
import type { BaseImageFile, PathResolution } from "@audit-image/dockerfile";
import { bare } from "../names.js";
import { findProgram, programByName } from "../programs.js";
import type { ShellKind } from "../syntax/parse.js";
import type { SourceLoc } from "../types.js";
import { type Word, known, lit, show } from "../values.js";
import { type Path, type Proc, type World, noteTruncated, sh, stepOver } from "../world.js";
import { program } from "./roles.js";

export interface BecomeOpts {
  fromDocker?: boolean;
  /** How many #! interpreters were followed to get here (the kernel gives up after 4: ELOOP). */
  interpDepth?: number;
  /** The shell kind that runs a script without #! (a shell falls back to running it itself). */
  fallbackShell?: ShellKind;
  /** argv[0] names a BusyBox applet (`busybox su …`): BusyBox runs its own applet, whatever the PATH holds. */
  applet?: boolean;
}

const SHELL_BASENAMES: Record<string, ShellKind | "sh"> = {
  sh: "sh", dash: "dash", bash: "bash", ash: "busybox", zsh: "zsh", mksh: "mksh", lksh: "mksh", ksh: "mksh",
};

export function shellKindFor(w: World, name: string): ShellKind | null {
  const k = SHELL_BASENAMES[name];
  if (!k) return null;
  if (k !== "sh") return k;
  return w.binSh === "dash" || w.binSh === "bash" || w.binSh === "busybox" ? w.binSh : "sh-unknown";
}


export function resolveIn(w: World, p: Path, word: string, proc?: Proc): PathResolution {
  const s = p.stack.length ? sh(p) : null;
  const pathVar = s?.vars.get("PATH");
  const path = pathVar ? known(pathVar) ?? undefined : undefined;
  // A relative name with a slash is looked up from the working directory: the one a `cd` chose, if any.
  const cwd = (proc ?? s?.proc)?.cwd;
  if (word.includes("/") && !word.startsWith("/") && cwd === null)
    return { kind: "unknown", imagePath: null, reason: `${word} is relative to a working directory only known at run time (an earlier cd)` };
  return w.model.resolve(word, { ...(path ? { path } : {}), ...(cwd ? { cwd } : {}) });
}

/**
 * The script operand of `sh FILE`: every shell opens FILE from the working directory; only bash, when a
 * name without a slash is not there, goes on to search PATH (measured: shells.ns.test.ts, "a script
 * operand"). The operand is not looked up on PATH first, as a command name is.
 */
export function resolveScriptOperand(w: World, p: Path, word: string, kind: ShellKind, proc: Proc): PathResolution {
  if (word.includes("/")) return resolveIn(w, p, word, proc);
  const here = resolveIn(w, p, "./" + word, proc);
  if (here.kind === "context" || (here.kind === "base-image" && here.certain) || kind !== "bash") return here;
  const onPath = resolveIn(w, p, word, proc);
  return onPath.kind === "not-found" ? here : onPath;
}

/**
 * Makes `proc` run `argv` (an exec, or the program of a new child). Returns the paths after that: the
 * process may now be a program (halted in its steady state), or a shell that ran to its end.
 */
export function become(w: World, p: Path, proc: Proc, argv: Word[], source: SourceLoc | null, opts: BecomeOpts = {}): Path[] {
  // Programs that start programs (an init whose child's #! names the init again) can nest without end.
  if (w.becomeDepth >= 64) {
    noteTruncated(w, "programs start programs more than 64 levels deep", p, source?.line ?? 0);
    proc.argv = argv.map(show);
    proc.longRunning = null;
    proc.notes.push("analysis cut short: programs nest too deeply");
    return [p];
  }
  w.becomeDepth++;
  try {
    return becomeInner(w, p, proc, argv, source, opts);
  } finally {
    w.becomeDepth--;
  }
}

function becomeInner(w: World, p: Path, proc: Proc, argv: Word[], source: SourceLoc | null, opts: BecomeOpts = {}): Path[] {
  const over = stepOver(w);
  if (over) {
    noteTruncated(w, over, p, source?.line ?? 0);
    proc.argv = argv.map(show);
    proc.notes.push("analysis cut short here");
    return [p];
  }
  const argv0w = argv[0];
  proc.shell = null;
  if (!argv0w) {
    proc.alive = false;
    return [p];
  }
  let argv0 = known(argv0w);
  const found = argv0 === null && argv0w.length === 1 && typeof argv0w[0] !== "string" ? argv0w[0]!.cmd : undefined;
  if (found) {
    // `exec "$(command -v nginx)"`: the directory is not known, but the program is the one the PATH gives.
    proc.notes.push(`${show(argv0w)} is the path of ${found} on the PATH (which directory is only known at run time)`);
    argv0 = found;
    argv = [lit(found), ...argv.slice(1)];
  }
  proc.argv = argv.map(show);
  if (argv0 === null) {
    // not the program that exec'd it (a wrapper's catalog entry), and not a missing program: unknown
    proc.program = null;
    proc.role = "unknown";
    proc.longRunning = null;
    proc.notes.push(`the program name ${show(argv0w)} is only known at run time`);
    return [p];
  }
  const args = argv.slice(1);
  const name = bare(argv0);
  if (opts.applet) return program(w, p, proc, argv0, name, args, source, true);
  const res = resolveIn(w, p, argv0);

  if (res.kind === "context") {
    const out = execContextFile(w, p, proc, res, argv0, name, args, source, opts);
    if (out) return out;
  }
  if (res.kind === "not-found") {
    if (res.removedBy) proc.notes.push(`${argv0}: ${res.removedBy}, which provided it`);
    return notFound(w, p, proc, argv0, name, source, opts);
  }
  if (res.kind === "base-image" && res.file) {
    const out = execBaseImageScript(w, p, proc, res.file, argv0, args, source, opts);
    if (out) return out;
  }
  // A binary of unknown name that `go build` made in an earlier stage: the Go runtime's behaviour (catalog go-binary).
  const built = res.kind === "unknown" || res.kind === "base-image" ? res.builtBy : undefined;
  // What a golang stage's RUN made (`make`), run as an ENTRYPOINT with no CMD and no arguments, is often a
  // command-line tool (`docker run img ARGS…`) that prints its usage and exits: left unknown. A build the
  // Dockerfile names (`go build -o`) is taken for a program to run as it is.
  const cmdless = built?.how === "golang-stage" && proc === p.root && !!w.model.command?.entrypoint && !w.model.command.cmd && args.length === 0;
  if (built?.tool === "go" && cmdless) proc.notes.push(`${argv0} is built with the Go toolchain in stage ${built.stageName ?? built.stage}; run as the ENTRYPOINT with no CMD and no arguments, it may be a command-line tool that exits`);
  if (built?.tool === "go" && !findProgram(name) && !cmdless) {
    proc.notes.push(`${argv0} is built with the Go toolchain in stage ${built.stageName ?? built.stage}: a Go program, taken as the Go runtime handles signals (whether the program asks for TERM with signal.Notify is not read)`);
    return program(w, p, proc, argv0, name, args, source, false, programByName("go-binary"));
  }
  const origin = originNote(argv0, res);
  if (origin) proc.notes.push(origin);
  return program(w, p, proc, argv0, name, args, source);
}

/** Where a program whose text is not read comes from, when the build put it there: a package, a download, a tarball. */
function originNote(argv0: string, res: PathResolution): string | null {
  if (res.kind === "base-image" && res.package)
    return `${argv0} comes from the package ${res.package.name} (installed at Dockerfile line ${res.package.line})`;
  if (res.kind === "unknown" && res.imagePath && !/is not in the catalog/.test(res.reason))
    return `${argv0} is from outside the build context: ${res.reason}`;
  return null;
}

/**
 * A file of the build context, as the kernel's execve reads it: an ELF binary, a #! script (the
 * interpreter runs it), or neither (Docker's exec fails; a shell runs it itself). Null when its content
 * is not known: it is then looked up as a program.
 */
function execContextFile(
  w: World, p: Path, proc: Proc, res: Extract<PathResolution, { kind: "context" }>, argv0: string, name: string, args: Word[],
  source: SourceLoc | null, opts: BecomeOpts,
): Path[] | null {
  const content = res.content();
  if (res.executable === false) {
    const msg = `${argv0} is not executable (mode ${res.file.mode?.toString(8) ?? "?"}): exec fails with "permission denied"`;
    w.issues.push({ kind: "not-executable", file: w.model.file, line: res.file.line, program: argv0, path: res.imagePath, mode: res.file.mode ?? null, copyLine: res.file.line });
    return fail(p, proc, msg, opts);
  }
  if (content === null) {
    // A file of the context that is there but could not be read (over the size bound, or unreadable):
    // what it runs is not known, and the report says so instead of passing it silently.
    if (res.file.source.kind === "context") noteTruncated(w, `${res.imagePath} (${res.file.source.path} in the build context) could not be read (larger than the bound on files read, or unreadable): what it runs is not known`, p, source?.line ?? 0);
    return null;
  }
  if (content.startsWith("\x7fELF")) return program(w, p, proc, argv0, name, args, source);
  const firstLine = content.split("\n", 1)[0] ?? "";
  if (firstLine.startsWith("#!")) return execShebang(w, p, proc, res, firstLine, argv0, args, source, opts);
  if (opts.fromDocker) {
    const msg = `${res.imagePath} has no #! line: Docker's exec fails with "exec format error"`;
    w.issues.push({ kind: "no-shebang", file: res.imagePath, line: 1, path: res.imagePath });
    return fail(p, proc, msg, opts);
  }
  // A shell runs a script without #! itself.
  const kind = opts.fallbackShell ?? shellKindFor(w, "sh") ?? "sh-unknown";
  const scriptArg = argv0.includes("/") ? argv0 : res.imagePath;
  return w.shell.runScriptFile(w, p, proc, kind, [lit(kind === "busybox" ? "sh" : kind), lit(scriptArg), ...args], scriptArg, args, source);
}

/** `#!interp [arg]`: the kernel runs `interp [arg] path args…`. */
function execShebang(
  w: World, p: Path, proc: Proc, res: Extract<PathResolution, { kind: "context" }>, firstLine: string, argv0: string, args: Word[],
  source: SourceLoc | null, opts: BecomeOpts,
): Path[] {
  if (firstLine.endsWith("\r")) {
    const msg = `the #! line of ${res.imagePath} ends in a carriage return (CRLF line endings): the kernel looks for "${firstLine.slice(2).trim()}\\r", which does not exist`;
    w.issues.push({ kind: "crlf-shebang", file: res.imagePath, line: 1, path: res.imagePath, interpreter: firstLine.slice(2).trim(), contextPath: res.file.source.kind === "context" ? res.file.source.path : null });
    return fail(p, proc, msg, opts);
  }
  const parts = firstLine.slice(2).trim().split(/[ \t]+/);
  const interp = parts[0] ?? "";
  const interpArg = parts.slice(1).join(" ");
  const ir = resolveIn(w, p, interp);
  if (ir.kind === "not-found") {
    const msg = `the interpreter ${interp} of ${res.imagePath} does not exist in the image: exec fails with "no such file or directory"`;
    w.issues.push({ kind: "missing-interpreter", file: res.imagePath, line: 1, path: res.imagePath, interpreter: interp, reason: "not-found" });
    return fail(p, proc, msg, opts);
  }
  const depth = (opts.interpDepth ?? 0) + 1;
  if (depth > 4) {
    // Linux follows at most 4 levels of #! interpreters (BINPRM_MAX_RECURSION), then execve fails.
    const msg = `${res.imagePath}'s #! interpreter chain is longer than the kernel follows: exec fails with "too many levels of symbolic links" (ELOOP)`;
    w.issues.push({ kind: "missing-interpreter", file: res.imagePath, line: 1, path: res.imagePath, interpreter: interp, reason: "chain-too-long" });
    return fail(p, proc, msg, opts);
  }
  // execvp found the file on the PATH: the kernel hands the interpreter the path it found, not the name.
  const scriptArg = argv0.includes("/") ? argv0 : res.imagePath;
  const newArgv = [lit(interp), ...(interpArg ? [lit(interpArg)] : []), lit(scriptArg), ...args];
  return become(w, p, proc, newArgv, source, { ...opts, interpDepth: depth });
}

/** Nothing at that path, or on the PATH: exec fails. */
function notFound(w: World, p: Path, proc: Proc, argv0: string, name: string, source: SourceLoc | null, opts: BecomeOpts): Path[] {
  const msg = argv0.includes("/")
    ? `${argv0} does not exist in the image: exec fails with "no such file or directory"`
    : SHELL_BASENAMES[name]
      ? `${argv0} is not in the image (no ${name} on the PATH): exec fails with "executable file not found"`
      : `${argv0} is not in the image (not found on the PATH): exec fails with "executable file not found"`;
  w.issues.push({ kind: "missing-program", file: source?.file ?? w.model.file, line: source?.line ?? 0, program: argv0, lookup: argv0.includes("/") ? "path" : "PATH", shell: !!SHELL_BASENAMES[name] });
  return fail(p, proc, msg, opts);
}

/**
 * A script the base image provides, as the base-image catalog describes it: one that ends by exec'ing a
 * known command (httpd-foreground), or an entrypoint that execs its arguments (docker-entrypoint.sh).
 * Null when the catalog says nothing that applies: it is then looked up as a program.
 */
function execBaseImageScript(
  w: World, p: Path, proc: Proc, f: BaseImageFile, argv0: string, args: Word[], source: SourceLoc | null, opts: BecomeOpts,
): Path[] | null {
  if (f.execs?.length) {
    proc.notes.push(`${argv0} (from the base image) execs ${f.execs.join(" ")}${f.passesArgs ? " with its arguments" : ""}`);
    return become(w, p, proc, [...f.execs.map(lit), ...(f.passesArgs ? args : [])], source, opts);
  }
  if (f.kind !== "entrypoint-script") return null;
  if (f.execsArgs && args.length) {
    proc.notes.push(`${argv0} (from the base image) ${f.notes ?? "execs its arguments"}`);
    let target = args;
    const pre = f.prepends ? prependReason(w, p, proc, f.prepends, args[0]!) : null;
    if (pre) {
      target = [lit(f.prepends!.program), ...args];
      proc.notes.push(`it puts ${f.prepends!.program} before its arguments: ${pre}`);
    }
    // Unless the command already switches the user itself (a wrapper that names the user: gosu, su-exec…).
    if (f.execsVia && target.length && !findProgram(known(target[0]!) ?? "")?.wrapper?.user) {
      proc.notes.push(`it drops privileges with ${f.execsVia} first`);
    }
    return become(w, p, proc, target, source, opts);
  }
  if (f.execsArgs && !args.length) {
    proc.notes.push(`${argv0} (from the base image) was given no arguments`);
  }
  return null;
}

/**
 * Why a base image's entrypoint script puts its program before its arguments (catalog `prepends`: the
 * official images' `if [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi`), or null when it does not.
 * A first argument only known at run time is left as it is, with a note.
 */
function prependReason(w: World, p: Path, proc: Proc, pre: NonNullable<BaseImageFile["prepends"]>, first: Word): string | null {
  const a = known(first);
  if (a === null) {
    proc.notes.push(`whether the entrypoint puts ${pre.program} first depends on its first argument, known only at run time`);
    return null;
  }
  if (pre.ifOption && a.startsWith("-")) return `${a} is an option`;
  const suffix = pre.ifSuffix?.find((x) => a.endsWith(x));
  if (suffix) return `${a} ends in ${suffix}`;
  if (pre.ifNotCommand) {
    // [ -z "$(command -v "$1")" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }: the file test is relative to WORKDIR
    if (resolveIn(w, p, a).kind === "not-found") return `${a} is not a command in the image`;
    const f = w.model.resolve(a.includes("/") ? a : "./" + a);
    if (f.kind === "context" && f.file.type === "file" && f.executable === false) return `${a} is a file that is not executable`;
  }
  return null;
}

export function fail(p: Path, proc: Proc, msg: string, opts: BecomeOpts): Path[] {
  proc.alive = false;
  proc.notes.push(msg);
  if (opts.fromDocker) p.failed = msg;
  p.status = 126;
  return [p];
}
