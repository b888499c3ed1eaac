// The shell's builtins, as a table: name -> what it does to the path (variables, positional parameters,
// traps, control flow, the exit status). A builtin that is not in the table is an external command.
import { normalizeSignal } from "@audit-image/dockerfile";
import type { ShNode } from "../syntax/parse.js";
import type { SourceLoc } from "../types.js";
import { type Part, type Word, known, lit, norm, show, unknown } from "../values.js";
import { type Path, type Sh, type World, noteTruncated, sh } from "../world.js";
import { doExec, halt, runExternal } from "./commands.js";
import { setVar } from "./expand.js";
import { parseCached } from "./run.js";
import { execList } from "./statements.js";
import { posixTest, setTestStatus } from "./test.js";

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
const TOOL_BUILTINS = [":", "true", "echo", "printf", "cd", "umask", "ulimit", "hash", "alias", "unalias", "type", "getopts", "pwd", "times", "shopt", "mapfile", "readarray", "builtin", "caller", "enable", "help", "history", "jobs", "disown", "suspend", "bind", "complete", "dirs", "pushd", "popd", "logout", "fc", "fg", "bg"];

function builtinExec({ w, p, s, args, here }: BuiltinCall): Path[] {
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
  if (rest.length === 0) return ok(p);
  const out = doExec(w, p, rest, here);
  const was = known(rest[0]!);
  if (shownAs !== null)
    for (const q of out) {
      const qp = q.index.get(s.proc.id);
      if (qp?.alive && qp.argv[0] === was) qp.argv[0] = shownAs;
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
  ["unset", ({ p, s, kargs }) => {
    for (const a of kargs) if (a && !a.startsWith("-")) s.vars.set(a, null);
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
  ["test", ({ p, args }) => {
    setTestStatus(p, posixTest(args));
    return [p];
  }],
  ["[", ({ p, args }) => {
    setTestStatus(p, posixTest(args.slice(0, -1)));
    return [p];
  }],
  ["read", ({ p, s, kargs }) => {
    for (const a of kargs) if (a && !a.startsWith("-")) s.vars.set(a, unknown(`(input read into ${a})`));
    p.status = null;
    p.statusDesc = { yes: "read gets a line", no: "read reaches the end of its input" };
    return [p];
  }],
  ["command", builtinCommand],
  ["kill", ({ p }) => ok(p)],
  ...TOOL_BUILTINS.map((n): [string, Builtin] => [n, ({ p }) => ok(p)]),
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
    w.issues.push({ kind: "parse-error", file: r.imagePath, line: parsed.error!.line, column: parsed.error!.column, error: parsed.error!.message });
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
