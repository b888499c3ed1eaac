// The shell's builtins, as a table: name -> what it does to the path (variables, positional parameters,
// traps, control flow, the exit status). A builtin that is not in the table is an external command.
import { cleanAbs, joinAbs, normalizeSignal } from "@audit-image/dockerfile";
import type { ShNode } from "../syntax/parse.js";
import type { SourceLoc } from "../types.js";
import { type Part, type Word, known, lit, norm, show, unknown } from "../values.js";
import { type Path, type Proc, type Sh, type World, clonePath, noteTruncated, sh } from "../world.js";
import { DEFAULT_IGNORED, signalAction } from "../programs.js";
import { doExec, halt, runExternal } from "./commands.js";
import { setVar, unsetVar } from "./variables.js";
import { parseCached } from "./run.js";
import { background, execList } from "./statements.js";
import { posixTest, setTestStatus } from "./test.js";
import { imageFileOracle } from "./image-files.js";

/** One call of a builtin: the expanded words, and where it stands. */
export interface BuiltinCall {
  w: World;
  p: Path;
  s: Sh;
  name: string;
  /** The whole command line, the builtin's name first. */
  argv: Word[];
  args: Word[];
  /** `args` as text, null where a word is only known at run time. */
  kargs: (string | null)[];
  here: SourceLoc;
  stmt: ShNode;
  /** The statement is the last of the script (or -c string). */
  tail: boolean;
}

type Builtin = (c: BuiltinCall) => Path[];

const ok = (p: Path): Path[] => {
  p.status = 0;
  return [p];
};

/** Builtins that change nothing the interpreter follows: they succeed. */
const TOOL_BUILTINS = [":", "true", "echo", "printf", "umask", "ulimit", "hash", "alias", "unalias", "type", "getopts", "pwd", "times", "shopt", "mapfile", "readarray", "builtin", "caller", "enable", "help", "history", "jobs", "disown", "suspend", "bind", "complete", "dirs", "pushd", "popd", "logout", "fc", "fg", "bg"];

/**
 * `cd DIR`: later relative paths (`./run.sh`, `sh run.sh`) start there. A directory only known at run
 * time (`cd "$APP_DIR"` unset, `cd -`) makes the working directory unknown; `cd` alone goes to $HOME.
 * Whether the directory exists is not checked: the run the image exists for is one where its setup works.
 */
function builtinCd({ w, p, s, args }: BuiltinCall): Path[] {
  const ops = args.filter((a) => !/^-[LPe@]+$/.test(known(a) ?? ""));
  const cur = s.proc.cwd === undefined ? w.model.config?.workingDir.value ?? "/" : s.proc.cwd;
  let dir: string | null;
  if (ops.length === 0) {
    const home = s.vars.get("HOME");
    dir = home ? known(home) : null;
  } else {
    const a = known(ops[0]!);
    if (a === null || a === "-" || a === "") dir = null;
    else if (a.startsWith("/")) dir = cleanAbs(a);
    else dir = cur === null ? null : joinAbs(cur, a);
  }
  s.proc.cwd = dir;
  return ok(p);
}

/**
 * `exec > >(tee -a log) 2>&1`: the shell forks a child for the process substitution, which reads what the
 * shell (and whatever it execs later) writes, so it runs as long as they do (measured with bash and zsh:
 * control-flow.ns.test.ts, "a process substitution in a redirection"). When they exit it reads end of file
 * and exits too, before the kernel's SIGKILL (measured on the engine with real redis and cat, kernel trace:
 * fixture sh-exec-process-substitution).
 * A `<(…)` writer ends by itself.
 */
function procSubstReaders(w: World, p: Path, stmt: ShNode): Path[] {
  let paths = [p];
  for (const ps of stmt.procSubsts as ShNode[]) {
    if (!ps.writes || !ps.stmts.length) continue;
    const body: ShNode = ps.stmts.length === 1 ? { ...ps.stmts[0], background: true } : { type: "Stmt", line: stmt.line, col: stmt.col, cmd: { type: "Block", stmts: ps.stmts }, negated: false, background: true, redirs: 0 };
    paths = paths.flatMap((q) => {
      const before = new Set(sh(q).proc.children.map((c) => c.id));
      return background(w, q, body).map((r) => {
        for (const c of sh(r).proc.children) {
          if (before.has(c.id)) continue;
          c.alive = true;
          c.longRunning = true;
          c.outputReader = true;
          c.role = c.shell || c.shellKind ? c.role : "helper";
          c.notes.push("process substitution >( … ): reads what the shell writes, for as long as it (or what it execs) keeps that output open");
        }
        return r;
      });
    });
  }
  for (const q of paths) q.status = 0;
  return paths;
}

function builtinExec({ w, p, s, args, here, stmt }: BuiltinCall): Path[] {
  // exec with only redirections changes nothing about the process.
  let rest = args;
  // dash's exec has no options: `exec -a NAME cmd` looks for a command named -a, does not find it, and the shell
  // exits 127 (measured, inits.ns.test.ts "exec -a").
  if (s.kind === "dash" && rest.length && /^-./.test(known(rest[0]!) ?? "")) {
    s.proc.notes.push(`dash's exec takes no options: \`exec ${known(rest[0]!)}\` looks for a command named ${known(rest[0]!)}, which is not found, and the shell exits 127`);
    p.flow = "exit";
    p.status = 127;
    p.exitCode = 127;
    return [p];
  }
  let shownAs: string | null = null;
  while (rest.length && /^-[cla]+$/.test(known(rest[0]!) ?? "")) {
    // -a NAME: the program runs with argv[0] = NAME (bash, mksh, zsh: measured); nothing else changes.
    if (known(rest[0]!)!.includes("a")) shownAs = rest[1] ? known(rest[1]) : null;
    rest = rest.slice(known(rest[0]!)!.includes("a") ? 2 : 1);
  }
  // `exec -- cmd`: bash, BusyBox ash, mksh and zsh take -- as the end of exec's options (dash fails above;
  // measured: control-flow.test.ts, "exec --").
  if (rest.length && known(rest[0]!) === "--") {
    rest = rest.slice(1);
  }
  if (rest.length === 0) return stmt.procSubsts?.length ? procSubstReaders(w, p, stmt) : ok(p);
  const out = doExec(w, p, rest, here);
  const was = known(rest[0]!);
  if (shownAs !== null)
    for (const q of out) {
      const qp = q.index.get(s.proc.id);
      if (qp?.alive && qp.argv[0] === was) qp.argv = [shownAs, ...qp.argv.slice(1)];
    }
  return out;
}

function builtinShift({ p, s, kargs }: BuiltinCall): Path[] {
  const n = kargs[0] ? Number(kargs[0]) : 1;
  if (Number.isFinite(n)) s.positional = s.positional.slice(n);
  return ok(p);
}

/** export, readonly, local, declare, typeset with words (the DeclClause form is compound.ts's declClause). */
function builtinDeclare({ p, s, name, argv, args, kargs }: BuiltinCall): Path[] {
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
  return ok(p);
}

function builtinEval({ w, p, s, args, here, tail }: BuiltinCall): Path[] {
  // eval joins its arguments with spaces and runs the text. A value only known at run time goes in as a
  // variable that holds it (`eval exec "$cmd"` runs `exec ${__eval_1}`: a program only known at run time),
  // provided the text names its command before it and the value is not inside single quotes.
  const joined = norm(args.flatMap((a, i) => (i ? [" ", ...a] : a)));
  const held: string[] = [];
  let text = "";
  for (const part of joined) {
    if (typeof part === "string") text += part;
    else if (!/\S/.test(text) || quoteState(text) === "'") {
      p.status = null;
      p.statusDesc = { yes: "the eval'd command succeeds", no: "the eval'd command fails", assumeSuccess: true };
      return [p];
    } else {
      const name = `__eval_${held.length + 1}`;
      held.push(name);
      s.vars.set(name, [part]);
      text += `\${${name}}`;
    }
  }
  if (s.depth >= w.limits.maxDepth) {
    noteTruncated(w, `eval nests deeper than ${w.limits.maxDepth} levels`, p, here.line);
    p.status = null;
    return [p];
  }
  const parsed = parseCached(w, text, s.file, s.kind);
  if (!parsed.file) return [p];
  s.depth++;
  const out = execList(w, [p], parsed.file.stmts, tail);
  for (const q of out) {
    sh(q).depth--;
    for (const name of held) sh(q).vars.delete(name);
  }
  return out;
}

/** Whether the end of shell text is inside single or double quotes (or neither: null). */
function quoteState(text: string): "'" | '"' | null {
  let q: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q === "'") {
      if (c === "'") q = null;
    } else if (c === "\\") i++;
    else if (c === '"') q = q ? null : '"';
    else if (c === "'" && !q) q = "'";
  }
  return q;
}

function builtinCommand(c: BuiltinCall): Path[] {
  const { w, p, args, kargs, stmt, tail } = c;
  if (kargs[0] === "-v" || kargs[0] === "-V") {
    p.status = null;
    p.statusDesc = { yes: `${show(args[1] ?? lit("?"))} is available`, no: `${show(args[1] ?? lit("?"))} is not available` };
    return [p];
  }
  return runExternal(w, p, args, stmt, tail);
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ["exec", builtinExec],
  ["set", ({ p, args, kargs }) => builtinSet(p, args, kargs)],
  ["shift", builtinShift],
  ...["export", "readonly", "local", "declare", "typeset"].map((n): [string, Builtin] => [n, builtinDeclare]),
  ["unset", ({ w, p, kargs }) => {
    for (const a of kargs) if (a && !a.startsWith("-")) unsetVar(w, p, a);
    return ok(p);
  }],
  ["trap", ({ w, p, args, kargs, here }) => builtinTrap(w, p, args, kargs, here)],
  ["wait", ({ w, p, kargs, here }) => builtinWait(w, p, kargs, here)],
  ["exit", ({ p, kargs }) => {
    p.flow = "exit";
    p.exitCode = kargs[0] !== undefined && kargs[0] !== null && /^\d+$/.test(kargs[0]) ? Number(kargs[0]) : p.status;
    return [p];
  }],
  ["return", ({ p, kargs }) => {
    p.flow = "return";
    if (kargs[0] && /^\d+$/.test(kargs[0])) p.status = Number(kargs[0]);
    return [p];
  }],
  ["break", ({ p }) => {
    p.flow = "break";
    return [p];
  }],
  ["continue", ({ p }) => {
    p.flow = "continue";
    return [p];
  }],
  ["false", ({ p }) => {
    p.status = 1;
    return [p];
  }],
  ...[".", "source"].map((n): [string, Builtin] => [n, ({ w, p, args, here }) => builtinSource(w, p, args, here)]),
  ["eval", builtinEval],
  ["test", ({ w, p, args }) => {
    setTestStatus(p, posixTest(args, imageFileOracle(w, p)));
    return [p];
  }],
  ["[", ({ w, p, args }) => {
    setTestStatus(p, posixTest(args.slice(0, -1), imageFileOracle(w, p)));
    return [p];
  }],
  ["read", ({ p, s, kargs }) => {
    for (const a of kargs) if (a && !a.startsWith("-")) s.vars.set(a, unknown(`(input read into ${a})`));
    p.status = null;
    p.statusDesc = { yes: "read gets a line", no: "read reaches the end of its input" };
    return [p];
  }],
  ["command", builtinCommand],
  ["kill", builtinKill],
  ...TOOL_BUILTINS.map((n): [string, Builtin] => [n, ({ p }) => ok(p)]),
  ["cd", builtinCd],
]);

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

function builtinSet(p: Path, args: Word[], kargs: (string | null)[]): Path[] {
  const s = sh(p);
  for (let i = 0; i < args.length; i++) {
    const a = kargs[i];
    if (a === "--") {
      s.positional = args.slice(i + 1);
      break;
    }
    if (a !== null && a !== undefined && /^[-+][A-Za-z]+$/.test(a)) {
      if (a.includes("e")) s.errexit = a.startsWith("-");
      if (a.includes("o")) {
        // -o NAME, -Eeo pipefail: the option name follows
        if (kargs[i + 1] === "errexit") s.errexit = a.startsWith("-");
        i++;
      }
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
      w.issues.push({ kind: "bad-trap-name", file: s.file, line: here.line, name: raw });
      continue;
    }
    const full = upper === "0" || PSEUDO_SIGNALS.has(upper) ? (upper === "0" ? "EXIT" : upper) : normalizeSignal(upper);
    if (full === null) continue;
    if (handler === "-" || handler === null) s.traps.delete(full);
    else s.traps.set(full, { handler, file: s.file, line: here.line });
  }
  return [p];
}

/** The background jobs a word names, as `$!` expands (`<pid:name#id>`); a daemon's forked copy goes with it. */
function jobsNamed(p: Path, word: string): Proc[] {
  const id = /#(\d+)>$/.exec(word)?.[1];
  if (id === undefined) return [];
  const n = Number(id);
  return [...p.index.values()].filter((q) => q.id === n || q.forkedFrom === n);
}

/** Does a process that is not PID 1 end on this signal? (Unknown programs are taken to.) */
function endsOn(q: Proc, sig: string): boolean {
  if (q.shell) {
    const trap = q.shell.traps.get(sig);
    if (trap) return false; // its handler runs; what it does is the handler's
    return !DEFAULT_IGNORED.has(sig);
  }
  if (!q.program) return true;
  const act = signalAction(q.program, sig, false);
  if (act === null) return !DEFAULT_IGNORED.has(sig);
  return act === "graceful-stop" || act === "fast-stop" || (act === "forward" && q.program.exitsWithChild === true);
}

/**
 * kill [-s SIG | -SIG] pid…: the jobs it names (`$!`, or 0 for every job of the shell) end when the signal
 * stops them; `kill -0` only asks whether they live. A target known only at run time changes nothing.
 */
function builtinKill({ p, s, kargs, here }: BuiltinCall): Path[] {
  let sig = "SIGTERM";
  const targets: (string | null)[] = [];
  for (let i = 0; i < kargs.length; i++) {
    const a = kargs[i] ?? null;
    if (a !== null && targets.length === 0 && (a === "-s" || a === "-n")) sig = normalizeSignal(kargs[++i] ?? "") ?? sig;
    else if (a !== null && targets.length === 0 && a === "-l") return ok(p);
    else if (a !== null && targets.length === 0 && /^-(\d+|[A-Za-z][A-Za-z0-9+-]*)$/.test(a)) sig = a === "-0" ? "0" : normalizeSignal(a.slice(1)) ?? sig;
    else if (a !== "--") targets.push(a);
  }
  if (sig === "0") {
    p.status = null;
    p.statusDesc = { yes: "the process is alive", no: "the process is gone" };
    return [p];
  }
  const procs = targets.flatMap((t) => (t === "0" ? s.proc.children.filter((c) => c.alive && c.background) : t === null ? [] : jobsNamed(p, t)));
  for (const q of procs) {
    if (!q.alive || q === p.root || !endsOn(q, sig)) continue;
    q.alive = false;
    q.notes.push(`ended by \`kill\` with ${sig} (${here.file}:${here.line})`);
  }
  return ok(p);
}

function builtinWait(w: World, p: Path, kargs: (string | null)[], here: SourceLoc): Path[] {
  const s = sh(p);
  let running = s.proc.children.filter((c) => c.alive && c.background && (c.longRunning !== false || c.shell));
  // `wait $pid`: only that job (when every operand names one we know; otherwise every job, as before).
  const operands = kargs.filter((a) => a === null || !a.startsWith("-"));
  const named = operands.every((a) => a !== null && /#\d+>$/.test(a)) ? operands.flatMap((a) => jobsNamed(p, a!)) : null;
  if (named && operands.length) running = running.filter((c) => named.includes(c));
  if (running.length === 0) {
    p.status = 0;
    return [p];
  }
  const resume = resumeAfterTrap(w, p, here);
  halt(p, "wait", null, here.line);
  return resume ? [p, resume] : [p];
}

/**
 * A trapped signal interrupts `wait`: the handler runs, `wait` returns (128 + the signal's number) and the
 * script goes on. That continuation is followed as a path of its own, marked `resumeOf`, so that what the
 * script does next (wait again, run to its end, exec) is known when the stop is simulated. One level only:
 * a continuation does not fork another.
 */
function resumeAfterTrap(w: World, p: Path, here: SourceLoc): Path | null {
  const s = sh(p);
  if (p.resumeOf) return null;
  const trapped = [...s.traps].filter(([sig, t]) => t.handler !== "" && !PSEUDO_SIGNALS.has(sig)).map(([sig]) => sig);
  if (!trapped.length) return null;
  const c = clonePath(w, p);
  c.resumeOf = { proc: s.proc.id, line: here.line };
  c.status = trapped.length === 1 && trapped[0] === "SIGTERM" ? 143 : null;
  c.statusDesc = c.status === null ? { yes: "wait succeeds", no: "wait was interrupted by a signal" } : null;
  return c;
}

function builtinSource(w: World, p: Path, args: Word[], here: SourceLoc): Path[] {
  const s = sh(p);
  const file = args[0] ? known(args[0]) : null;
  if (file === null) {
    w.issues.push({ kind: "source-missing", file: s.file, line: here.line, source: args[0] ? show(args[0]) : "?", reason: "run-time" });
    return [p];
  }
  const r = w.model.resolve(file.includes("/") ? file : "./" + file, {});
  if (r.kind !== "context") {
    w.issues.push({ kind: "source-missing", file: s.file, line: here.line, source: file, reason: "not-in-context" });
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
    w.issues.push({ kind: "parse-error", file: r.imagePath, line: parsed.error!.line, column: parsed.error!.column, error: parsed.error!.message, ...(s.kind === "zsh" ? { partial: s.kind } : {}) });
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
