// A shell process: its options, -c string or script file, the parse of the text, and the end of the
// shell (steady state, exec, or exit).
import { become, resolveScriptOperand } from "../exec/become.js";
import { bare } from "../names.js";
import { findProgram } from "../programs.js";
import { type ShNode, type ShellKind, nodeType, parseScript } from "../syntax/parse.js";
import type { SourceLoc } from "../types.js";
import { type Word, known, lit, show } from "../values.js";
import { type Path, type Proc, type Sh, type ShellFlags, type ShellRunner, type World, Exported, Vars, findProc, noteTruncated, sh } from "../world.js";
import { lookupVar } from "./variables.js";
import { execList } from "./statements.js";

export function runShell(w: World, p: Path, proc: Proc, kind: ShellKind, argv0: string, args: Word[], source: SourceLoc | null): Path[] {
  proc.shellKind = kind;
  proc.role = "shell";
  proc.program = findProgram(bare(argv0));
  const kargs = args.map(known);
  let i = 0;
  let cString: Word | null = null;
  const flags: ShellFlags = {};
  while (i < args.length) {
    const a = kargs[i];
    if (a === null || a === undefined) break;
    if (a === "--") {
      i++;
      break;
    }
    if (!/^[-+][a-zA-Z]+$/.test(a)) break;
    // An option cluster (-e, -eo pipefail, +o errexit, -ec): each o takes the next word as an option name;
    // -c makes the first word after the options the command string.
    const on = a.startsWith("-");
    let names = 0;
    let isC = false;
    for (const ch of a.slice(1)) {
      if (ch === "e") flags.errexit = on;
      else if (ch === "o") {
        if (kargs[i + 1 + names] === "errexit") flags.errexit = on;
        names++;
      } else if (ch === "c" && on) isC = true;
    }
    i += 1 + names;
    if (isC) {
      cString = args[i] ?? lit("");
      i++;
      break;
    }
  }
  if (cString !== null) {
    const text = known(cString);
    const rest = args.slice(i);
    if (text === null) {
      proc.longRunning = null;
      proc.notes.push("the command string is only known at run time");
      return [p];
    }
    return interpretText(w, p, proc, kind, text, source?.file ?? w.model.file, rest[0] ?? lit(argv0), rest.slice(1), source, { cMode: true, flags });
  }
  const script = args[i];
  if (!script && w.stdin && !proc.background) {
    // No script and no -c, and the container's stdin stays open (docker run -t / -i, Compose tty: /
    // stdin_open:, Kubernetes tty: / stdin:): the shell waits for commands (measured on the engine: bare
    // bash and dash keep running with -t, -i or -it; docs/deployments.md).
    proc.readsStdin = w.stdin;
    proc.longRunning = true;
    proc.notes.push(w.stdin === "tty"
      ? `${argv0} with no script reads its commands from the terminal (tty): an interactive shell, it waits for input`
      : `${argv0} with no script reads its commands from standard input, which is kept open (stdin_open / -i): it waits for input`);
    return [p];
  }
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
  return runScriptFile(w, p, proc, kind, [lit(argv0), ...args.slice(0, i), ...args.slice(i)], scriptPath, args.slice(i + 1), source, flags);
}

export function runScriptFile(
  w: World, p: Path, proc: Proc, kind: ShellKind, fullArgv: Word[], scriptPath: string, args: Word[], source: SourceLoc | null, flags: ShellFlags = {},
): Path[] {
  proc.shellKind = kind;
  proc.role = "shell";
  proc.argv = fullArgv.map(show);
  const r = resolveScriptOperand(w, p, scriptPath, kind, proc);
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
    noteTruncated(w, `${scriptPath} could not be read (larger than the bound on files read, or unreadable): what it runs is not known`, p, source?.line ?? 0);
    return [p];
  }
  return interpretText(w, p, proc, kind, text, r.imagePath, lit(scriptPath), args, source, { cMode: false, flags });
}

function interpretText(
  w: World, p: Path, proc: Proc, kind: ShellKind, text: string, file: string, arg0: Word, args: Word[],
  source: SourceLoc | null, opts: { cMode: boolean; flags: ShellFlags },
): Path[] {
  const parent = sh(p);
  if (parent.depth >= w.limits.maxDepth) {
    noteTruncated(w, `scripts nest deeper than ${w.limits.maxDepth} levels (exec, sh -c, source)`, p, source?.line ?? 0);
    proc.notes.push("analysis cut short: nesting too deep");
    // what this shell would run is not followed: not a shell that ends on the signal, a process not known
    if (!proc.shell) {
      proc.shellKind = null;
      proc.role = "unknown";
      proc.program = null;
      proc.longRunning = null;
    }
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
    w.issues.push({ kind: "parse-error", file, line: e.line, column: e.column, error: e.message, ...(kind === "zsh" ? { partial: kind } : {}) });
    proc.longRunning = null;
    proc.notes.push(kind === "zsh" ? `the script could not be parsed as ${kind} (${e.message}): what it does is not known` : `the script does not parse (${e.message})`);
    return [p];
  }
  if (parsed.tooDeep) noteTruncated(w, `${file} nests deeper than the analyzer follows (400 levels); the deepest parts were skipped`, p, 1);
  if (parsed.bashismIn && (kind === "dash" || kind === "sh-unknown"))
    w.issues.push({ kind: "bashism", file, line: parsed.bashismIn.line, shell: kind, construct: "syntax", detail: parsed.bashismIn.message });
  if (kind === "sh-unknown") w.issues.push({ kind: "unknown-sh", file, line: 1 });
  // The new shell: exported variables only, new positional parameters, no functions, no traps.
  const vars = new Vars();
  for (const k of parent.exported) {
    const v = lookupVar(parent, k);
    if (v !== undefined && v !== null) vars.set(k, v);
  }
  const s: Sh = {
    proc, kind, file, vars, exported: new Exported(vars.keys()), internal: scanAssigned(parsed.file), positional: args,
    arg0, funcs: new Map(), funcStack: [], locals: [], traps: new Map(), lastBg: null,
    cMode: opts.cMode ? text : null, subshell: null, depth: parent.depth + 1, lineOffset: opts.cMode ? Math.max(0, (source?.line ?? 1) - 1) : 0,
    errexit: opts.flags.errexit === true, condDepth: 0,
  };
  proc.shellKind = kind;
  proc.role = "shell";
  p.stack.push(s);
  // Each path finishes its own copy of the shell process (a fork cloned it): never the object of another path.
  const out = execList(w, [p], parsed.file.stmts, true).flatMap((q) => finishShell(w, q, findProc(q, proc.id)!));
  return out;
}

export function parseCached(w: World, text: string, file: string, kind: ShellKind) {
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
export function finishShell(w: World, p: Path, proc: Proc): Path[] {
  p.stack.pop();
  if (!p.halted) {
    // The end of the script or `exit`: the shell process exits.
    proc.alive = false;
    proc.shell = null;
  }
  // A halted shell keeps what halt() recorded: the variables, functions and traps of the frame that halted.
  // (An outer frame of the same process, one that exec'd a new pass of the script, must not overwrite them:
  // exec resets the traps, and the new pass sets its own.)
  p.halted = false;
  if (p.flow === "exit" || p.flow === "return") p.flow = null;
  return [p];
}

/** The shell interpreter as exec/ calls it (see ShellRunner in world.ts). */
export const shellRunner: ShellRunner = { runShell, runScriptFile };
