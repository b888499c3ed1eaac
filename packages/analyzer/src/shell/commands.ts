// Simple commands: functions, builtins (builtins.ts), `exec`, and external commands run as children or
// exec'd in place; the shell's steady state when a child keeps running.
import { become } from "../exec/become.js";
import { reaperOf } from "../exec/roles.js";
import { findProgram } from "../programs.js";
import type { ShNode } from "../syntax/parse.js";
import type { SourceLoc } from "../types.js";
import { type Word, known } from "../values.js";
import { type Path, type Proc, type Sh, type ShellRun, type World, attach, clonePath, endTree, findProc, newProc, noteTruncated, sh } from "../world.js";
import { expandArgs } from "./expand.js";
import { assign, endLocalArrays } from "./variables.js";
import { BUILTINS } from "./builtins.js";
import { execList, loc } from "./statements.js";

export function callExpr(w: World, p: Path, cmd: ShNode, stmt: ShNode, tail: boolean): Path[] {
  const s = sh(p);
  const here = loc(p, stmt);
  if (!cmd.args || cmd.args.length === 0) {
    // Assignments only.
    for (const a of cmd.assigns ?? []) assign(w, p, a);
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
    w.issues.push({ kind: "bashism", file: s.file, line: here.line, shell: s.kind, construct: "[[" });
    if (s.kind === "dash") {
      p.status = 127;
      return [p];
    }
  }

  const builtin = name !== null ? BUILTINS.get(name) : undefined;
  if (builtin) return builtin({ w, p, s, name: name!, argv, args, kargs, here, stmt, tail });
  return runExternal(w, p, argv, stmt, tail);
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
      endLocalArrays(target);
    }
    if (q.flow === "return") q.flow = null;
  }
  return out;
}

/** `exec cmd`: the shell process becomes cmd. */
export function doExec(w: World, p: Path, argv: Word[], here: SourceLoc): Path[] {
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
    if (qp.daemonized) {
      // The daemon's first process exits 0 once its copy runs: that is the status the shell's parent sees.
      q.flow = "exit";
      q.exitCode = 0;
      q.status = 0;
    }
    // In a subshell (a pipeline's part, `( … )`, `$( … )`) the parent shell decides, as for any foreground
    // child: kept running at the end of its script, taken to return in the middle of it.
    if (qp.alive && qp.longRunning === null && qp.role === "unknown" && s.subshell === null) {
      qp.longRunning = true;
      qp.notes.push("unknown program exec'd by the script: assumed to be the service that keeps running");
    }
  }
  return out;
}

/** A command that is not a builtin or a function: a child process (or, in a -c string, maybe an exec). */
export function runExternal(w: World, p: Path, argv: Word[], stmt: ShNode, tail: boolean): Path[] {
  const s = sh(p);
  const here = loc(p, stmt);
  const name = known(argv[0]!);
  if (tail && s.cMode !== null && s.kind === "sh-unknown") {
    const entry = name ? findProgram(name) : null;
    if (!(entry && entry.role === "tool" && !entry.longRunning)) {
      const other = clonePath(w, p);
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
export function execsInPlace(s: Sh, hasRedirect: boolean): boolean {
  if ([...s.traps.values()].some((t) => t.handler !== "")) return false;
  if (s.subshell !== null) {
    // Measured (docs/measurements.md, "a subshell's last command"): dash, bash, BusyBox and zsh exec the
    // last command of a subshell; mksh only a subshell that is one simple command.
    // In the background (shells.ns.test.ts, "background lists"): no shell execs the last command of a function
    // run with `&`; bash and mksh keep the subshell of a `{ …; } &` group, dash, zsh and BusyBox exec its last.
    if (s.subshell === "function") return false;
    if (s.subshell === "group") return s.kind === "dash" || s.kind === "zsh" || s.kind === "busybox";
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
export function halt(p: Path, state: ShellRun["state"], foreground: Proc | null, line: number) {
  const s = sh(p);
  s.proc.shell = { kind: s.kind, state, foreground, traps: new Map(s.traps), vars: new Map(s.vars), funcs: s.funcs, file: s.file, line };
  s.proc.longRunning = true;
  p.halted = true;
}

/**
 * The foreground command ended: its status is only known at run time (taken as success for set -e), except
 * for a program that needs root run by another user: it fails (measured, the catalog's failsWithoutRoot).
 */
function statusOfEnded(p: Path, child: Proc) {
  const needsRoot = child.program?.failsWithoutRoot;
  if (needsRoot && notRoot(child.user)) {
    p.status = needsRoot.status;
    p.statusDesc = null;
    if (p.stack.length) sh(p).proc.notes.push(`\`${child.argv.join(" ")}\` exits ${needsRoot.status}: it needs root, and it runs as user ${child.user}`);
    return;
  }
  p.status = null;
  p.statusDesc = { yes: `\`${child.argv.join(" ")}\` succeeds`, no: `\`${child.argv.join(" ")}\` fails`, assumeSuccess: true };
}

/** A user known not to be root: a uid other than 0, or a name other than root (USER 100, USER vault, gosu app). */
export function notRoot(user: string): boolean {
  const u = user.split(":")[0]!;
  if (u === "" || u === "0" || u === "root") return false;
  return /^[0-9]+$/.test(u) || /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(u);
}

/** Is `child` the image's CMD, run with the words the ENTRYPOINT got (exec-form CMD behind an ENTRYPOINT)? */
function isImageCmd(w: World, child: Proc): boolean {
  const c = w.model.command;
  const words = c?.entrypoint && c.cmd && !c.cmdIgnored ? c.cmd.words : null;
  if (!words?.length || child.argv.length !== words.length) return false;
  return words.every((x, i) => child.argv[i] === x);
}

/** The shell waits for a foreground child: if the child keeps running, the shell is blocked there. */
export function foreground(w: World, p: Path, child: Proc, here: SourceLoc, tail = false): Path[] {
  if (!child.alive) {
    p.status = child.daemonized ? 0 : p.status ?? 0;
    if (p.failed === null && child.notes.some((n) => n.includes("exec fails"))) p.status = 127;
    else if (!child.daemonized) statusOfEnded(p, child);
    return [p];
  }
  if (child.daemonized) {
    p.status = 0;
    return [p];
  }
  let runs = child.longRunning;
  if (child.shell) runs = true;
  const initd = runs === null ? initScriptStart(child) : null;
  if (initd) {
    // `/etc/init.d/NAME start`, `service NAME start` with a script the analysis cannot read (a package's): an init
    // script's start action starts the service in the background and returns (LSB Core, "Init Script Actions";
    // Debian Policy 9.3.2). What it leaves running is not known: taken to be one daemon, re-parented to PID 1,
    // that the stop signal never reaches.
    child.longRunning = false;
    child.notes.push(`${initd.how}: an init script's start action starts ${initd.name} in the background and returns`);
    endTree(child);
    statusOfEnded(p, child);
    const daemon = newProc(w, [initd.name], here, child.user);
    daemon.background = true;
    daemon.longRunning = true;
    daemon.forkedFrom = child.id;
    daemon.notes.push(`the daemon ${initd.how} leaves running (which program it is, is not known: the init script was not read); re-parented to PID 1`);
    attach(p, reaperOf(w, p, child), daemon);
    return [p];
  }
  // The image's CMD, as the entrypoint passed it on ("$@"): the service the image exists for, wherever the
  // script runs it (`while "$@"; do …; done` restarts it when it exits).
  const service = isImageCmd(w, child);
  if (runs === null) {
    // The end of a subshell in the middle of the script is not the end of the run.
    const atEnd = (tail && !sh(p).midRun) || service;
    runs = atEnd;
    child.longRunning = atEnd;
    child.notes.push(service && !(tail && !sh(p).midRun) ? "unknown program, the image's CMD: taken to be the service that keeps running" : atEnd ? "unknown program at the end of the script: assumed to be the service that keeps running" : "unknown program in the middle of the script: assumed to finish");
  }
  // In a condition (`if`, `until`, `&&`, `||`) the script tests its status, so it expects it to return
  // (`until php /dbtest.php; do sleep 3; done`): the script goes on, and no run is held there.
  let tested = runs && !tail && sh(p).condDepth > 0 && !child.shell && !service;
  // A program the catalog knows to keep running whose status only decides how the script fails
  // (`npm start || { echo failed; exit 1; }`), outside a loop: either it is the service, or a step the script
  // goes on after. Both are followed, as for an untested command (resolveHeld keeps the run that reaches a
  // service). In a loop's condition (`until pg_isready`) it stays a check that returns.
  if (tested && child.program !== null && child.longRunning === true && !(sh(p).loopCondDepth ?? 0) && !(sh(p).whileDepth ?? 0)) tested = false;
  if (!runs || tested) {
    if (tested) child.notes.push("its status is tested by the script: taken to return");
    // A foreground command that returns ends with everything it started.
    endTree(child);
    statusOfEnded(p, child);
    return [p];
  }
  // A program that may keep running, in the middle of the script (mysqld --initialize-insecure, sleep 10,
  // su -c "…", wait-for-it.sh): either it is the service and the shell waits for it here, or it is a step of
  // the setup that returns and the script goes on. Both are followed; resolveHeld() in analyze.ts keeps the
  // second when the script goes on to run a service, else the first.
  // The image's CMD is the service, never a setup step: the script is blocked on it (in a restart loop's
  // condition, too, where following it "returned" would start it anew at every pass).
  const goesOn = tail || service || (sh(p).whileDepth ?? 0) > 0 ? null : clonePath(w, p);
  halt(p, "foreground", child, here.line);
  if (!goesOn) return [p];
  p.heldBy = child.id;
  const done = findProc(goesOn, child.id)!;
  endTree(done);
  done.notes.push("taken to return: the script goes on after it");
  goesOn.assumedDone = [...(goesOn.assumedDone ?? []), child.id];
  // A hold the copy inherited (a command inside the child that the child waits for) ended with the child:
  // the copy is not held there any more (it is a run that went on, like the one that took that command to return).
  if (goesOn.heldBy !== undefined && !findProc(goesOn, goesOn.heldBy)?.alive) goesOn.heldBy = undefined;
  statusOfEnded(goesOn, child);
  return [p, goesOn];
}

/** `/etc/init.d/NAME start|restart` or `service NAME start|restart` run as an unknown program (its script not read). */
function initScriptStart(child: Proc): { name: string; how: string } | null {
  if (child.program || child.shell || child.shellKind || child.role !== "unknown") return null;
  const [a0, a1, a2] = child.argv;
  const ok = (v: string | undefined) => v !== undefined && /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(v);
  const action = (v: string | undefined) => v === "start" || v === "restart";
  const m = a0 ? /^\/etc\/init\.d\/([^/]+)$/.exec(a0) : null;
  if (m && ok(m[1]) && action(a1)) return { name: m[1]!, how: `${a0} ${a1}` };
  if (a0 && (a0 === "service" || a0.endsWith("/service")) && ok(a1) && action(a2)) return { name: a1!, how: `service ${a1} ${a2}` };
  return null;
}
