// Programs of the catalog as they start: by their role (exec their target in place, stay as a parent,
// or run as a service that may daemonize), with the argument rules the catalog gives.
import { type ProgramEntry, daemonizesWith, findProgram, wrapperTarget, wrapperUser } from "../programs.js";
import type { SourceLoc } from "../types.js";
import { type Word, known, lit, show } from "../values.js";
import { type Path, type Proc, type World, attach, findProc, newProc } from "../world.js";
import { become, shellKindFor } from "./become.js";
import { supervisedPrograms } from "./supervisord.js";

/** What a role in the catalog does when its program starts: one function per role. */
interface RoleStart {
  w: World;
  p: Path;
  proc: Proc;
  entry: ProgramEntry;
  name: string;
  args: Word[];
  /** `args` as text (an unknown word shown as its description). */
  kargs: string[];
  source: SourceLoc | null;
}

const ROLES: Record<ProgramEntry["role"], (c: RoleStart) => Path[]> = {
  "wrapper-exec": startWrapperExec,
  init: startParent,
  "wrapper-parent": startParent,
  supervisor: startService,
  service: startService,
  tool: startService,
  shell: startService,
};

/** `proc` runs a program that is not a script: a shell, or a program of the catalog, by its role. */
export function program(w: World, p: Path, proc: Proc, argv0: string, name: string, args: Word[], source: SourceLoc | null): Path[] {
  const shellKind = shellKindFor(w, name);
  if (shellKind) return w.shell.runShell(w, p, proc, shellKind, argv0, args, source);
  const entry = findProgram(name);
  proc.program = entry;
  if (!entry) {
    proc.role = "unknown";
    proc.longRunning = null;
    return [p];
  }
  const kargs = args.map((a) => known(a) ?? show(a));
  return ROLES[entry.role]({ w, p, proc, entry, name, args, kargs, source });
}

/** gosu, su-exec, env…: the wrapper execs its target in its own place. */
function startWrapperExec({ w, p, proc, entry, name, args, kargs, source }: RoleStart): Path[] {
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

/** tini, dumb-init, su -c…: the program stays as the parent of the command it starts. */
function startParent({ w, p, proc, entry, args, kargs, source }: RoleStart): Path[] {
  proc.role = entry.role === "init" ? "init" : "wrapper";
  proc.longRunning = true;
  const t = wrapperTarget(entry, kargs);
  if (!t) return [p];
  const child = newProc(w, [], source, proc.user);
  attach(p, proc, child);
  if (t.shellCommand !== null) {
    // the command string as a word: one only known at run time stays unknown (not the text "$(…)")
    const flag = kargs.lastIndexOf(entry.wrapper?.commandFlag ?? "");
    const command = flag >= 0 && kargs[flag + 1] === t.shellCommand ? args[flag + 1]! : lit(t.shellCommand);
    const shArgv = [lit("sh"), lit("-c"), command];
    child.user = wrapperUser(entry, kargs) ?? child.user;
    return become(w, p, child, shArgv, source).map((q) => initExitsWithChild(q, proc, child, entry));
  }
  const offset = args.length - t.argv.length;
  let target = args.slice(offset);
  if (entry.wrapper?.permutesOptions && !kargs.includes(entry.wrapper.optionsStop ?? "--") && t.argv.slice(1).some((a) => a.startsWith("-"))) {
    target = permutedOptions(w, proc, entry, t.argv, target, source);
  }
  return become(w, p, child, target, source).map((q) => initExitsWithChild(q, proc, child, entry));
}

/**
 * GNU getopt permutes (tini, catatonit): without "--", every option word after the program name goes to
 * the init, and the program gets the rest.
 */
function permutedOptions(w: World, proc: Proc, entry: ProgramEntry, targetText: string[], target: Word[], source: SourceLoc | null): Word[] {
  const taken = targetText.slice(1).filter((a) => a.startsWith("-"));
  const msg = `${entry.name} parses options after the program name: without "--", an option meant for ${targetText[0]} (${taken.join(" ")}) is taken by ${entry.name}`;
  proc.notes.push(msg);
  w.issues.push({ kind: "init-option-confusion", file: source?.file ?? w.model.file, line: source?.line ?? 0, init: entry.name, program: targetText[0] ?? "", options: taken });
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
  return kept;
}

/** A service, a supervisor or a tool: it runs (or exits) by itself; a daemon forks away. */
function startService({ w, p, proc, entry, name, kargs }: RoleStart): Path[] {
  proc.role = entry.role === "supervisor" ? "supervisor" : entry.role === "tool" ? "tool" : "service";
  proc.longRunning = entry.longRunning;
  if (entry.programsFrom && !daemonizesWith(entry, kargs)) return supervisedPrograms(w, p, proc, entry.programsFrom, kargs);
  const dur = entry.duration ? kargs[entry.duration.operand - 1] : undefined;
  if (entry.duration && dur && /^\d+(\.\d+)?s?$/.test(dur) && parseFloat(dur) < entry.duration.transientBelowSeconds) {
    proc.longRunning = false;
    proc.notes.push(`${name} ${dur} ends within seconds`);
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
    const keep = [...(entry.daemonizes?.foregroundFlags ?? []), ...(entry.daemonizes?.foregroundArgs ?? []).map((s) => s.join(" "))];
    proc.notes.push(`${name} forks into the background and its first process exits${keep.length ? ` (keep it in the foreground with ${keep.join(" or ")})` : ""}`);
  }
  return [p];
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
