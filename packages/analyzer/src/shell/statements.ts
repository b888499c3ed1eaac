// Statements: lists, `&`, subshells, `&&`/`||` and pipelines; compound commands are in compound.ts,
// simple commands in commands.ts.
import { append } from "@audit-image/dockerfile";
import { become } from "../exec/become.js";
import { type ShNode, nodeType } from "../syntax/parse.js";
import type { SourceLoc } from "../types.js";
import { known } from "../values.js";
import { type Path, type Proc, type Sh, type World, Exported, Vars, attach, dedupe, findProc, newProc, noteTruncated, sh, stepOver } from "../world.js";
import { callExpr, foreground } from "./commands.js";
import { caseClause, declClause, forClause, forkOnStatus, ifClause, whileClause } from "./compound.js";
import { expandArgs } from "./expand.js";
import { arith } from "./arith.js";
import { finishShell } from "./run.js";
import { setTestStatus, testExpr } from "./test.js";

export function execList(w: World, paths: Path[], stmts: ShNode[], tail: boolean): Path[] {
  const list: ShNode[] = stmts ? [...stmts] : [];
  let cur = paths;
  for (let i = 0; i < list.length; i++) {
    const isTail = tail && i === list.length - 1;
    const next: Path[] = [];
    for (const p of cur) {
      if (p.halted || p.flow) next.push(p);
      else append(next, execStmt(w, p, list[i], isTail));
    }
    cur = dedupe(w, next, i === list.length - 1);
  }
  return cur;
}

export function loc(p: Path, node: ShNode): SourceLoc {
  const s = sh(p);
  return { file: s.file, line: node?.line ? node.line + s.lineOffset : 0, column: node?.col ?? 0 };
}

function execStmt(w: World, p: Path, stmt: ShNode, tail: boolean): Path[] {
  w.line = stmt?.line ? stmt.line + sh(p).lineOffset : 0;
  const over = stepOver(w);
  if (over) {
    noteTruncated(w, over, p, loc(p, stmt).line);
    p.flow = "exit";
    p.halted = true;
    p.cut = true;
    return [p];
  }
  if (stmt.background) return background(w, p, stmt);
  if (stmt.negated) {
    // `! cmd`: a condition (errexit is off inside it), and the status is inverted.
    const out = inCondition(p, (q) => execCmd(w, q, stmt.cmd, stmt, false));
    for (const q of out) {
      if (q.status !== null) q.status = q.status === 0 ? 1 : 0;
      else if (q.statusDesc) q.statusDesc = { yes: q.statusDesc.no, no: q.statusDesc.yes };
    }
    return out;
  }
  const out = execCmd(w, p, stmt.cmd, stmt, tail);
  return triggersErrexit(stmt.cmd) ? out.flatMap((q) => errexit(w, q)) : out;
}

/** Runs a condition: errexit does not apply inside it (POSIX: if/while/until conditions, the left of && and ||, `!`). */
export function inCondition(p: Path, run: (p: Path) => Path[]): Path[] {
  sh(p).condDepth++;
  const out = run(p);
  for (const q of out) if (q.stack.length) sh(q).condDepth--;
  return out;
}

/**
 * The commands whose failure ends a shell under set -e: simple commands, pipelines, subshells, tests. Not
 * compound commands (a failing command inside them triggers it), nor an && / || list (its last command does).
 */
function triggersErrexit(cmd: ShNode): boolean {
  const t = nodeType(cmd);
  if (t === "BinaryCmd") return cmd.op === 12 || cmd.op === 13;
  return t === "CallExpr" || t === "Subshell" || t === "TestClause" || t === "ArithmCmd";
}

/**
 * set -e: after a command that failed, the shell exits with its status. A status known only at run time
 * forks the path when it is a test of a run-time value; a command that ran is taken to succeed
 * (statusDesc.assumeSuccess), which is the run the image exists for.
 */
function errexit(w: World, q: Path): Path[] {
  if (q.halted || q.flow || !q.stack.length) return [q];
  const s = sh(q);
  if (!s.errexit || s.condDepth > 0) return [q];
  if (q.status === 0) return [q];
  if (q.status === null && (q.statusDesc === null || q.statusDesc.assumeSuccess)) return [q];
  if (q.status !== null) {
    q.flow = "exit";
    q.exitCode = q.status;
    return [q];
  }
  const forks = forkOnStatus(w, q);
  for (const [r, ok] of forks) {
    if (ok) continue;
    r.flow = "exit";
    r.exitCode = 1;
  }
  return forks.map(([r]) => r);
}

/** `cmd &`: a child process that the shell does not wait for. */
export function background(w: World, p: Path, stmt: ShNode): Path[] {
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
    // `( list ) &` is one subshell process (measured: `( sleep 100 ) &` leaves only sleep, its last command
    // exec'd in place); a function or another compound command runs in a subshell of its own, whose last
    // command replaces it or not by shell (execsInPlace). The statement is given without its `&` (a subshell
    // runs statements: a bare command node ran nothing).
    const t = nodeType(cmd);
    const kind = t === "CallExpr" ? "function" : t === "Block" ? "group" : undefined;
    results = t === "Subshell" ? subshell(w, p, child, cmd.stmts, loc(p, stmt)) : subshell(w, p, child, [{ ...stmt, background: false }], loc(p, stmt), true, kind);
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

export function subshell(w: World, p: Path, child: Proc, stmts: ShNode[], source: SourceLoc, tail = true, kind?: "group" | "function"): Path[] {
  const s = sh(p);
  child.shellKind = s.kind;
  child.role = "shell";
  child.argv = [...s.proc.argv];
  const copy: Sh = {
    ...s, proc: child, vars: Vars.copy(s.vars), exported: Exported.copy(s.exported), positional: [...s.positional],
    funcs: new Map(s.funcs), funcStack: [...s.funcStack], locals: s.locals.map((l) => new Map(l)), traps: new Map(), lastBg: null,
    depth: s.depth + 1, cMode: null, midRun: s.midRun || !tail,
    subshell: kind ?? (stmts.length === 1 && nodeType(stmts[0]?.cmd ?? stmts[0]) === "CallExpr" ? "simple" : "compound"),
  };
  p.stack.push(copy);
  const parentExit = p.exitCode;
  return execList(w, [p], stmts, true).flatMap((q) => {
    // The subshell's exit status (its `exit N`, or its last command's) is the status the parent sees;
    // its exit code is not the parent's.
    const status = q.flow === "exit" ? q.exitCode : q.status;
    const out = finishShell(w, q, findProc(q, child.id)!);
    for (const r of out) {
      r.exitCode = parentExit;
      r.status = status;
    }
    return out;
  });
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
      return subshell(w, p, child, cmd.stmts, loc(p, stmt), tail).flatMap((q) => {
        const c = findProc(q, child.id)!;
        // A subshell that ended: its status is already the path's (see subshell()).
        return c.alive ? foreground(w, q, c, loc(p, stmt), tail) : [q];
      });
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
        w.issues.push({ kind: "bashism", file: s.file, line: loc(p, stmt).line, shell: "dash", construct: "[[" });
        p.status = 127;
        return [p];
      }
      const r = testExpr(w, p, cmd.x);
      setTestStatus(p, r);
      return [p];
    }
    case "ArithmCmd": {
      // ((…)): its assignments happen; the status is 0 when the value is not 0
      const v = known(arith(w, p, cmd.x));
      if (v !== null) {
        p.status = Number(v) ? 0 : 1;
        return [p];
      }
      p.status = null;
      p.statusDesc = { yes: "the arithmetic test is true", no: "the arithmetic test is false" };
      return [p];
    }
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

export function binaryCmd(w: World, p: Path, cmd: ShNode, stmt: ShNode, tail: boolean): Path[] {
  const op = cmd.op;
  if (op === 12 || op === 13) return pipeline(w, p, cmd, stmt, tail);
  // && and ||: the left side is a condition
  const left = inCondition(p, (q) => execStmt(w, q, cmd.x, false));
  const out: Path[] = [];
  for (const q of left) {
    if (q.halted || q.flow) {
      out.push(q);
      continue;
    }
    for (const [r, ok] of forkOnStatus(w, q)) {
      if ((op === 10 && ok) || (op === 11 && !ok)) append(out, execStmt(w, r, cmd.y, tail));
      else out.push(r);
    }
  }
  return out;
}

const READER_NOTE = "reads a pipe whose writer keeps running, so it keeps running too";

/** Each part of a pipeline runs in a child; `exec` there replaces only that child. */
export function pipeline(w: World, p: Path, cmd: ShNode, stmt: ShNode, tail = false): Path[] {
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
          w.issues.push({ kind: "exec-in-pipeline", file: s.file, line: loc(q, part).line,  });
        }
        if (argv.length && s.funcs.has(known(argv[0]!) ?? "\u0000")) append(next, subshell(w, q, child, [part], loc(q, part), tail));
        else append(next, become(w, q, child, argv, loc(q, part), { fallbackShell: s.kind }));
      } else append(next, subshell(w, q, child, [part], loc(q, part), tail));
    }
    paths = next;
  }
  // The shell waits for every part; it blocks if one of them keeps running.
  return paths.flatMap((q) => {
    const children = ids.map((id) => findProc(q, id)).filter((c): c is Proc => !!c);
    let runningAt = children.findIndex((c) => c.alive && (c.longRunning === true || !!c.shell));
    // At the end of the script, a part the catalog does not know is taken to be the service (as a lone
    // command there is); in the middle of it, to return.
    if (runningAt < 0 && tail && !sh(q).midRun) runningAt = children.findIndex((c) => c.alive && c.longRunning === null && c.role === "unknown");
    const running = runningAt >= 0 ? children[runningAt] : undefined;
    const readers: number[] = [];
    children.forEach((c, j) => {
      if (j === runningAt || !c.alive) return;
      if (runningAt >= 0 && j > runningAt && c.longRunning !== true) {
        // A reader (tee, cat, grep) waits for the end of its input, which a running writer never sends.
        c.longRunning = true;
        c.notes.push(READER_NOTE);
        readers.push(c.id);
      } else if (c.longRunning !== true) c.alive = false;
    });
    if (running) {
      const out = foreground(w, q, running, loc(q, stmt), tail);
      // Where the writer is taken to return (a long-running command in the middle of the script), its readers
      // get the end of their input and end with it.
      for (const r of out) {
        if (findProc(r, running.id)?.alive !== false) continue;
        for (const id of readers) {
          const c = findProc(r, id);
          if (!c?.alive) continue;
          c.alive = false;
          c.longRunning = false;
          c.notes = c.notes.filter((n) => n !== READER_NOTE);
        }
      }
      return out;
    }
    q.status = null;
    q.statusDesc = { yes: "the pipeline succeeds", no: "the pipeline fails", assumeSuccess: true };
    return [q];
  });
}
