// The abstract interpreter: it runs the entrypoint the way the container would, with the concrete argv
// and Env of the image, but it never executes anything. Commands are looked up in the program catalog;
// scripts of the build context are parsed and interpreted in turn. What is only known at run time stays
// unknown: a condition on it forks the run into paths, each with the condition that selects it.
import { normalizeSignal, wildcard, type BaseImageFile, type DockerfileModel, type PathResolution } from "@audit-image/dockerfile";
import { bare } from "../names.js";
import { daemonizesWith, findProgram, wrapperTarget, wrapperUser, type ProgramEntry } from "../programs.js";
import type { Role, SourceLoc } from "../types.js";
import { nodeType, parseScript, type ShellKind, type ShNode } from "./parse.js";
import { concat, globMatch, isUnknown, known, lit, norm, show, unknown, type Part, type Word } from "./values.js";

// ---------------------------------------------------------------------------------------------------
// Processes

export interface Trap {
  handler: string;
  file: string;
  line: number;
}

export interface ShellRun {
  kind: ShellKind;
  /** foreground: blocked on a foreground child; wait: in the `wait` builtin; loop: an endless loop. */
  state: "foreground" | "wait" | "loop";
  foreground: Proc | null;
  traps: Map<string, Trap>;
  vars: Map<string, Word | null>;
  funcs: Map<string, ShNode>;
  file: string;
  line: number;
}

export interface Proc {
  id: number;
  argv: string[];
  program: ProgramEntry | null;
  role: Role;
  background: boolean;
  source: SourceLoc | null;
  children: Proc[];
  alive: boolean;
  /** null: unknown program, whether it keeps running is not known. */
  longRunning: boolean | null;
  notes: string[];
  /** Set when the process is a shell that reached its steady state. */
  shell: ShellRun | null;
  shellKind: ShellKind | null;
  user: string;
  /** The program forks into the background and exits (nginx without `daemon off;`). */
  daemonized: boolean;
  /** For a program run by a supervisor: the signal the supervisor stops it with (supervisord's stopsignal). */
  supervisorStop?: string;
  /** A daemon's forked process: the id of the process it forked from (whose $! still names it). */
  forkedFrom?: number;
}

export interface Issue {
  kind:
    | "unquoted-args" | "bad-trap-name" | "bashism" | "no-shebang" | "crlf-shebang" | "not-executable"
    | "missing-interpreter" | "missing-program" | "parse-error" | "truncated" | "unknown-sh" | "exec-in-pipeline"
    | "source-missing" | "heredoc-expanded" | "init-option-confusion";
  file: string;
  line: number;
  column?: number;
  message: string;
  data?: Record<string, unknown>;
}

export interface Limits {
  maxPaths: number;
  maxSteps: number;
  maxDepth: number;
  maxLoop: number;
  maxScriptBytes: number;
}
export const DEFAULT_LIMITS: Limits = { maxPaths: 32, maxSteps: 50_000, maxDepth: 12, maxLoop: 64, maxScriptBytes: 1024 * 1024 };

/** Shared state of one analysis: the model, the limits, and what was noticed along the way. */
export interface World {
  model: DockerfileModel;
  binSh: "dash" | "bash" | "busybox" | "none" | "unknown";
  limits: Limits;
  steps: number;
  issues: Issue[];
  notes: Set<string>;
  truncated: { reason: string; file: string; line: number } | null;
  parseCache: Map<string, ReturnType<typeof parseScript>>;
  /** How deeply become() calls are nested right now (programs starting programs). */
  becomeDepth: number;
  nextId: number;
}

interface Sh {
  proc: Proc;
  kind: ShellKind;
  file: string;
  vars: Map<string, Word | null>;
  exported: Set<string>;
  /** Variables the scripts assign somewhere: read before assignment they are unset, not run-time input. */
  internal: Set<string>;
  positional: Word[];
  arg0: Word;
  funcs: Map<string, ShNode>;
  funcStack: string[];
  locals: Map<string, Word | null | undefined>[];
  traps: Map<string, Trap>;
  lastBg: Proc | null;
  cMode: string | null;
  /** A subshell: its last simple command replaces it (see execsInPlace). */
  subshell: "simple" | "compound" | null;
  depth: number;
  /** For a -c string: the line of the file that holds it, so that locations point there. */
  lineOffset: number;
}

export interface Path {
  conds: string[];
  root: Proc;
  /** Every process of this path's tree by id (a tree walk per lookup was quadratic on deep trees). */
  index: Map<number, Proc>;
  stack: Sh[];
  flow: null | "return" | "break" | "continue" | "exit";
  halted: boolean;
  status: number | null;
  statusDesc: { yes: string; no: string } | null;
  exitCode: number | null;
  /** The start failed (exec format error, no such file…). */
  failed: string | null;
}

const sh = (p: Path): Sh => p.stack[p.stack.length - 1]!;

function newProc(w: World, argv: string[], source: SourceLoc | null, user: string): Proc {
  return {
    id: w.nextId++, argv, program: null, role: "unknown", background: false, source, children: [], alive: true,
    longRunning: null, notes: [], shell: null, shellKind: null, user, daemonized: false,
  };
}

export function clonePath(p: Path): Path {
  const map = new Map<Proc, Proc>();
  const cloneProc = (q: Proc): Proc => {
    const c: Proc = { ...q, argv: [...q.argv], notes: [...q.notes], children: [] };
    map.set(q, c);
    c.children = q.children.map(cloneProc);
    return c;
  };
  const root = cloneProc(p.root);
  const index = new Map<number, Proc>();
  for (const q of map.values()) index.set(q.id, q);
  const remap = (q: Proc | null) => (q ? map.get(q) ?? q : null);
  for (const q of map.values()) if (q.shell) q.shell = { ...q.shell, foreground: remap(q.shell.foreground) };
  const stack = p.stack.map((s) => ({
    ...s,
    proc: remap(s.proc)!,
    lastBg: remap(s.lastBg),
    vars: new Map(s.vars),
    exported: new Set(s.exported),
    positional: [...s.positional],
    funcs: new Map(s.funcs),
    funcStack: [...s.funcStack],
    locals: s.locals.map((l) => new Map(l)),
    traps: new Map(s.traps),
  }));
  return { ...p, conds: [...p.conds], root, index, stack };
}

function allProcs(root: Proc): Proc[] {
  const out: Proc[] = [];
  const walk = (q: Proc) => {
    out.push(q);
    q.children.forEach(walk);
  };
  walk(root);
  return out;
}

export function pathKey(p: Path): string {
  const procs = allProcs(p.root)
    .filter((q) => q.alive)
    .map((q) => `${q.id}:${q.argv.join("\u0001")}:${q.shell?.state ?? ""}:${[...(q.shell?.traps.keys() ?? [])].join(",")}:${q.children.filter((c) => c.alive).map((c) => c.id).join(",")}`);
  const s = p.stack.length ? sh(p) : null;
  const vars = s ? [...s.vars].map(([k, v]) => `${k}=${v === null ? "\u0000" : show(v)}`).join("\u0002") : "";
  const pos = s ? s.positional.map(show).join("\u0001") : "";
  const traps = s ? [...s.traps].map(([k, v]) => `${k}:${v.handler}`).join(",") : "";
  return [procs.join("|"), vars, pos, traps, p.flow, p.halted, p.exitCode, p.failed, p.stack.length, s?.lastBg?.id ?? ""].join("\u0003");
}

/** Paths that reached the same state are merged; their conditions are joined with "or". */
function dedupe(w: World, paths: Path[]): Path[] {
  if (paths.length < 2) return paths; // nothing to merge (and the key is not cheap)
  const seen = new Map<string, Path>();
  for (const p of paths) {
    const k = pathKey(p);
    const prev = seen.get(k);
    if (!prev) seen.set(k, p);
    else prev.conds = mergeConds(prev.conds, p.conds);
  }
  let out = [...seen.values()];
  if (out.length > w.limits.maxPaths) {
    out = out.slice(0, w.limits.maxPaths);
    noteTruncated(w, `more than ${w.limits.maxPaths} run-time paths; only the first ${w.limits.maxPaths} were followed`, out[0]);
  }
  return out;
}

function mergeConds(a: string[], b: string[]): string[] {
  // Keep the common prefix; the differing tails are alternatives, which together say nothing new.
  const out: string[] = [];
  for (let i = 0; i < Math.min(a.length, b.length) && a[i] === b[i]; i++) out.push(a[i]!);
  return out;
}

function noteTruncated(w: World, reason: string, p: Path | undefined, line = 0) {
  if (!w.truncated) {
    const s = p && p.stack.length ? sh(p) : null;
    w.truncated = { reason, file: s?.file ?? w.model.file, line };
  }
}

// ---------------------------------------------------------------------------------------------------
// Entry point: Docker execs argv as PID 1.

export function startPid1(w: World, argv: string[], source: SourceLoc | null, user: string, env: Map<string, string>): Path[] {
  const root = newProc(w, [...argv], source, user);
  const base: Sh = {
    proc: root, kind: "sh-unknown", file: w.model.file, vars: new Map([...env].map(([k, v]) => [k, lit(v)])),
    exported: new Set(env.keys()), internal: new Set(), positional: [], arg0: lit(""), funcs: new Map(), funcStack: [],
    locals: [], traps: new Map(), lastBg: null, cMode: null, subshell: null, depth: 0, lineOffset: 0,
  };
  const p: Path = { conds: [], root, index: new Map([[root.id, root]]), stack: [base], flow: null, halted: false, status: 0, statusDesc: null, exitCode: null, failed: null };
  return become(w, p, root, argv.map(lit), source, { fromDocker: true });
}

// ---------------------------------------------------------------------------------------------------
// Turning a process into a program: exec, or the start of a child.

interface BecomeOpts {
  fromDocker?: boolean;
  /** How many #! interpreters were followed to get here (the kernel gives up after 4: ELOOP). */
  interpDepth?: number;
  /** The shell kind that runs a script without #! (a shell falls back to running it itself). */
  fallbackShell?: ShellKind;
}

const SHELL_BASENAMES: Record<string, ShellKind | "sh"> = {
  sh: "sh", dash: "dash", bash: "bash", ash: "busybox", zsh: "zsh", mksh: "mksh", lksh: "mksh", ksh: "mksh",
};

function shellKindFor(w: World, name: string): ShellKind | null {
  const k = SHELL_BASENAMES[name];
  if (!k) return null;
  if (k !== "sh") return k;
  return w.binSh === "dash" || w.binSh === "bash" || w.binSh === "busybox" ? w.binSh : "sh-unknown";
}

const basenameOf = bare;

function resolveIn(w: World, p: Path, word: string): PathResolution {
  const s = p.stack.length ? sh(p) : null;
  const pathVar = s?.vars.get("PATH");
  const path = pathVar ? known(pathVar) ?? undefined : undefined;
  return w.model.resolve(word, path ? { path } : {});
}

/**
 * Makes `proc` run `argv` (an exec, or the program of a new child). Returns the paths after that: the
 * process may now be a program (halted in its steady state), or a shell that ran to its end.
 */
function become(w: World, p: Path, proc: Proc, argv: Word[], source: SourceLoc | null, opts: BecomeOpts = {}): Path[] {
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
  if (++w.steps > w.limits.maxSteps) {
    noteTruncated(w, `more than ${w.limits.maxSteps} interpretation steps`, p, source?.line ?? 0);
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
  const argv0 = known(argv0w);
  proc.argv = argv.map(show);
  if (argv0 === null) {
    proc.role = "unknown";
    proc.longRunning = null;
    proc.notes.push(`the program name ${show(argv0w)} is only known at run time`);
    return [p];
  }
  const args = argv.slice(1);
  const name = basenameOf(argv0);
  const res = resolveIn(w, p, argv0);

  // A file of the build context: follow its #! line.
  if (res.kind === "context") {
    const content = res.content();
    if (res.executable === false) {
      const msg = `${argv0} is not executable (mode ${res.file.mode?.toString(8) ?? "?"}): exec fails with "permission denied"`;
      w.issues.push({ kind: "not-executable", file: w.model.file, line: res.file.line, message: msg, data: { path: res.imagePath, mode: res.file.mode, copyLine: res.file.line } });
      return fail(p, proc, msg, opts);
    }
    if (content !== null) {
      if (content.startsWith("\x7fELF")) return program(w, p, proc, argv0, name, args, source);
      const firstLine = content.split("\n", 1)[0] ?? "";
      if (firstLine.startsWith("#!")) {
        if (firstLine.endsWith("\r")) {
          const msg = `the #! line of ${res.imagePath} ends in a carriage return (CRLF line endings): the kernel looks for "${firstLine.slice(2).trim()}\\r", which does not exist`;
          w.issues.push({ kind: "crlf-shebang", file: res.imagePath, line: 1, message: msg, data: { contextPath: res.file.source.kind === "context" ? res.file.source.path : null } });
          return fail(p, proc, msg, opts);
        }
        const parts = firstLine.slice(2).trim().split(/[ \t]+/);
        const interp = parts[0] ?? "";
        const interpArg = parts.slice(1).join(" ");
        const ir = resolveIn(w, p, interp);
        if (ir.kind === "not-found") {
          const msg = `the interpreter ${interp} of ${res.imagePath} does not exist in the image: exec fails with "no such file or directory"`;
          w.issues.push({ kind: "missing-interpreter", file: res.imagePath, line: 1, message: msg, data: { interpreter: interp } });
          return fail(p, proc, msg, opts);
        }
        const depth = (opts.interpDepth ?? 0) + 1;
        if (depth > 4) {
          // Linux follows at most 4 levels of #! interpreters (BINPRM_MAX_RECURSION), then execve fails.
          const msg = `${res.imagePath}'s #! interpreter chain is longer than the kernel follows: exec fails with "too many levels of symbolic links" (ELOOP)`;
          w.issues.push({ kind: "missing-interpreter", file: res.imagePath, line: 1, message: msg, data: { interpreter: interp } });
          return fail(p, proc, msg, opts);
        }
        const newArgv = [lit(interp), ...(interpArg ? [lit(interpArg)] : []), lit(argv0), ...args];
        return become(w, p, proc, newArgv, source, { ...opts, interpDepth: depth });
      }
      if (opts.fromDocker) {
        const msg = `${res.imagePath} has no #! line: Docker's exec fails with "exec format error"`;
        w.issues.push({ kind: "no-shebang", file: res.imagePath, line: 1, message: msg });
        return fail(p, proc, msg, opts);
      }
      // A shell runs a script without #! itself.
      const kind = opts.fallbackShell ?? shellKindFor(w, "sh") ?? "sh-unknown";
      return runScriptFile(w, p, proc, kind, [lit(kind === "busybox" ? "sh" : kind), lit(argv0), ...args], argv0, args, source);
    }
  }
  if (res.kind === "not-found" && argv0.includes("/")) {
    const msg = `${argv0} does not exist in the image: exec fails with "no such file or directory"`;
    w.issues.push({ kind: "missing-program", file: source?.file ?? w.model.file, line: source?.line ?? 0, message: msg, data: { program: argv0 } });
    return fail(p, proc, msg, opts);
  }
  if (res.kind === "not-found" && !SHELL_BASENAMES[name]) {
    const msg = `${argv0} is not in the image (not found on the PATH): exec fails with "executable file not found"`;
    w.issues.push({ kind: "missing-program", file: source?.file ?? w.model.file, line: source?.line ?? 0, message: msg, data: { program: argv0 } });
    return fail(p, proc, msg, opts);
  }
  if (res.kind === "not-found" && SHELL_BASENAMES[name]) {
    const msg = `${argv0} is not in the image (no ${name} on the PATH): exec fails with "executable file not found"`;
    w.issues.push({ kind: "missing-program", file: source?.file ?? w.model.file, line: source?.line ?? 0, message: msg, data: { program: argv0 } });
    return fail(p, proc, msg, opts);
  }
  // A script the base image provides that ends by exec'ing a known command (httpd-foreground).
  if (res.kind === "base-image" && res.file?.execs?.length) {
    proc.notes.push(`${argv0} (from the base image) execs ${res.file.execs.join(" ")}${res.file.passesArgs ? " with its arguments" : ""}`);
    return become(w, p, proc, [...res.file.execs.map(lit), ...(res.file.passesArgs ? args : [])], source, opts);
  }
  // A script the base image provides (docker-entrypoint.sh): use what the catalog says it does.
  if (res.kind === "base-image" && res.file?.kind === "entrypoint-script") {
    const f = res.file;
    if (f.execsArgs && args.length) {
      proc.notes.push(`${argv0} (from the base image) ${f.notes ?? "execs its arguments"}`);
      let target = args;
      const pre = f.prepends ? prependReason(w, p, proc, f.prepends, args[0]!) : null;
      if (pre) {
        target = [lit(f.prepends!.program), ...args];
        proc.notes.push(`it puts ${f.prepends!.program} before its arguments: ${pre}`);
      }
      if (f.execsVia && target.length && !new Set(["gosu", "su-exec", "setpriv"]).has(basenameOf(known(target[0]!) ?? ""))) {
        proc.notes.push(`it drops privileges with ${f.execsVia} first`);
      }
      return become(w, p, proc, target, source, opts);
    }
    if (f.execsArgs && !args.length) {
      proc.notes.push(`${argv0} (from the base image) was given no arguments`);
    }
  }
  return program(w, p, proc, argv0, name, args, source);
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

function fail(p: Path, proc: Proc, msg: string, opts: BecomeOpts): Path[] {
  proc.alive = false;
  proc.notes.push(msg);
  if (opts.fromDocker) p.failed = msg;
  p.status = 126;
  return [p];
}

function program(w: World, p: Path, proc: Proc, argv0: string, name: string, args: Word[], source: SourceLoc | null): Path[] {
  const shellKind = shellKindFor(w, name);
  if (shellKind) return runShell(w, p, proc, shellKind, argv0, args, source);
  const entry = findProgram(name);
  proc.program = entry;
  if (!entry) {
    proc.role = "unknown";
    proc.longRunning = null;
    return [p];
  }
  const kargs = args.map((a) => known(a) ?? show(a));
  switch (entry.role) {
    case "wrapper-exec": {
      const t = wrapperTarget(entry, kargs);
      if (!t || t.argv.length === 0) {
        proc.role = "tool";
        proc.longRunning = false;
        proc.alive = false;
        return [p];
      }
      const offset = args.length - t.argv.length;
      proc.user = wrapperUser(entry, kargs) ?? proc.user;
      proc.notes.push(`${name} execs ${t.argv[0]} in its place`);
      return become(w, p, proc, args.slice(offset), source);
    }
    case "init":
    case "wrapper-parent": {
      proc.role = entry.role === "init" ? "init" : "wrapper";
      proc.longRunning = true;
      const t = wrapperTarget(entry, kargs);
      if (!t) return [p];
      const child = newProc(w, [], source, proc.user);
      attach(p, proc, child);
      if (t.shellCommand !== null) {
        const shArgv = [lit("sh"), lit("-c"), lit(t.shellCommand)];
        child.user = wrapperUser(entry, kargs) ?? child.user;
        return become(w, p, child, shArgv, source).map((q) => initExitsWithChild(q, proc, child, entry));
      }
      const offset = args.length - t.argv.length;
      let target = args.slice(offset);
      if (entry.wrapper?.permutesOptions && !kargs.includes(entry.wrapper.optionsStop ?? "--") && t.argv.slice(1).some((a) => a.startsWith("-"))) {
        const taken = t.argv.slice(1).filter((a) => a.startsWith("-"));
        const msg = `${entry.name} parses options after the program name: without "--", an option meant for ${t.argv[0]} (${taken.join(" ")}) is taken by ${entry.name}`;
        proc.notes.push(msg);
        w.issues.push({ kind: "init-option-confusion", file: source?.file ?? w.model.file, line: source?.line ?? 0, message: msg, data: { init: entry.name } });
        // GNU getopt permutes: every option word goes to the init, the rest stays for the program.
        const withValue = new Set(entry.wrapper?.optionsWithValue ?? []);
        const kept: Word[] = [target[0]!];
        for (let j = 1; j < target.length; j++) {
          const k = known(target[j]!);
          if (k !== null && k.startsWith("-")) {
            if (withValue.has(k)) j++;
            continue;
          }
          kept.push(target[j]!);
        }
        target = kept;
      }
      return become(w, p, child, target, source).map((q) => initExitsWithChild(q, proc, child, entry));
    }
    default: {
      proc.role = entry.role === "supervisor" ? "supervisor" : entry.role === "tool" ? "tool" : "service";
      proc.longRunning = entry.longRunning;
      if (entry.name === "supervisord" && !daemonizesWith(entry, kargs)) return supervisedPrograms(w, p, proc, kargs);
      if (entry.name === "sleep" && kargs[0] && /^\d+(\.\d+)?s?$/.test(kargs[0]) && parseFloat(kargs[0]) < 5) {
        proc.longRunning = false;
        proc.notes.push(`sleep ${kargs[0]} ends within seconds`);
      }
      const oneShot = entry.args?.oneShot?.find((f) => kargs.includes(f));
      if (oneShot) {
        proc.role = "tool";
        proc.longRunning = false;
        proc.notes.push(`${name} ${oneShot} does its check or sends its signal and exits`);
        return [p];
      }
      const bad = rejectedArg(entry, kargs);
      if (bad !== null) {
        proc.alive = false;
        proc.notes.push(`${name} rejects the argument ${JSON.stringify(bad)} ("invalid option") and exits at once`);
        p.status = 1;
        return [p];
      }
      const keptInForeground = (w.model.target?.base.facts?.foreground ?? []).includes(entry.name);
      if (entry.longRunning && daemonizesWith(entry, kargs) && !keptInForeground) {
        proc.daemonized = true;
        daemonize(w, p, proc);
        proc.notes.push(`${name} forks into the background and its first process exits${entry.daemonizes?.foregroundFlags.length || entry.daemonizes?.foregroundArgs.length ? ` (keep it in the foreground with ${[...(entry.daemonizes?.foregroundFlags ?? []), ...(entry.daemonizes?.foregroundArgs ?? []).map((s) => s.join(" "))].join(" or ")})` : ""}`);
      }
      return [p];
    }
  }
}

/** For programs whose command line takes no operands (nginx): the first stray word, or null. */
function rejectedArg(entry: ProgramEntry, args: string[]): string | null {
  const syn = entry.args;
  if (!syn || syn.operands) return null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (syn.optionsWithValue.includes(a)) {
      i++;
      continue;
    }
    if (!a.startsWith("-")) return a;
  }
  return null;
}

/** tini, dumb-init, su…: when the direct child is gone at once, the parent exits too. */
function initExitsWithChild(p: Path, parentProc: Proc, child: Proc, entry: ProgramEntry): Path {
  const par = findProc(p, parentProc.id);
  const ch = findProc(p, child.id);
  if (par && ch && !ch.alive && entry.exitsWithChild) {
    par.alive = false;
    par.notes.push(`${entry.name} exits as soon as its child ${ch.argv[0] ?? ""} exits`);
    if (p.failed === null && ch.notes.some((n) => /exec fails/.test(n)) && p.root === par) p.failed = ch.notes.find((n) => /exec fails/.test(n))!;
  }
  return p;
}

/** supervisord's programs, from its config file in the build context ([program:x] command=…). */
function supervisedPrograms(w: World, p: Path, proc: Proc, kargs: string[]): Path[] {
  let conf: string | null = null;
  for (let i = 0; i < kargs.length; i++) {
    const a = kargs[i]!;
    if (a === "-c" || a === "--configuration") conf = kargs[i + 1] ?? null;
    else if (a.startsWith("--configuration=")) conf = a.slice("--configuration=".length);
    else if (/^-c./.test(a)) conf = a.slice(2);
  }
  // supervisord's own search order when -c is not given (supervisor/options.py)
  const candidates = conf ? [conf] : ["/etc/supervisord.conf", "/etc/supervisor/supervisord.conf", "supervisord.conf", "etc/supervisord.conf"];
  let text: string | null = null;
  let file = "";
  for (const c of candidates) {
    const r = w.model.resolve(c.includes("/") ? c : "./" + c);
    if (r.kind === "context") {
      text = r.content();
      file = r.imagePath;
      break;
    }
  }
  if (text === null) {
    proc.notes.push(`its programs come from ${conf ?? "a config file"}, which is not in the build context`);
    return [p];
  }
  const programs: { name: string; command: string; line: number; stopsignal: string | null; autostart: boolean }[] = [];
  let cur: (typeof programs)[number] | null = null;
  text.split("\n").forEach((raw, i) => {
    const line = (/^\s*[;#]/.test(raw) ? "" : raw.replace(/\s[;#].*$/, "")).trim();
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      const m = /^program:(.+)$/.exec(sec[1]!.trim());
      cur = m ? { name: m[1]!.trim(), command: "", line: i + 1, stopsignal: null, autostart: true } : null;
      if (cur) programs.push(cur);
      return;
    }
    const kv = /^([A-Za-z_]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!kv || !cur) return;
    const key = kv[1]!.toLowerCase();
    if (key === "command") {
      cur.command = kv[2]!;
      cur.line = i + 1;
    } else if (key === "stopsignal") cur.stopsignal = normalizeSignal(kv[2]!.trim());
    else if (key === "autostart") cur.autostart = !/^(false|no|off|0)$/i.test(kv[2]!.trim());
  });
  let paths = [p];
  for (const prog of programs) {
    if (!prog.autostart || !prog.command) continue;
    const argv = shlexSplit(prog.command);
    if (!argv.length) continue;
    paths = paths.flatMap((q) => {
      const parent = findProc(q, proc.id)!;
      const child = newProc(w, [], { file, line: prog.line }, parent.user);
      child.supervisorStop = prog.stopsignal ?? "SIGTERM";
      attach(q, parent, child);
      return become(w, q, child, argv.map(lit), { file, line: prog.line });
    });
  }
  return paths;
}

/** Python's shlex.split, which supervisord uses for command= (quotes and backslashes; no expansion). */
function shlexSplit(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) q = null;
      else if (c === "\\" && q === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      has = true;
    } else if (c === "\\" && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Shell processes

function runShell(w: World, p: Path, proc: Proc, kind: ShellKind, argv0: string, args: Word[], source: SourceLoc | null): Path[] {
  proc.shellKind = kind;
  proc.role = "shell";
  proc.program = findProgram(basenameOf(argv0));
  const kargs = args.map(known);
  let i = 0;
  let cString: Word | null = null;
  while (i < args.length) {
    const a = kargs[i];
    if (a === null || a === undefined) break;
    if (a === "-c") {
      cString = args[i + 1] ?? lit("");
      i += 2;
      break;
    }
    if (a === "--") {
      i++;
      break;
    }
    if (/^[-+][a-zA-Z]+$/.test(a)) {
      if (a.startsWith("-") && a.includes("c")) {
        cString = args[i + 1] ?? lit("");
        i += 2;
        break;
      }
      i++;
      continue;
    }
    if (a === "-o" || a === "+o") {
      i += 2;
      continue;
    }
    break;
  }
  if (cString !== null) {
    const text = known(cString);
    const rest = args.slice(i);
    if (text === null) {
      proc.longRunning = null;
      proc.notes.push("the command string is only known at run time");
      return [p];
    }
    return interpretText(w, p, proc, kind, text, source?.file ?? w.model.file, rest[0] ?? lit(argv0), rest.slice(1), source, { cMode: true });
  }
  const script = args[i];
  if (!script) {
    // No script and no -c: the shell reads commands from stdin, which is not a terminal: it exits.
    proc.alive = false;
    proc.notes.push(`${argv0} with no script reads its commands from standard input; without -it it reads nothing and exits`);
    const s = sh(p);
    if (s.proc === proc) p.flow = "exit";
    return [p];
  }
  const scriptPath = known(script);
  if (scriptPath === null) {
    proc.longRunning = null;
    proc.notes.push(`the script ${show(script)} is only known at run time`);
    return [p];
  }
  return runScriptFile(w, p, proc, kind, [lit(argv0), ...args.slice(0, i), ...args.slice(i)], scriptPath, args.slice(i + 1), source);
}

function runScriptFile(w: World, p: Path, proc: Proc, kind: ShellKind, fullArgv: Word[], scriptPath: string, args: Word[], source: SourceLoc | null): Path[] {
  proc.shellKind = kind;
  proc.role = "shell";
  proc.argv = fullArgv.map(show);
  const r = resolveIn(w, p, scriptPath);
  if (r.kind !== "context") {
    proc.longRunning = null;
    proc.notes.push(r.kind === "base-image" ? `${scriptPath} comes from the base image; its text is not known` : `${scriptPath} is not in the build context`);
    if (r.kind === "base-image" && r.file?.execsArgs && args.length) {
      return become(w, p, proc, args, source);
    }
    return [p];
  }
  const text = r.content();
  if (text === null) {
    proc.longRunning = null;
    proc.notes.push(`${scriptPath} could not be read`);
    return [p];
  }
  return interpretText(w, p, proc, kind, text, r.imagePath, lit(scriptPath), args, source, { cMode: false });
}

function interpretText(
  w: World, p: Path, proc: Proc, kind: ShellKind, text: string, file: string, arg0: Word, args: Word[],
  source: SourceLoc | null, opts: { cMode: boolean },
): Path[] {
  const parent = sh(p);
  if (parent.depth >= w.limits.maxDepth) {
    noteTruncated(w, `scripts nest deeper than ${w.limits.maxDepth} levels (exec, sh -c, source)`, p, source?.line ?? 0);
    proc.notes.push("analysis cut short: nesting too deep");
    return [p];
  }
  if (text.length > w.limits.maxScriptBytes) {
    noteTruncated(w, `${file} is larger than ${w.limits.maxScriptBytes} bytes`, p, 1);
    return [p];
  }
  const parsed = parseCached(w, text, file, kind);
  if (!parsed.file && parsed.tooDeep) {
    noteTruncated(w, `${file} nests deeper than the parser follows; it was not analyzed`, p, 1);
    proc.longRunning = null;
    proc.notes.push("the script nests too deeply to be analyzed");
    return [p];
  }
  if (!parsed.file) {
    const e = parsed.error!;
    w.issues.push({ kind: "parse-error", file, line: e.line, column: e.column, message: `${file}:${e.line}:${e.column}: ${e.message}` });
    proc.longRunning = null;
    proc.notes.push(`the script does not parse (${e.message})`);
    return [p];
  }
  if (parsed.tooDeep) noteTruncated(w, `${file} nests deeper than the analyzer follows (400 levels); the deepest parts were skipped`, p, 1);
  if (parsed.bashismIn && (kind === "dash" || kind === "sh-unknown"))
    w.issues.push({ kind: "bashism", file, line: parsed.bashismIn.line, message: `${parsed.bashismIn.message}, but the script runs under ${kind === "dash" ? "dash" : "an unknown /bin/sh"}` });
  if (kind === "sh-unknown") w.issues.push({ kind: "unknown-sh", file, line: 1, message: "which program is /bin/sh in this image is not known" });
  // The new shell: exported variables only, new positional parameters, no functions, no traps.
  const vars = new Map<string, Word | null>();
  for (const k of parent.exported) {
    const v = lookupVar(parent, k);
    if (v !== undefined && v !== null) vars.set(k, v);
  }
  const s: Sh = {
    proc, kind, file, vars, exported: new Set(vars.keys()), internal: scanAssigned(parsed.file), positional: args,
    arg0, funcs: new Map(), funcStack: [], locals: [], traps: new Map(), lastBg: null,
    cMode: opts.cMode ? text : null, subshell: null, depth: parent.depth + 1, lineOffset: opts.cMode ? Math.max(0, (source?.line ?? 1) - 1) : 0,
  };
  proc.shellKind = kind;
  proc.role = "shell";
  p.stack.push(s);
  const out = execList(w, [p], parsed.file.stmts, true).flatMap((q) => finishShell(w, q, proc));
  return out;
}

function parseCached(w: World, text: string, file: string, kind: ShellKind) {
  const key = `${kind}\u0000${file}\u0000${text}`;
  let r = w.parseCache.get(key);
  if (!r) {
    r = parseScript(text, file, kind);
    w.parseCache.set(key, r);
  }
  return r;
}

/** Every name the script assigns (static scan; cheap, and bounded by the text). */
function scanAssigned(file: ShNode): Set<string> {
  const out = new Set<string>();
  const visit = (n: ShNode, depth: number): void => {
    if (!n || depth > 200) return;
    const t = nodeType(n);
    if (t === "CallExpr") {
      for (const a of n.assigns ?? []) if (a.name) out.add(a.name);
      const first = n.args?.[0]?.lit;
      if (first === "read" || first === "export" || first === "local" || first === "readonly" || first === "declare") {
        for (const arg of n.args.slice(1)) {
          const l = arg.lit ?? "";
          const m = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(l);
          if (m && !l.startsWith("-")) out.add(m[1]!);
        }
      }
      for (const a of n.args ?? []) for (const part of a.parts ?? []) visitPart(part, depth + 1);
      return;
    }
    if (t === "DeclClause") {
      for (const a of n.args ?? []) if (a.name) out.add(a.name);
      return;
    }
    for (const key of ["stmts", "cond", "then", "do", "items"]) for (const c of n[key] ?? []) visit(c, depth + 1);
    for (const key of ["cmd", "x", "y", "else", "body"]) if (n[key]) visit(n[key], depth + 1);
    if (t === "ForClause" && n.loop?.name) out.add(n.loop.name);
  };
  const visitPart = (part: ShNode, depth: number) => {
    const t = nodeType(part);
    if (t === "ParamExp" && part.exp && (part.exp.op === 74 || part.exp.op === 75)) out.add(part.param);
    if (t === "DblQuoted") for (const q of part.parts ?? []) visitPart(q, depth);
  };
  visit(file, 0);
  return out;
}

/** The shell finished its text: it reached a steady state, exec'd, or ended (and the process exits). */
function finishShell(w: World, p: Path, proc: Proc): Path[] {
  const s = p.stack.pop()!;
  if (!p.halted) {
    // The end of the script or `exit`: the shell process exits.
    proc.alive = false;
    proc.shell = null;
  } else if (proc.shellKind && proc.role === "shell" && !proc.shell) {
    proc.shell = null;
  }
  if (proc.shell) {
    proc.shell.vars = new Map(s.vars);
    proc.shell.funcs = s.funcs;
    proc.shell.traps = new Map(s.traps);
  }
  p.halted = false;
  if (p.flow === "exit" || p.flow === "return") p.flow = null;
  return [p];
}

// ---------------------------------------------------------------------------------------------------
// Statements

function execList(w: World, paths: Path[], stmts: ShNode[], tail: boolean): Path[] {
  const list: ShNode[] = stmts ? [...stmts] : [];
  let cur = paths;
  for (let i = 0; i < list.length; i++) {
    const isTail = tail && i === list.length - 1;
    const next: Path[] = [];
    for (const p of cur) {
      if (p.halted || p.flow) next.push(p);
      else next.push(...execStmt(w, p, list[i], isTail));
    }
    cur = dedupe(w, next);
  }
  return cur;
}

function loc(p: Path, node: ShNode): SourceLoc {
  const s = sh(p);
  return { file: s.file, line: node?.line ? node.line + s.lineOffset : 0, column: node?.col ?? 0 };
}

function execStmt(w: World, p: Path, stmt: ShNode, tail: boolean): Path[] {
  if (++w.steps > w.limits.maxSteps) {
    noteTruncated(w, `more than ${w.limits.maxSteps} interpretation steps`, p, loc(p, stmt).line);
    p.flow = "exit";
    p.halted = true;
    return [p];
  }
  if (stmt.background) return background(w, p, stmt);
  const out = execCmd(w, p, stmt.cmd, stmt, tail && !stmt.negated);
  if (stmt.negated) {
    for (const q of out) {
      if (q.status !== null) q.status = q.status === 0 ? 1 : 0;
      else if (q.statusDesc) q.statusDesc = { yes: q.statusDesc.no, no: q.statusDesc.yes };
    }
  }
  return out;
}

/** `cmd &`: a child process that the shell does not wait for. */
function background(w: World, p: Path, stmt: ShNode): Path[] {
  const s = sh(p);
  const child = newProc(w, [], loc(p, stmt), s.proc.user);
  child.background = true;
  attach(p, s.proc, child);
  const cmd = stmt.cmd;
  let results: Path[];
  if (nodeType(cmd) === "CallExpr" && !(cmd.args?.length && s.funcs.has(cmd.args[0].lit ?? ""))) {
    const argv = expandArgs(w, p, cmd.args ?? [], loc(p, stmt));
    const argv0 = argv[0] ? known(argv[0]) : null;
    if (argv0 === "exec") argv.shift();
    results = become(w, p, child, argv, loc(p, stmt), { fallbackShell: s.kind });
  } else {
    results = subshell(w, p, child, [stmt.cmd], loc(p, stmt));
  }
  for (const q of results) {
    const c = findProc(q, child.id)!;
    if (c.longRunning === null && c.alive && c.role === "unknown") {
      c.longRunning = true;
      c.notes.push("unknown program started in the background: assumed to keep running");
    }
    if (c.role === "service" || c.role === "unknown") c.role = c.role === "service" ? "helper" : c.role;
    if (c.longRunning === false || c.daemonized) c.alive = c.daemonized ? false : c.alive && !!c.shell;
    sh(q).lastBg = c;
    q.status = 0;
  }
  return results;
}

export function findProc(p: Path, id: number): Proc | null {
  return p.index.get(id) ?? null;
}

/** Adds a child process to a parent in this path's tree. */
function attach(p: Path, parent: Proc, child: Proc) {
  parent.children.push(child);
  p.index.set(child.id, child);
}

/**
 * A daemon's first process exits and its forked child is re-parented to PID 1. When the daemon was
 * PID 1 itself, PID 1 has exited: the container stops, and the kernel kills the forked child.
 */
function daemonize(w: World, p: Path, proc: Proc) {
  proc.alive = false;
  if (proc === p.root) return;
  const daemon: Proc = { ...proc, id: w.nextId++, forkedFrom: proc.id, background: true, alive: true, daemonized: false, children: [], notes: [...proc.notes, "re-parented to PID 1 after the daemon forked"] };
  attach(p, p.root, daemon);
}

function subshell(w: World, p: Path, child: Proc, stmts: ShNode[], source: SourceLoc): Path[] {
  const s = sh(p);
  child.shellKind = s.kind;
  child.role = "shell";
  child.argv = [...s.proc.argv];
  const copy: Sh = {
    ...s, proc: child, vars: new Map(s.vars), exported: new Set(s.exported), positional: [...s.positional],
    funcs: new Map(s.funcs), funcStack: [...s.funcStack], locals: s.locals.map((l) => new Map(l)), traps: new Map(), lastBg: null,
    depth: s.depth + 1, cMode: null,
    subshell: stmts.length === 1 && nodeType(stmts[0]?.cmd ?? stmts[0]) === "CallExpr" ? "simple" : "compound",
  };
  p.stack.push(copy);
  return execList(w, [p], stmts, true).flatMap((q) => finishShell(w, q, child));
}

function execCmd(w: World, p: Path, cmd: ShNode, stmt: ShNode, tail: boolean): Path[] {
  const t = nodeType(cmd);
  const s = sh(p);
  switch (t) {
    case "CallExpr":
      return callExpr(w, p, cmd, stmt, tail);
    case "Block":
      return execList(w, [p], cmd.stmts, tail);
    case "Subshell": {
      if (tail && s.cMode !== null && (s.kind === "busybox" || s.kind === "zsh") && ![...s.traps.values()].some((t) => t.handler !== "")) {
        // Measured: BusyBox ash and zsh run a subshell at the end of a -c string in the shell itself.
        return execList(w, [p], cmd.stmts, true);
      }
      const child = newProc(w, [], loc(p, stmt), s.proc.user);
      attach(p, s.proc, child);
      return subshell(w, p, child, cmd.stmts, loc(p, stmt)).flatMap((q) => foreground(w, q, findProc(q, child.id)!, loc(p, stmt)));
    }
    case "BinaryCmd":
      return binaryCmd(w, p, cmd, stmt, tail);
    case "IfClause":
      return ifClause(w, p, cmd, tail);
    case "CaseClause":
      return caseClause(w, p, cmd, tail);
    case "WhileClause":
      return whileClause(w, p, cmd, tail);
    case "ForClause":
      return forClause(w, p, cmd, tail);
    case "FuncDecl":
      s.funcs.set(cmd.name, cmd.body);
      p.status = 0;
      return [p];
    case "DeclClause":
      return declClause(w, p, cmd);
    case "TestClause": {
      if (s.kind === "dash") {
        w.issues.push({ kind: "bashism", file: s.file, line: loc(p, stmt).line, message: "[[ ]] is bash syntax: dash has no [[ command (\"[[: not found\", status 127)" });
        p.status = 127;
        return [p];
      }
      const r = testExpr(w, p, cmd.x);
      setTestStatus(p, r);
      return [p];
    }
    case "ArithmCmd":
    case "LetClause":
      p.status = null;
      p.statusDesc = { yes: "the arithmetic test is true", no: "the arithmetic test is false" };
      return [p];
    case "TimeClause":
      return cmd.stmt ? execStmt(w, p, cmd.stmt, tail) : [p];
    default:
      p.status = 0;
      return [p];
  }
}

function binaryCmd(w: World, p: Path, cmd: ShNode, stmt: ShNode, tail: boolean): Path[] {
  const op = cmd.op;
  if (op === 12 || op === 13) return pipeline(w, p, cmd, stmt);
  // && and ||
  const left = execStmt(w, p, cmd.x, false);
  const out: Path[] = [];
  for (const q of left) {
    if (q.halted || q.flow) {
      out.push(q);
      continue;
    }
    for (const [r, ok] of forkOnStatus(q)) {
      if ((op === 10 && ok) || (op === 11 && !ok)) out.push(...execStmt(w, r, cmd.y, tail));
      else out.push(r);
    }
  }
  return out;
}

/** Each part of a pipeline runs in a child; `exec` there replaces only that child. */
function pipeline(w: World, p: Path, cmd: ShNode, stmt: ShNode): Path[] {
  const parts: ShNode[] = [];
  const flatten = (c: ShNode) => {
    if (nodeType(c.cmd) === "BinaryCmd" && (c.cmd.op === 12 || c.cmd.op === 13)) {
      flatten(c.cmd.x);
      flatten(c.cmd.y);
    } else parts.push(c);
  };
  flatten(cmd.x);
  flatten(cmd.y);
  let paths = [p];
  const ids: number[] = [];
  for (const part of parts) {
    const next: Path[] = [];
    for (const q of paths) {
      const s = sh(q);
      const child = newProc(w, [], loc(q, part), s.proc.user);
      attach(q, s.proc, child);
      ids.push(child.id);
      if (nodeType(part.cmd) === "CallExpr" && part.cmd.args?.length) {
        const argv = expandArgs(w, q, part.cmd.args, loc(q, part));
        if (argv[0] && known(argv[0]) === "exec") {
          argv.shift();
          w.issues.push({ kind: "exec-in-pipeline", file: s.file, line: loc(q, part).line, message: "exec in a pipeline replaces only the pipeline's child process, not the shell" });
        }
        if (argv.length && s.funcs.has(known(argv[0]!) ?? "\u0000")) next.push(...subshell(w, q, child, [part], loc(q, part)));
        else next.push(...become(w, q, child, argv, loc(q, part), { fallbackShell: s.kind }));
      } else next.push(...subshell(w, q, child, [part], loc(q, part)));
    }
    paths = next;
  }
  // The shell waits for every part; it blocks if one of them keeps running.
  return paths.flatMap((q) => {
    const children = ids.map((id) => findProc(q, id)).filter((c): c is Proc => !!c);
    const runningAt = children.findIndex((c) => c.alive && (c.longRunning === true || !!c.shell));
    const running = runningAt >= 0 ? children[runningAt] : undefined;
    children.forEach((c, j) => {
      if (j === runningAt || !c.alive) return;
      if (runningAt >= 0 && j > runningAt && c.longRunning !== true) {
        // A reader (tee, cat, grep) waits for the end of its input, which a running writer never sends.
        c.longRunning = true;
        c.notes.push("reads a pipe whose writer keeps running, so it keeps running too");
      } else if (c.longRunning !== true) c.alive = false;
    });
    if (running) return foreground(w, q, running, loc(q, stmt));
    q.status = null;
    q.statusDesc = { yes: "the pipeline succeeds", no: "the pipeline fails" };
    return [q];
  });
}

// --- compound commands ---------------------------------------------------------------------------

function forkOnStatus(p: Path): [Path, boolean][] {
  if (p.status !== null) return [[p, p.status === 0]];
  const desc = p.statusDesc ?? { yes: "a command succeeds", no: "a command fails" };
  const yes = clonePath(p);
  yes.conds.push(desc.yes);
  yes.status = 0;
  p.conds.push(desc.no);
  p.status = 1;
  return [[yes, true], [p, false]];
}

function ifClause(w: World, p: Path, clause: ShNode, tail: boolean): Path[] {
  const condPaths = execList(w, [p], clause.cond, false);
  const out: Path[] = [];
  for (const q of condPaths) {
    if (q.halted || q.flow) {
      out.push(q);
      continue;
    }
    for (const [r, ok] of forkOnStatus(q)) {
      if (ok) out.push(...execList(w, [r], clause.then, tail));
      else if (clause.else) {
        if (clause.else.cond && clause.else.cond.length) out.push(...ifClause(w, r, clause.else, tail));
        else out.push(...execList(w, [r], clause.else.then, tail));
      } else {
        r.status = 0;
        out.push(r);
      }
    }
  }
  return out;
}

function caseClause(w: World, p: Path, clause: ShNode, tail: boolean): Path[] {
  const subject = expandOne(w, p, clause.word);
  const subj = known(subject);
  const out: Path[] = [];
  let rest: Path | null = p;
  const items: ShNode[] = clause.items ?? [];
  for (let i = 0; i < items.length && rest; i++) {
    const item = items[i];
    const patterns = (item.patterns ?? []).map((pw: ShNode) => expandPattern(w, rest!, pw));
    let verdict: boolean | null = false;
    for (const pat of patterns) {
      if (pat === null || subj === null) {
        verdict = null;
        continue;
      }
      if (globMatch(pat, subj)) {
        verdict = true;
        break;
      }
    }
    const patText = patterns.map((x: string | null) => x ?? "?").join("|");
    if (verdict === true) {
      out.push(...execList(w, [rest], item.stmts, tail));
      rest = null;
    } else if (verdict === null) {
      const yes = clonePath(rest);
      yes.conds.push(`${show(subject)} matches ${patText}`);
      out.push(...execList(w, [yes], item.stmts, tail));
      rest.conds.push(`${show(subject)} does not match ${patText}`);
    }
  }
  if (rest) {
    rest.status = 0;
    out.push(rest);
  }
  return out;
}

function whileClause(w: World, p: Path, clause: ShNode, tail: boolean): Path[] {
  let cur = [p];
  const done: Path[] = [];
  const seen = new Set<string>();
  let alwaysTrue = 0;
  for (let iter = 0; iter < w.limits.maxLoop && cur.length; iter++) {
    const next: Path[] = [];
    let certain = true;
    for (const q of execList(w, cur, clause.cond, false)) {
      if (q.halted || q.flow) {
        done.push(q);
        continue;
      }
      const forks = forkOnStatus(q);
      if (forks.length > 1) certain = false;
      for (const [r, okRaw] of forks) {
        const ok = clause.until ? !okRaw : okRaw;
        if (!ok) {
          r.status = 0;
          done.push(r);
          certain = false;
          continue;
        }
        loopBody(w, r, clause.do, done, next);
      }
    }
    alwaysTrue = certain ? alwaysTrue + 1 : 0;
    // A state seen before adds nothing: its ways out of the loop are already being followed.
    cur = dedupe(w, next).filter((q) => {
      const k = pathKey(q);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (alwaysTrue >= 2 && next.length) {
      // The condition is always true and nothing in the body blocks or leaves: an endless loop.
      for (const q of dedupe(w, next)) {
        halt(q, "loop", null, loc(q, clause).line);
        done.push(q);
      }
      return dedupe(w, done);
    }
  }
  if (cur.length) noteTruncated(w, `a loop ran more than ${w.limits.maxLoop} times`, cur[0], loc(p, clause).line);
  return done;
}

/** One pass of a loop body: paths that leave the loop go to `done`, the others to `next`. */
function loopBody(w: World, p: Path, body: ShNode[], done: Path[], next: Path[]) {
  for (const b of execList(w, [p], body, false)) {
    if (b.flow === "break") {
      b.flow = null;
      done.push(b);
    } else if (b.flow === "continue") {
      b.flow = null;
      next.push(b);
    } else if (b.halted || b.flow) done.push(b);
    else next.push(b);
  }
}

function forClause(w: World, p: Path, clause: ShNode, tail: boolean): Path[] {
  const loop = clause.loop;
  if (nodeType(loop) !== "WordIter") return execList(w, [p], clause.do, false);
  const name = loop.name;
  const items: Word[] = loop.inPos === false ? sh(p).positional : expandArgs(w, p, loop.items ?? [], loc(p, clause));
  const src = (loop.items ?? []).length === 0 ? sh(p).positional : items;
  let cur = [p];
  const done: Path[] = [];
  for (const item of src.slice(0, w.limits.maxLoop)) {
    const next: Path[] = [];
    for (const q of cur) {
      setVar(sh(q), name, item);
      loopBody(w, q, clause.do, done, next);
    }
    cur = dedupe(w, next);
  }
  return [...done, ...cur];
}

function declClause(w: World, p: Path, cmd: ShNode): Path[] {
  const s = sh(p);
  const variant = cmd.variant ?? "declare";
  for (const a of cmd.args ?? []) {
    if (!a.name) continue;
    const name = a.name;
    if (variant === "local" && s.locals.length) {
      const frame = s.locals[s.locals.length - 1]!;
      if (!frame.has(name)) frame.set(name, s.vars.has(name) ? s.vars.get(name) : undefined);
    }
    if (!a.naked || a.value) setVar(s, name, a.value ? expandOne(w, p, a.value) : lit(""));
    else if (variant === "local" && !s.vars.has(name)) s.vars.set(name, null);
    if (variant === "export") s.exported.add(name);
  }
  p.status = 0;
  return [p];
}

// --- simple commands -------------------------------------------------------------------------------

const TOOL_BUILTINS = new Set([":", "true", "echo", "printf", "cd", "umask", "ulimit", "hash", "alias", "unalias", "type", "getopts", "pwd", "times", "shopt", "mapfile", "readarray", "builtin", "caller", "enable", "help", "history", "jobs", "disown", "suspend", "bind", "complete", "dirs", "pushd", "popd", "logout", "fc", "fg", "bg"]);

function callExpr(w: World, p: Path, cmd: ShNode, stmt: ShNode, tail: boolean): Path[] {
  const s = sh(p);
  const here = loc(p, stmt);
  if (!cmd.args || cmd.args.length === 0) {
    // Assignments only.
    for (const a of cmd.assigns ?? []) {
      const v = a.value ? expandOne(w, p, a.value) : lit("");
      if (a.append) setVar(s, a.name, concat(lookupVar(s, a.name) ?? [], v));
      else setVar(s, a.name, v);
    }
    p.status = 0;
    return [p];
  }
  const argv = expandArgs(w, p, cmd.args, here);
  if (argv.length === 0) {
    p.status = 0;
    return [p];
  }
  const name = known(argv[0]!);
  const args = argv.slice(1);
  const kargs = args.map(known);

  if (name !== null && s.funcs.has(name) && !["exec", "command"].includes(name)) return callFunction(w, p, name, args, tail);
  if (name === "[[" && (s.kind === "dash" || s.kind === "sh-unknown")) {
    w.issues.push({ kind: "bashism", file: s.file, line: here.line, message: `[[ ]] is bash syntax: ${s.kind === "dash" ? "dash has no [[ command" : "/bin/sh may not have a [[ command"} ("[[: not found", status 127)` });
    if (s.kind === "dash") {
      p.status = 127;
      return [p];
    }
  }

  switch (name) {
    case "exec": {
      // exec with only redirections changes nothing about the process.
      let rest = args;
      while (rest.length && /^-[cla]+$/.test(known(rest[0]!) ?? "")) rest = rest.slice(known(rest[0]!)!.includes("a") ? 2 : 1); // -a NAME
      if (rest.length === 0) {
        p.status = 0;
        return [p];
      }
      return doExec(w, p, rest, here);
    }
    case "set":
      return builtinSet(p, args, kargs);
    case "shift": {
      const n = kargs[0] ? Number(kargs[0]) : 1;
      if (Number.isFinite(n)) s.positional = s.positional.slice(n);
      p.status = 0;
      return [p];
    }
    case "export":
    case "readonly":
    case "local":
    case "declare":
    case "typeset":
      for (let i = 0; i < args.length; i++) {
        const a = kargs[i];
        if (a === null || a === undefined || a.startsWith("-")) continue;
        const eq = a.indexOf("=");
        const vname = eq >= 0 ? a.slice(0, eq) : a;
        if (name === "local" && s.locals.length) {
          const frame = s.locals[s.locals.length - 1]!;
          if (!frame.has(vname)) frame.set(vname, s.vars.has(vname) ? s.vars.get(vname) : undefined);
        }
        if (eq >= 0) setVar(s, vname, rawArgAfterEq(argv[i + 1]!, eq));
        else if (name === "local" && !s.vars.has(vname)) s.vars.set(vname, null);
        if (name === "export") s.exported.add(vname);
      }
      p.status = 0;
      return [p];
    case "unset":
      for (const a of kargs) if (a && !a.startsWith("-")) s.vars.set(a, null);
      p.status = 0;
      return [p];
    case "trap":
      return builtinTrap(w, p, args, kargs, here);
    case "wait":
      return builtinWait(w, p, kargs, here);
    case "exit":
      p.flow = "exit";
      p.exitCode = kargs[0] !== undefined && kargs[0] !== null && /^\d+$/.test(kargs[0]) ? Number(kargs[0]) : p.status;
      return [p];
    case "return":
      p.flow = "return";
      if (kargs[0] && /^\d+$/.test(kargs[0])) p.status = Number(kargs[0]);
      return [p];
    case "break":
      p.flow = "break";
      return [p];
    case "continue":
      p.flow = "continue";
      return [p];
    case "false":
      p.status = 1;
      return [p];
    case ".":
    case "source":
      return builtinSource(w, p, args, here);
    case "eval": {
      const text = args.map(known);
      if (text.some((x) => x === null)) {
        p.status = null;
        p.statusDesc = { yes: "the eval'd command succeeds", no: "the eval'd command fails" };
        return [p];
      }
      if (s.depth >= w.limits.maxDepth) {
        noteTruncated(w, `eval nests deeper than ${w.limits.maxDepth} levels`, p, here.line);
        p.status = null;
        return [p];
      }
      const parsed = parseCached(w, text.join(" "), s.file, s.kind);
      if (!parsed.file) return [p];
      s.depth++;
      const out = execList(w, [p], parsed.file.stmts, tail);
      for (const q of out) sh(q).depth--;
      return out;
    }
    case "test":
    case "[": {
      const ops = name === "[" ? args.slice(0, -1) : args;
      setTestStatus(p, posixTest(ops));
      return [p];
    }
    case "read":
      for (const a of kargs) if (a && !a.startsWith("-")) s.vars.set(a, unknown(`(input read into ${a})`));
      p.status = null;
      p.statusDesc = { yes: "read gets a line", no: "read reaches the end of its input" };
      return [p];
    case "command":
      if (kargs[0] === "-v" || kargs[0] === "-V") {
        p.status = null;
        p.statusDesc = { yes: `${show(args[1] ?? lit("?"))} is available`, no: `${show(args[1] ?? lit("?"))} is not available` };
        return [p];
      }
      return runExternal(w, p, args, stmt, tail);
    case "kill":
      p.status = 0;
      return [p];
  }
  if (name !== null && TOOL_BUILTINS.has(name)) {
    p.status = 0;
    return [p];
  }
  return runExternal(w, p, argv, stmt, tail);
}

function rawArgAfterEq(w: Word, eq: number): Word {
  // The word was "NAME=value…": drop "NAME=".
  let skip = eq + 1;
  const out: Part[] = [];
  for (const part of w) {
    if (skip > 0 && typeof part === "string") {
      if (part.length <= skip) {
        skip -= part.length;
        continue;
      }
      out.push(part.slice(skip));
      skip = 0;
    } else out.push(part);
  }
  return norm(out);
}

function callFunction(w: World, p: Path, name: string, args: Word[], tail: boolean): Path[] {
  const s = sh(p);
  if (s.funcStack.length >= 64) {
    noteTruncated(w, `function calls nest deeper than 64 (recursion in ${name})`, p);
    p.status = null;
    return [p];
  }
  const body = s.funcs.get(name);
  const savedPos = s.positional;
  s.positional = args;
  s.funcStack.push(name);
  s.locals.push(new Map());
  const out = execList(w, [p], [body], tail);
  for (const q of out) {
    const qs = sh(q);
    if (qs !== undefined && q.stack.length >= 1) {
      const target = q.stack.find((x) => x.funcStack.length && x.funcStack[x.funcStack.length - 1] === name) ?? qs;
      target.positional = savedPos;
      target.funcStack.pop();
      const frame = target.locals.pop();
      if (frame) for (const [k, v] of frame) v === undefined ? target.vars.delete(k) : target.vars.set(k, v);
    }
    if (q.flow === "return") q.flow = null;
  }
  return out;
}

function builtinSet(p: Path, args: Word[], kargs: (string | null)[]): Path[] {
  const s = sh(p);
  for (let i = 0; i < args.length; i++) {
    const a = kargs[i];
    if (a === "--") {
      s.positional = args.slice(i + 1);
      break;
    }
    if (a !== null && a !== undefined && /^[-+][A-Za-z]+$/.test(a)) {
      if (a.includes("o")) i++; // -o NAME, -Eeo pipefail: the option name follows
      continue;
    }
    s.positional = args.slice(i);
    break;
  }
  p.status = 0;
  return [p];
}

/** Trap conditions that are not signals. */
const PSEUDO_SIGNALS = new Set(["EXIT", "ERR", "DEBUG", "RETURN"]);

function builtinTrap(w: World, p: Path, args: Word[], kargs: (string | null)[], here: SourceLoc): Path[] {
  // (args and kargs are reassigned when a leading "--" ends the options)
  const s = sh(p);
  p.status = 0;
  if (kargs[0] === "--") {
    args = args.slice(1);
    kargs = kargs.slice(1);
  }
  if (kargs[0] === "-p" || kargs[0] === "-l" || args.length === 0) return [p];
  let handler: string | null;
  let sigs: (string | null)[];
  if (args.length === 1) {
    handler = "-";
    sigs = kargs;
  } else {
    handler = kargs[0] ?? null;
    sigs = kargs.slice(1);
    if (kargs[0] !== null && /^\d+$/.test(kargs[0] ?? "") && sigs.every((x) => x && /^\d+$/.test(x))) {
      handler = "-";
      sigs = kargs;
    }
  }
  for (const raw of sigs) {
    if (raw === null) continue;
    const upper = raw.toUpperCase();
    if (upper.startsWith("SIG") && s.kind === "dash") {
      w.issues.push({ kind: "bad-trap-name", file: s.file, line: here.line, message: `dash rejects the signal name ${raw} ("trap: ${raw}: bad trap"): no trap is set; write ${upper.slice(3)}`, data: { name: raw } });
      continue;
    }
    const full = upper === "0" || PSEUDO_SIGNALS.has(upper) ? (upper === "0" ? "EXIT" : upper) : normalizeSignal(upper);
    if (full === null) continue;
    if (handler === "-" || handler === null) s.traps.delete(full);
    else s.traps.set(full, { handler, file: s.file, line: here.line });
  }
  return [p];
}

function builtinWait(w: World, p: Path, kargs: (string | null)[], here: SourceLoc): Path[] {
  const s = sh(p);
  const running = s.proc.children.filter((c) => c.alive && c.background && (c.longRunning !== false || c.shell));
  if (running.length === 0) {
    p.status = 0;
    return [p];
  }
  halt(p, "wait", null, here.line);
  return [p];
}

function builtinSource(w: World, p: Path, args: Word[], here: SourceLoc): Path[] {
  const s = sh(p);
  const file = args[0] ? known(args[0]) : null;
  if (file === null) {
    w.issues.push({ kind: "source-missing", file: s.file, line: here.line, message: `sourced file ${args[0] ? show(args[0]) : "?"} is only known at run time` });
    return [p];
  }
  const r = w.model.resolve(file.includes("/") ? file : "./" + file, {});
  if (r.kind !== "context") {
    w.issues.push({ kind: "source-missing", file: s.file, line: here.line, message: `sourced file ${file} is not in the build context; its effect is not known` });
    p.status = 0;
    return [p];
  }
  if (s.depth >= w.limits.maxDepth) {
    noteTruncated(w, `source chain deeper than ${w.limits.maxDepth} (${file} at ${s.file}:${here.line})`, p, here.line);
    return [p];
  }
  const text = r.content() ?? "";
  const parsed = parseCached(w, text, r.imagePath, s.kind);
  if (!parsed.file) {
    w.issues.push({ kind: "parse-error", file: r.imagePath, line: parsed.error!.line, message: parsed.error!.message });
    return [p];
  }
  const savedFile = s.file;
  s.file = r.imagePath;
  s.depth++;
  const savedPos = s.positional;
  if (args.length > 1) s.positional = args.slice(1);
  const out = execList(w, [p], parsed.file.stmts, false);
  for (const q of out) {
    const qs = sh(q);
    qs.file = savedFile;
    qs.depth--;
    if (args.length > 1) qs.positional = savedPos;
    if (q.flow === "return") q.flow = null;
  }
  return out;
}

/** `exec cmd`: the shell process becomes cmd. */
function doExec(w: World, p: Path, argv: Word[], here: SourceLoc): Path[] {
  const s = sh(p);
  const proc = s.proc;
  proc.source = here;
  proc.shellKind = null;
  proc.role = "unknown";
  proc.program = null;
  const out = become(w, p, proc, argv, here, { fallbackShell: s.kind });
  for (const q of out) {
    const qp = findProc(q, proc.id)!;
    // The exec'd program replaced the shell: whatever it is, this shell's text ends here.
    if (!q.failed && qp.alive) q.halted = true;
    else if (!qp.alive && !qp.daemonized) {
      // exec failed, or the exec'd program ended: the process is gone.
      q.flow = "exit";
    }
    if (qp.daemonized) q.flow = "exit";
    if (qp.alive && qp.longRunning === null && qp.role === "unknown") {
      qp.longRunning = true;
      qp.notes.push("unknown program exec'd by the script: assumed to be the service that keeps running");
    }
  }
  return out;
}

/** A command that is not a builtin or a function: a child process (or, in a -c string, maybe an exec). */
function runExternal(w: World, p: Path, argv: Word[], stmt: ShNode, tail: boolean): Path[] {
  const s = sh(p);
  const here = loc(p, stmt);
  const name = known(argv[0]!);
  if (tail && s.cMode !== null && s.kind === "sh-unknown") {
    const entry = name ? findProgram(name) : null;
    if (!(entry && entry.role === "tool" && !entry.longRunning)) {
      const other = clonePath(p);
      other.conds.push("/bin/sh execs the last command in place (bash, BusyBox ash, zsh)");
      p.conds.push("/bin/sh does not exec in place (dash)");
      const child = newProc(w, [], here, s.proc.user);
      attach(p, s.proc, child);
      const stays = become(w, p, child, argv, here, { fallbackShell: s.kind }).flatMap((q) => foreground(w, q, findProc(q, child.id)!, here, tail));
      return [...stays, ...doExec(w, other, argv, here)];
    }
  }
  if (tail && (s.cMode !== null || s.subshell !== null) && execsInPlace(s, stmt.redirs > 0)) {
    const entry = name ? findProgram(name) : null;
    const isTool = entry && entry.role === "tool" && !entry.longRunning;
    if (!isTool) return doExec(w, p, argv, here);
  }
  const child = newProc(w, [], here, s.proc.user);
  attach(p, s.proc, child);
  const out = become(w, p, child, argv, here, { fallbackShell: s.kind });
  return out.flatMap((q) => foreground(w, q, findProc(q, child.id)!, here, tail));
}

/**
 * Does a `-c` string's last command replace the shell? Measured per shell (docs/measurements.md): a trap
 * with an action prevents it (`trap "" SIG` does not); bash keeps the shell for a command with a
 * redirection; mksh execs only a lone command without special characters; dash never does.
 */
function execsInPlace(s: Sh, hasRedirect: boolean): boolean {
  if ([...s.traps.values()].some((t) => t.handler !== "")) return false;
  if (s.subshell !== null) {
    // Measured (docs/measurements.md, "a subshell's last command"): dash, bash, BusyBox and zsh exec the
    // last command of a subshell; mksh only a subshell that is one simple command.
    if (s.kind === "mksh") return s.subshell === "simple";
    if (s.kind === "bash") return !hasRedirect;
    return s.kind !== "sh-unknown";
  }
  switch (s.kind) {
    case "bash":
      return !hasRedirect;
    case "busybox":
    case "zsh":
      return true;
    case "mksh":
      return s.cMode !== null && !/['"$;\\*~=>]/.test(s.cMode) && !/\s(&&|\|\|)\s/.test(s.cMode);
    default:
      return false;
  }
}

/** The shell reaches its steady state: blocked on a foreground child, in `wait`, or in an endless loop. */
function halt(p: Path, state: ShellRun["state"], foreground: Proc | null, line: number) {
  const s = sh(p);
  s.proc.shell = { kind: s.kind, state, foreground, traps: new Map(s.traps), vars: new Map(s.vars), funcs: s.funcs, file: s.file, line };
  s.proc.longRunning = true;
  p.halted = true;
}

/** The shell waits for a foreground child: if the child keeps running, the shell is blocked there. */
function foreground(w: World, p: Path, child: Proc, here: SourceLoc, tail = false): Path[] {
  if (!child.alive) {
    p.status = child.daemonized ? 0 : p.status ?? 0;
    if (p.failed === null && child.notes.some((n) => n.includes("exec fails"))) p.status = 127;
    else if (!child.daemonized) {
      p.status = null;
      p.statusDesc = { yes: `\`${child.argv.join(" ")}\` succeeds`, no: `\`${child.argv.join(" ")}\` fails` };
    }
    return [p];
  }
  if (child.daemonized) {
    p.status = 0;
    return [p];
  }
  let runs = child.longRunning;
  if (child.shell) runs = true;
  if (runs === null) {
    runs = tail;
    child.longRunning = tail;
    child.notes.push(tail ? "unknown program at the end of the script: assumed to be the service that keeps running" : "unknown program in the middle of the script: assumed to finish");
  }
  if (!runs) {
    child.alive = false;
    p.status = null;
    p.statusDesc = { yes: `\`${child.argv.join(" ")}\` succeeds`, no: `\`${child.argv.join(" ")}\` fails` };
    return [p];
  }
  halt(p, "foreground", child, here.line);
  return [p];
}

// ---------------------------------------------------------------------------------------------------
// Variables and expansion

function lookupVar(s: Sh, name: string): Word | null | undefined {
  return s.vars.get(name);
}

function setVar(s: Sh, name: string, v: Word) {
  s.vars.set(name, norm(v));
}

const SPECIAL_UNKNOWN: Record<string, string> = { "?": "$?", "$": "$$", "-": "$-" };

/** The value of a parameter: a word, null when unset. */
function param(w: World, p: Path, name: string): Word | null {
  const s = sh(p);
  if (name === "@" || name === "*") return s.positional.length ? s.positional.reduce((a, b, i) => (i ? concat(concat(a, lit(" ")), b) : b), [] as Word) : null;
  if (name === "#") return lit(String(s.positional.length));
  if (name === "0") return s.arg0;
  if (/^[1-9][0-9]*$/.test(name)) return s.positional[Number(name) - 1] ?? null;
  if (name === "!") return s.lastBg ? lit(`<pid:${basenameOf(s.lastBg.argv[0] ?? "?").replace(/\s/g, "_")}#${s.lastBg.id}>`) : null;
  if (name === "BASH_SOURCE") return s.cMode !== null ? null : lit(s.file);
  if (name === "FUNCNAME") return s.funcStack.length ? lit(s.funcStack[s.funcStack.length - 1]!) : null;
  if (SPECIAL_UNKNOWN[name]) return unknown(SPECIAL_UNKNOWN[name]!);
  const v = lookupVar(s, name);
  if (v !== undefined) return v;
  if (s.internal.has(name)) return null;
  // Not set by the image, not assigned by the script: only known at run time.
  return unknown(`$${name}`);
}

/** Expands command arguments: parameter expansion, "$@", field splitting of unquoted expansions. */
function expandArgs(w: World, p: Path, words: ShNode[], here: SourceLoc): Word[] {
  const out: Word[] = [];
  for (const word of words) {
    const fields = expandFields(w, p, word, here);
    for (const f of fields) out.push(f);
  }
  return out;
}

function expandFields(w: World, p: Path, word: ShNode, here: SourceLoc): Word[] {
  // Each field is built of pieces; unquoted expansion results split on blanks.
  let fields: Word[] = [[]];
  let started = false;
  const appendText = (part: Word) => {
    fields[fields.length - 1] = concat(fields[fields.length - 1]!, part);
    started = true;
  };
  const appendSplit = (v: Word) => {
    // Split known text on IFS whitespace; unknown parts stay inside their field.
    for (const part of v) {
      if (typeof part !== "string") {
        appendText([part]);
        continue;
      }
      const pieces = part.split(/[ \t\n]+/);
      pieces.forEach((piece, i) => {
        if (i > 0 && (fields[fields.length - 1]!.length || started)) {
          fields.push([]);
          started = false;
        }
        if (piece !== "") appendText(lit(piece));
      });
    }
  };
  for (const part of word.parts ?? []) {
    const t = nodeType(part);
    if (t === "Lit") appendText(lit(part.value));
    else if (t === "SglQuoted") {
      appendText(lit(part.dollar ? ansiC(part.value) : part.value));
      started = true;
    } else if (t === "DblQuoted") {
      const onlyEmptyAt = (part.parts ?? []).length > 0 && (part.parts ?? []).every((q: ShNode) => nodeType(q) === "ParamExp" && q.param === "@" && !q.length && !q.exp) && sh(p).positional.length === 0;
      if (!onlyEmptyAt) started = true;
      for (const q of part.parts ?? []) {
        const qt = nodeType(q);
        if (qt === "ParamExp" && !q.length && !q.excl && !q.exp && !q.slice && !q.repl && !q.index && q.param === "@") {
          // "$@": one field per positional parameter.
          const pos = sh(p).positional;
          if (pos.length === 0) continue;
          pos.forEach((v, i) => {
            if (i > 0) fields.push([]);
            appendText(v);
          });
        } else appendText(expandPart(w, p, q, true));
      }
    } else if (t === "ParamExp") {
      if ((part.param === "@" || part.param === "*") && !part.length && !part.exp) {
        w.issues.push({ kind: "unquoted-args", file: here.file, line: here.line, column: part.col, message: `unquoted $${part.param}`, data: { param: part.param } });
        for (const v of sh(p).positional) {
          appendSplit(v);
          fields.push([]);
          started = false;
        }
        if (!fields[fields.length - 1]!.length) fields.pop();
        if (fields.length === 0) fields = [[]];
        continue;
      }
      const v = expandPart(w, p, part, false);
      appendSplit(v);
    } else appendSplit(expandPart(w, p, part, false));
  }
  return fields.filter((f, i) => f.length > 0 || (started && i === fields.length - 1)).map(norm);
}

/** Expands one word without field splitting (assignments, case subjects, [[ ]] operands). */
function expandOne(w: World, p: Path, word: ShNode): Word {
  const out: Word = [];
  for (const part of word?.parts ?? []) {
    const t = nodeType(part);
    if (t === "Lit") out.push(part.value);
    else if (t === "SglQuoted") out.push(part.dollar ? ansiC(part.value) : part.value);
    else if (t === "DblQuoted") for (const q of part.parts ?? []) out.push(...expandPart(w, p, q, true));
    else out.push(...expandPart(w, p, part, false));
  }
  return norm(out);
}

function expandPattern(w: World, p: Path, word: ShNode): string | null {
  let s = "";
  for (const part of word?.parts ?? []) {
    const t = nodeType(part);
    if (t === "Lit") s += part.value;
    else if (t === "SglQuoted") s += part.value.replace(/[*?[\\]/g, "\\$&");
    else {
      const v = known(t === "DblQuoted" ? norm((part.parts ?? []).flatMap((q: ShNode) => expandPart(w, p, q, true))) : expandPart(w, p, part, false));
      if (v === null) return null;
      s += t === "DblQuoted" ? v.replace(/[*?[\\]/g, "\\$&") : v;
    }
  }
  return s;
}

const ansiC = (s: string) => s.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\'/g, "'").replace(/\\\\/g, "\\");

function expandPart(w: World, p: Path, part: ShNode, quoted: boolean): Word {
  const t = nodeType(part);
  switch (t) {
    case "Lit":
      return lit(part.value);
    case "SglQuoted":
      return lit(part.value);
    case "DblQuoted":
      return norm((part.parts ?? []).flatMap((q: ShNode) => expandPart(w, p, q, true)));
    case "ParamExp":
      return paramExp(w, p, part);
    case "CmdSubst":
      return cmdSubst(w, p, part);
    case "ArithmExp":
      return arith(w, p, part.x);
    default:
      return unknown(`(${t})`);
  }
}

function paramExp(w: World, p: Path, pe: ShNode): Word {
  const name: string = pe.param;
  if (pe.index && name === "FUNCNAME") {
    const s = sh(p);
    const idx = known(expandOne(w, p, { parts: [pe.index] }) ?? []) ?? "";
    const stack = [...s.funcStack].reverse().concat(s.cMode !== null ? [] : ["main"]);
    if (/^\d+$/.test(idx)) return stack[Number(idx)] !== undefined ? lit(stack[Number(idx)]!) : [];
  }
  if (pe.length) {
    if (name === "FUNCNAME") return lit(String(sh(p).funcStack.length + 1));
    if (name === "@" || name === "*") return lit(String(sh(p).positional.length));
    const v = param(w, p, name);
    const k = v ? known(v) : "";
    return k === null ? unknown(`\${#${name}}`) : lit(String(k.length));
  }
  let v = param(w, p, name);
  if (pe.excl) {
    const target = v ? known(v) : null;
    if (target === null) return unknown(`\${!${name}}`);
    v = param(w, p, target);
  }
  if (pe.slice) {
    if (v === null) return [];
    const k = known(v);
    const off = known(arith(w, p, pe.slice.offset));
    const len = pe.slice.length ? known(arith(w, p, pe.slice.length)) : null;
    if (k === null || off === null) return unknown(`\${${name}:…}`);
    let o = Number(off);
    if (o < 0) o = Math.max(0, k.length + o);
    const l = len === null ? undefined : Number(len);
    return lit(k.substr(o, l));
  }
  if (pe.repl) {
    const k = v ? known(v) : "";
    const orig = pe.repl.orig ? known(expandOne(w, p, pe.repl.orig)) : "";
    const with_ = pe.repl.with ? known(expandOne(w, p, pe.repl.with)) : "";
    if (k === null || orig === null || with_ === null) return unknown(`\${${name}/…}`);
    return lit(pe.repl.all ? k.split(orig).join(with_) : k.replace(orig, with_));
  }
  if (pe.exp) {
    const op: number = pe.exp.op;
    const arg = () => (pe.exp.word ? expandOne(w, p, pe.exp.word) : lit(""));
    const isUnset = v === null;
    const isEmpty = v !== null && known(v) === "";
    const vUnknown = v !== null && isUnknown(v) && v.length === 1;
    switch (op) {
      case 71: // :-
      case 70: // -
        if (vUnknown) return concatAlternatives(v!, arg(), op === 71);
        return isUnset || (op === 71 && isEmpty) ? arg() : v!;
      case 75: // :=
      case 74: // =
        if (isUnset || (op === 75 && isEmpty)) {
          const a = arg();
          setVar(sh(p), name, a);
          return a;
        }
        if (vUnknown) return concatAlternatives(v!, arg(), op === 75);
        return v!;
      case 69: // :+
      case 68: // +
        if (vUnknown) return unknown(`\${${name}:+…}`);
        return isUnset || (op === 69 && isEmpty) ? [] : arg();
      case 73: // :?
      case 72: // ?
        return v ?? [];
      case 78: // #
      case 79: // ##
      case 76: // %
      case 77: {
        // %%
        const k = v ? known(v) : "";
        const pat = pe.exp.word ? expandPattern(w, p, pe.exp.word) : "";
        if (k === null || pat === null) return unknown(`\${${name}${op === 78 ? "#" : op === 79 ? "##" : op === 76 ? "%" : "%%"}…}`);
        return lit(trimPattern(k, pat, op));
      }
      case 80:
      case 81:
      case 82:
      case 83: {
        const k = v ? known(v) : "";
        if (k === null) return unknown(`\${${name}^…}`);
        return lit(op <= 81 ? k.toUpperCase() : k.toLowerCase());
      }
    }
  }
  return v ?? [];
}

/** `${DEBUG:-x}` where DEBUG is only known at run time: the value is unknown, described by both. */
function concatAlternatives(v: Word, alt: Word, colon: boolean): Word {
  const name = typeof v[0] !== "string" ? v[0]!.u : show(v);
  return unknown(`${name.startsWith("$") ? "${" + name.slice(1) : "${" + name}${colon ? ":-" : "-"}${show(alt)}}`);
}

/** ${x#p} ${x##p} ${x%p} ${x%%p}: which prefixes (suffixes) match is computed in one pass. */
function trimPattern(s: string, pat: string, op: number): string {
  const w = wildcard(pat, { slash: true });
  if (op === 78 || op === 79) {
    const m = w.prefixes(s);
    if (op === 78) for (let i = 0; i <= s.length; i++) if (m[i]) return s.slice(i); // shortest
    if (op === 79) for (let i = s.length; i >= 0; i--) if (m[i]) return s.slice(i); // longest
    return s;
  }
  const m = w.suffixes(s);
  if (op === 76) for (let i = s.length; i >= 0; i--) if (m[i]) return s.slice(0, i); // shortest
  if (op === 77) for (let i = 0; i <= s.length; i++) if (m[i]) return s.slice(0, i); // longest
  return s;
}

function cmdSubst(w: World, p: Path, cs: ShNode): Word {
  const stmts = cs.stmts ?? [];
  const s = sh(p);
  if (stmts.length === 1 && nodeType(stmts[0].cmd) === "CallExpr") {
    const argv = (stmts[0].cmd.args ?? []).map((a: ShNode) => known(expandOne(w, p, a)));
    if (argv[0] === "id" && (argv[1] === "-u" || argv[1] === "-un" || argv[1] === "-nu")) {
      const user = s.proc.user;
      const numeric = argv[1] === "-u";
      if (user === "root" || user === "0" || user === "" || user.startsWith("0:") || user.startsWith("root:")) return lit(numeric ? "0" : "root");
      if (/^\d+/.test(user)) return lit(numeric ? user.split(":")[0]! : `<user ${user}>`);
      return lit(numeric ? `<uid of ${user}>` : user.split(":")[0]!);
    }
    if (argv[0] === "whoami") {
      const user = s.proc.user;
      return lit(user === "" || user === "0" ? "root" : user.split(":")[0]!);
    }
    if ((argv[0] === "echo" || argv[0] === "printf") && argv.slice(1).every((a: string | null) => a !== null)) return lit(argv.slice(argv[0] === "printf" ? 1 : 1).join(" "));
    if (argv[0] === "dirname" && argv[1]) return lit(argv[1].replace(/\/[^/]*$/, "") || "/");
    if (argv[0] === "basename" && argv[1]) return lit(basenameOf(argv[1]));
  }
  const text = stmts.length ? "$(…)" : "$()";
  return unknown(text);
}

function arith(w: World, p: Path, x: ShNode): Word {
  if (!x) return lit("0");
  const t = nodeType(x);
  if (t === "Word") {
    const v = known(expandOne(w, p, x));
    if (v === null) return unknown("$((…))");
    if (/^-?\d+$/.test(v)) return lit(v);
    if (/^[A-Za-z_]\w*$/.test(v)) {
      const pv = param(w, p, v);
      const k = pv ? known(pv) : "0";
      return k !== null && /^-?\d+$/.test(k) ? lit(k) : unknown("$((…))");
    }
    return unknown("$((…))");
  }
  if (t === "BinaryArithm") {
    const a = known(arith(w, p, x.x));
    const b = known(arith(w, p, x.y));
    if (a === null || b === null) return unknown("$((…))");
    const A = Number(a);
    const B = Number(b);
    const ops: Record<number, (a: number, b: number) => number> = { 68: (a, b) => a + b, 70: (a, b) => a - b, 38: (a, b) => a * b, 85: (a, b) => (b ? Math.trunc(a / b) : 0) };
    const f = ops[x.op];
    return f ? lit(String(f(A, B))) : unknown("$((…))");
  }
  if (t === "ParenArithm") return arith(w, p, x.x);
  return unknown("$((…))");
}

// ---------------------------------------------------------------------------------------------------
// test, [ ], [[ ]]

type Tri = { v: boolean } | { u: { yes: string; no: string } };

function setTestStatus(p: Path, r: Tri) {
  if ("v" in r) {
    p.status = r.v ? 0 : 1;
    p.statusDesc = null;
  } else {
    p.status = null;
    p.statusDesc = r.u;
  }
}

function describe(word: Word): { name: string | null; text: string } {
  if (word.length === 1 && typeof word[0] !== "string" && /^\$[A-Za-z_]\w*$/.test(word[0]!.u)) return { name: word[0]!.u.slice(1), text: word[0]!.u };
  return { name: null, text: `"${show(word)}"` };
}

function emptyTest(x: Word, wantEmpty: boolean): Tri {
  const k = known(x);
  if (k !== null) return { v: (k === "") === wantEmpty };
  // Known non-empty parts make it non-empty whatever the unknown part is.
  if (x.some((part) => typeof part === "string" && part !== "")) return { v: !wantEmpty };
  const d = describe(x);
  const empty = d.name ? `${d.name} is empty or unset` : `${d.text} is empty`;
  const set = d.name ? `${d.name} is set` : `${d.text} is not empty`;
  return { u: wantEmpty ? { yes: empty, no: set } : { yes: set, no: empty } };
}

function compare(a: Word, b: Word, op: string, pattern = false): Tri {
  const ka = known(a);
  const kb = known(b);
  const eq = op === "=" || op === "==";
  if (ka !== null && kb !== null) {
    const same = pattern ? globMatch(kb, ka) : ka === kb;
    if (op === "=" || op === "==") return { v: same };
    if (op === "!=") return { v: !same };
    const na = Number(ka);
    const nb = Number(kb);
    const r: Record<string, boolean> = { "-eq": na === nb, "-ne": na !== nb, "-lt": na < nb, "-le": na <= nb, "-gt": na > nb, "-ge": na >= nb };
    if (op in r && Number.isFinite(na) && Number.isFinite(nb)) return { v: r[op]! };
    return { u: { yes: `${ka} ${op} ${kb}`, no: `not ${ka} ${op} ${kb}` } };
  }
  // A known prefix that already differs decides equality.
  if ((eq || op === "!=") && typeof a[0] === "string" && kb !== null && !pattern && !kb.startsWith(a[0])) return { v: op === "!=" };
  const da = describe(a);
  const text = kb !== null ? `"${kb}"` : `"${show(b)}"`;
  const subject = da.name ?? da.text;
  if (eq) return { u: { yes: `${subject} is ${text}`, no: `${subject} is not ${text}` } };
  if (op === "!=") return { u: { yes: `${subject} is not ${text}`, no: `${subject} is ${text}` } };
  return { u: { yes: `${subject} ${op} ${text}`, no: `not ${subject} ${op} ${text}` } };
}

function fileTest(op: string, x: Word): Tri {
  const path = show(x);
  const what: Record<string, string> = { "-f": "is a file", "-d": "is a directory", "-e": "exists", "-s": "is not empty", "-x": "is executable", "-r": "is readable", "-w": "is writable", "-L": "is a symlink", "-h": "is a symlink", "-p": "is a pipe", "-S": "is a socket", "-t": "is a terminal" };
  const desc = what[op] ?? `passes ${op}`;
  if (op === "-t") return { v: false };
  return { u: { yes: `${path} ${desc}`, no: `${path} does not ${desc.replace(/^is /, "be ").replace(/^exists$/, "exist")}` } };
}

function posixTest(args: Word[]): Tri {
  const k = args.map(known);
  if (args.length === 0) return { v: false };
  if (k[0] === "!" && args.length > 1) return not(posixTest(args.slice(1)));
  const ai = k.indexOf("-a");
  if (ai > 0) return and(posixTest(args.slice(0, ai)), posixTest(args.slice(ai + 1)));
  const oi = k.indexOf("-o");
  if (oi > 0) return or(posixTest(args.slice(0, oi)), posixTest(args.slice(oi + 1)));
  if (args.length === 1) return emptyTest(args[0]!, false);
  if (args.length === 2) {
    if (k[0] === "-z") return emptyTest(args[1]!, true);
    if (k[0] === "-n") return emptyTest(args[1]!, false);
    if (k[0] && /^-[a-zA-Z]$/.test(k[0])) return fileTest(k[0], args[1]!);
  }
  if (args.length === 3 && k[1] !== null && ["=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge"].includes(k[1]!)) return compare(args[0]!, args[2]!, k[1]!);
  return { u: { yes: `[ ${args.map(show).join(" ")} ] is true`, no: `[ ${args.map(show).join(" ")} ] is false` } };
}

function not(r: Tri): Tri {
  return "v" in r ? { v: !r.v } : { u: { yes: r.u.no, no: r.u.yes } };
}
function and(a: Tri, b: Tri): Tri {
  if ("v" in a && !a.v) return a;
  if ("v" in b && !b.v) return b;
  if ("v" in a) return b;
  if ("v" in b) return a;
  return { u: { yes: `${a.u.yes} and ${b.u.yes}`, no: `not (${a.u.yes} and ${b.u.yes})` } };
}
function or(a: Tri, b: Tri): Tri {
  if ("v" in a && a.v) return a;
  if ("v" in b && b.v) return b;
  if ("v" in a) return b;
  if ("v" in b) return a;
  return { u: { yes: `${a.u.yes} or ${b.u.yes}`, no: `neither ${a.u.yes} nor ${b.u.yes}` } };
}

function testExpr(w: World, p: Path, x: ShNode): Tri {
  const t = nodeType(x);
  if (t === "BinaryTest") {
    if (x.op === 10) return and(testExpr(w, p, x.x), testExpr(w, p, x.y));
    if (x.op === 11) return or(testExpr(w, p, x.x), testExpr(w, p, x.y));
    const a = expandOne(w, p, x.x);
    const opName: Record<number, string> = { 40: "==", 74: "=", 41: "!=", 116: "-eq", 117: "-ne", 120: "-lt", 121: "-gt", 118: "-le", 119: "-ge" };
    const op = opName[x.op];
    if (op === "==" || op === "=" || op === "!=") {
      const pat = expandPattern(w, p, x.y);
      return compare(a, pat === null ? unknown("(pattern)") : lit(pat), op, true);
    }
    if (op) return compare(a, expandOne(w, p, x.y), op);
    return { u: { yes: "the [[ ]] test is true", no: "the [[ ]] test is false" } };
  }
  if (t === "UnaryTest") {
    if (x.op === 34) return not(testExpr(w, p, x.x));
    const v = expandOne(w, p, x.x);
    if (x.op === 107) return emptyTest(v, true);
    if (x.op === 108) return emptyTest(v, false);
    const ops: Record<number, string> = { 89: "-f", 88: "-e", 90: "-d", 104: "-x", 102: "-r", 105: "-s", 95: "-L" };
    return fileTest(ops[x.op] ?? "-e", v);
  }
  if (t === "ParenTest") return testExpr(w, p, x.x);
  if (t === "Word") return emptyTest(expandOne(w, p, x), false);
  return { u: { yes: "the [[ ]] test is true", no: "the [[ ]] test is false" } };
}

// ---------------------------------------------------------------------------------------------------
// Trap handlers: what does a handler do when the signal arrives?

export interface HandlerEffect {
  /** Signals it sends, and to which of the shell's processes (null target: unknown). */
  kills: { signal: string; targets: Proc[] | "all" | null; text: string; line: number }[];
  waits: boolean;
  exits: boolean;
}

export function analyzeHandler(w: World, root: Proc, shellProc: Proc, trap: Trap): HandlerEffect {
  const eff: HandlerEffect = { kills: [], waits: false, exits: false };
  const run = shellProc.shell;
  const parsed = parseCached(w, trap.handler, trap.file, run?.kind ?? "bash");
  if (!parsed.file) return eff;
  const funcs = run?.funcs ?? new Map();
  const vars = new Map(run?.vars ?? []); // a copy: for-loops in the handler bind their variable in it
  const visit = (stmts: ShNode[], depth: number) => {
    if (depth > 8) return;
    for (const st of stmts ?? []) {
      const c = st.cmd;
      const t = nodeType(c);
      if (t === "BinaryCmd") {
        visit([c.x, c.y], depth + 1);
        continue;
      }
      if (t === "IfClause") {
        visit(c.cond, depth + 1);
        visit(c.then, depth + 1);
        if (c.else) visit([{ cmd: c.else }], depth + 1); // elif/else: an IfClause without a condition is the else
        continue;
      }
      if (t === "Block" || t === "Subshell") {
        visit(c.stmts, depth + 1);
        continue;
      }
      if (t === "ForClause" && nodeType(c.loop) === "WordIter" && c.loop.items?.length) {
        // for p in $pid $pid2; do kill "$p"; done: walk the body once per item, with the variable bound
        const name: string = c.loop.name;
        const saved = vars.get(name);
        for (const item of c.loop.items) {
          for (const v of wordText(item, vars).split(/\s+/).filter(Boolean)) {
            vars.set(name, lit(v));
            visit(c.do ?? [], depth + 1);
          }
        }
        if (saved === undefined) vars.delete(name);
        else vars.set(name, saved);
        continue;
      }
      if (t === "WhileClause" || t === "ForClause") {
        visit([...(c.cond ?? []), ...(c.do ?? [])], depth + 1);
        continue;
      }
      if (t === "CaseClause") {
        for (const item of c.items ?? []) visit(item.stmts, depth + 1);
        continue;
      }
      if (t !== "CallExpr" || !c.args?.length) continue;
      const words: string[] = c.args.map((a: ShNode) => wordText(a, vars));
      const cmd = words[0]!;
      if (funcs.has(cmd)) {
        visit([funcs.get(cmd)], depth + 1);
        continue;
      }
      const line = trap.line;
      if (cmd === "kill" || cmd === "pkill" || cmd === "killall") {
        let signal = "SIGTERM";
        const targets: string[] = [];
        for (let i = 1; i < words.length; i++) {
          const a = words[i]!;
          if (a === "-s" || a === "-n") {
            signal = normSig(words[++i] ?? "TERM");
            continue;
          }
          if (/^-[A-Za-z]+\d*$|^-\d+$/.test(a) && !targets.length) {
            signal = normSig(a.slice(1));
            continue;
          }
          if (a === "--") continue;
          targets.push(a);
        }
        const procs = allProcs(root).filter((q) => q.alive && q !== shellProc);
        let resolved: Proc[] | "all" | null = null;
        if (cmd === "kill") {
          if (targets.some((t) => t === "0" || t === "-1" || /^-<pid/.test(t) || t === "-$$")) resolved = "all";
          else {
            const ids = targets.map((t) => /#(\d+)>/.exec(t)?.[1]).filter((x): x is string => !!x).map(Number);
            resolved = ids.length ? procs.filter((q) => ids.includes(q.id) || (q.forkedFrom !== undefined && ids.includes(q.forkedFrom))) : null;
          }
        } else {
          const names = targets.filter((t) => !t.startsWith("-"));
          resolved = procs.filter((q) => names.some((n) => basenameOf(q.argv[0] ?? "") === n || q.argv.some((a) => basenameOf(a) === n)));
        }
        eff.kills.push({ signal, targets: resolved, text: words.join(" "), line });
      } else if (cmd === "wait") eff.waits = true;
      else if (cmd === "exit") eff.exits = true;
      else if (cmd === "exec") eff.exits = true;
    }
  };
  visit(parsed.file.stmts, 0);
  return eff;
}

function wordText(word: ShNode, vars: Map<string, Word | null>): string {
  let s = "";
  const part = (q: ShNode) => {
    const t = nodeType(q);
    if (t === "Lit" || t === "SglQuoted") s += q.value;
    else if (t === "DblQuoted") (q.parts ?? []).forEach(part);
    else if (t === "ParamExp") {
      const v = vars.get(q.param);
      s += v ? show(v) : q.param === "$" ? "-$$" : `$${q.param}`;
    } else s += "?";
  };
  (word.parts ?? []).forEach(part);
  return s;
}

const normSig = (s: string): string => normalizeSignal(s) ?? `SIG${s.toUpperCase().replace(/^SIG/, "")}`;

export { allProcs };
