// Programs of the catalog as they start: by their role (exec their target in place, stay as a parent,
// or run as a service that may daemonize), with the argument rules the catalog gives.
import {
  type EnvView, type Launch, type ProgramEntry, type ProgramMode, daemonizesWith, optionWords, entryForArgs, findProgram, modeFor, forwardTarget, hasWrapperOption, programByName, wrapperOptions, wrapperTarget, wrapperUser,
} from "../programs.js";
import type { SourceLoc } from "../types.js";
import { type Word, known, lit, show } from "../values.js";
import { type Path, type Proc, type Sh, type World, Exported, Vars, attach, endTree, findProc, newProc, sh } from "../world.js";
import { appTarget, scanApp } from "../app/scan.js";
import { become, shellKindFor } from "./become.js";
import { runitServices } from "./runit.js";
import { type Decision, decideDaemon } from "./config.js";
import { optionsFrom, withOptions } from "./options-from.js";
import { supervisedPrograms } from "./supervisord.js";
import { startRunScript } from "./run-script.js";
import { startRunTasks } from "./run-tasks.js";
import { procfilePrograms } from "./procfile.js";

/** What a role in the catalog does when its program starts: one function per role. */
interface RoleStart {
  w: World;
  p: Path;
  proc: Proc;
  entry: ProgramEntry;
  name: string;
  /** The program as the command names it (a path, or a name looked up on the PATH). */
  argv0: string;
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

/**
 * `proc` runs a program that is not a script: a shell, or a program of the catalog, by its role. `applet`: it is run
 * as a BusyBox applet (`busybox su …`), whatever the image's /bin/sh. `fallback`: the entry to use when the name is
 * not in the catalog.
 */
export function program(w: World, p: Path, proc: Proc, argv0: string, name: string, args: Word[], source: SourceLoc | null, applet = false, fallback: ProgramEntry | null = null): Path[] {
  const shellKind = applet && shellKindFor(w, name) ? "busybox" : shellKindFor(w, name);
  if (shellKind) return w.shell.runShell(w, p, proc, shellKind, argv0, args, source);
  // fallback: the entry of a class the Dockerfile shows the program belongs to (a Go binary built in an earlier stage)
  // An init script (/etc/init.d/cron) is not the program it is named after: what it does is its own text's.
  let entry = /^\/etc\/(?:rc\.d\/)?init\.d\//.test(argv0) ? null : (findProgram(name) ?? fallback);
  // In an image whose /bin/sh is BusyBox, `su` and `timeout` are BusyBox's applets, which behave differently.
  // (busyboxAppletNamedOnly: only `busybox NAME`, or in the busybox image, where every program is an applet.)
  const appletImage = !!w.model.target?.base.facts?.busyboxApplets;
  if (entry?.busyboxApplet && (applet || (w.binSh === "busybox" && (!entry.busyboxAppletNamedOnly || appletImage)))) entry = programByName(entry.busyboxApplet) ?? entry;
  // A launcher script (from a release tarball…) that execs its program in place: that program is what runs.
  // Its mode may say (`catalina.sh run` execs java, `catalina.sh start` backgrounds it and exits).
  const base0 = w.model.target?.base;
  const env = imageEnv(w);
  const launchMode = entry?.modes && !applet ? modeFor(entry, args.map((a) => known(a) ?? show(a)), base0 ? { repository: base0.repository, tag: base0.tag, binSh: w.binSh } : null, env) : null;
  const launch = launchMode ? (launchMode.launches ?? (launchMode.daemonizes || launchMode.role ? undefined : entry?.launches)) : entry?.launches;
  if (launch && !applet) {
    const followed = launchTarget(w, launch, launchMode, args);
    if (typeof followed !== "string") {
      const how = launch.asChild ? `runs ${launch.argv.join(" ")} as its child and stays its parent` : `execs ${launch.argv.length ? launch.argv.join(" ") : "its arguments"} in its place`;
      proc.notes.push(`${name} ${how} (program catalog: ${entry!.name}${followed.note ? `; ${followed.note}` : ""})`);
      if (!followed.argv.length) {
        proc.role = "tool";
        proc.longRunning = false;
        proc.alive = false;
        proc.notes.push(`${name} was given no command: it exits`);
        return [p];
      }
      if (launch.asChild) return launchChild(w, p, proc, entryForArgs(entry!, args.map((a) => known(a) ?? show(a)), base0 ? { repository: base0.repository, tag: base0.tag, binSh: w.binSh } : null, env), followed.argv, source);
      return become(w, p, proc, followed.argv, source);
    }
    proc.notes.push(`${name}: ${followed}`);
    entry = null;
  }
  if (!entry) {
    proc.program = entry;
    proc.role = "unknown";
    proc.longRunning = null;
    return [p];
  }
  const kargs = args.map((a) => known(a) ?? show(a));
  // `php -S`, `caddy run`: the catalog's mode for these arguments
  const base = w.model.target?.base;
  const image = base ? { repository: base.repository, tag: base.tag, binSh: w.binSh } : null;
  // uwsgi app.ini: the options its files and environment give it count as its command line's for the mode
  const extra = optionsFrom(w, p, entry, kargs);
  const margs = extra ? withOptions(kargs, extra) : kargs;
  const mode = modeFor(entry, margs, image, env);
  if (mode) {
    entry = entryForArgs(entry, margs, image, env);
    if (mode.label) proc.notes.push(`${name}: ${mode.label}`);
    const used = extra ? extra.from.filter((_, i) => mode.when.options?.some((o) => extra.words[i] === o || extra.words[i]!.startsWith(`${o}=`))) : [];
    if (used.length) proc.notes.push(`${name} reads ${used.join(", ")}`);
  }
  if (extra?.unknown) entry = unsureModes(entry, proc, name, extra.unknown);
  proc.program = entry;
  // npm start, yarn X, npx CMD: the package.json script (or the command) runs as its child
  if (entry.runScript) return startRunScript(w, p, proc, entry, name, args, source, (q, par, ch) => initExitsWithChild(q, par, ch, entry!));
  // npm-run-all: the scripts it names, through the manager that ran it
  if (entry.runTasks) return startRunTasks(w, p, proc, entry, name, args, source, (q, par, ch) => initExitsWithChild(q, par, ch, entry!));
  return ROLES[entry.role]({ w, p, proc, entry, name, argv0, args, kargs, source });
}

/** A launcher that runs its program as its child and stays its parent (WildFly's standalone.sh): its signals and
 * forwards are those of `entry` (its mode for the image's ENV). */
function launchChild(w: World, p: Path, proc: Proc, entry: ProgramEntry, argv: Word[], source: SourceLoc | null): Path[] {
  proc.program = entry;
  proc.role = "wrapper";
  proc.longRunning = true;
  const child = newProc(w, [], source, proc.user);
  attach(p, proc, child);
  return become(w, p, child, argv, source).map((q) => initExitsWithChild(q, proc, child, entry));
}

/** Compares dotted versions: negative when `a` is below `b`. */
function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10));
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (Number.isNaN(x) || Number.isNaN(y)) return 0;
    if (x !== y) return x - y;
  }
  return 0;
}

/**
 * The argv a launcher execs in its place, or why it is not followed (it backgrounds its program, a variable
 * changes what it does, its version predates the exec): then what runs is left unknown.
 */
function launchTarget(w: World, launch: Launch, mode: ProgramMode | null, args: Word[]): { argv: Word[]; note: string | null } | string {
  const kargs = args.map((a) => known(a));
  const other = launch.unlessArgs?.find((u) => kargs.includes(u));
  const name = launch.argv[0] ?? "its command";
  if (other !== undefined) return `with ${other} it starts ${name} in the background and exits, which the analysis does not follow`;
  if (launch.unlessOptionFirst && kargs[0]?.startsWith("-")) return `its first argument ${kargs[0]} is an option: ${launch.unlessOptionFirst}`;
  const env = imageEnv(w);
  const set = launch.unlessEnv?.find((v) => (env[v] ?? "") !== "");
  if (set) return `with ${set} set (ENV) it runs ${name} as its child and does not exec, which the analysis does not follow`;
  let note: string | null = null;
  if (launch.since) {
    const v = launch.since.env?.find((e) => /^\d+(\.\d+)*$/.test(env[e] ?? ""));
    if (v !== undefined && compareVersions(env[v]!, launch.since.version) < 0) return `${v}=${env[v]} is older than ${launch.since.version}: ${launch.since.before}`;
    note = v !== undefined ? `${v}=${env[v]}, at least ${launch.since.version}` : `its release is not known; releases before ${launch.since.version} did not exec: ${launch.since.before}`;
  }
  let rest = args;
  if (launch.afterSubcommand && mode?.when.operands) {
    // the words up to the subcommand the mode matched are the script's own
    let end = 0;
    for (let i = 0; i < kargs.length && !end; i++) {
      const seq = mode.when.operands.find((q) => q.every((x, j) => kargs[i + j] === x));
      if (seq) end = i + seq.length;
    }
    rest = args.slice(end);
  }
  return { argv: [...launch.argv.map(lit), ...rest, ...(launch.appends ?? []).map(lit)], note };
}

/**
 * The options its files or environment give it are not all known: a signal on which its modes act differently
 * is unknown ("other"), whichever mode the known options select.
 */
function unsureModes(entry: ProgramEntry, proc: Proc, name: string, why: string): ProgramEntry {
  const base = findProgram(entry.name) ?? entry;
  const signals = { ...entry.signals };
  const differs: string[] = [];
  for (const m of base.modes ?? []) {
    for (const [sig, act] of Object.entries(m.signals ?? {})) {
      if ((base.signals[sig] ?? null) !== act && signals[sig] !== "other") {
        signals[sig] = "other";
        differs.push(sig);
      }
    }
  }
  if (!differs.length) return entry;
  proc.notes.push(`what ${name} does with ${differs.join(", ")} depends on options it reads outside its command line, which are not all known: ${why}`);
  return { ...entry, signals };
}

/**
 * gosu, su-exec, env, BusyBox su…: the wrapper execs its target in place (BusyBox su: the shell that runs `-c`'s
 * string). setsid forks instead when its process leads a process group; BusyBox timeout leaves a watcher behind.
 */
function startWrapperExec({ w, p, proc, entry, name, args, kargs, source }: RoleStart): Path[] {
  const t = wrapperTarget(entry, kargs);
  const wr = entry.wrapper!;
  if (!t || (t.argv.length === 0 && t.shellCommand === null)) {
    proc.role = "tool";
    proc.longRunning = false;
    proc.alive = false;
    return [p];
  }
  proc.user = wrapperUser(entry, kargs) ?? proc.user;
  const target =
    t.shellCommand !== null ? shellCommandArgv(entry, args, kargs) : t.shellArgs ? [shellNamed(entry, args, kargs, wr.stopRunsShell!), ...args.slice(args.length - t.argv.length)] : args.slice(args.length - t.argv.length);
  const forks = wr.forks;
  if (forks) {
    const forced = hasWrapperOption(entry, kargs, forks.options);
    const leader = forks.whenGroupLeader ? groupLeader(w, p, proc) : null;
    if (forced || leader) {
      const why = forced ? `(${wrapperOptions(entry, kargs).find((a) => forks.options!.includes(a)) ?? forks.options![0]})` : `because ${leader}`;
      return forkedCommand(w, p, proc, entry, name, target, source, why, hasWrapperOption(entry, kargs, forks.waitOptions));
    }
  }
  proc.notes.push(`${name} execs ${show(target[0]!)} in its place`);
  const out = withEnvironment(p, entry, args, kargs, () => become(w, p, proc, target, source, { applet: wr.runsApplets === true }));
  // BusyBox `timeout 30 cmd` below PID 1: the watcher's signal ends the command within the duration, a step
  // of the setup (the catalog's duration heuristic, as for coreutils timeout). As PID 1 the signal may be dropped.
  const dur = shortDuration(entry, kargs);
  if (dur)
    for (const q of out) {
      const cmd = findProc(q, proc.id);
      if (cmd?.alive && cmd !== q.root && !cmd.shell) {
        endTree(cmd);
        cmd.longRunning = false;
        cmd.notes.push(`${name} ${dur} ends it within ${dur}`);
      }
    }
  if (wr.leavesWatcher) for (const q of out) addWatcher(w, q, proc, entry, name, kargs, source);
  return out;
}

/** `su … -c 'CMD'`: the shell (su -s SHELL, else sh) with -c and the command string, as a word list. */
function shellCommandArgv(entry: ProgramEntry, args: Word[], kargs: string[]): Word[] {
  const wr = entry.wrapper!;
  const i = kargs.indexOf(wr.commandFlag!);
  const cmd = args[i + 1] ?? lit("");
  const opt = wr.shellOption;
  const j = opt ? kargs.indexOf(opt) : -1;
  const shell = j >= 0 && args[j + 1] ? args[j + 1]! : lit("sh");
  return [shell, lit("-c"), cmd];
}

/** The shell the wrapper's `shellOption` names (`-s SHELL`, `--shell=SHELL`) among its own options, else `fallback`. */
function shellNamed(entry: ProgramEntry, args: Word[], kargs: string[], fallback: string): Word {
  const opt = entry.wrapper!.shellOption;
  const t = wrapperTarget(entry, kargs);
  const end = t && t.shellCommand === null ? kargs.length - t.argv.length : kargs.length;
  let named: Word = lit(fallback);
  for (let i = 0; opt && i < end; i++) {
    if (kargs[i] === opt && i + 1 < end) named = args[i + 1]!;
    else if (kargs[i]!.startsWith(`${opt}=`)) named = lit(kargs[i]!.slice(opt.length + 1));
  }
  return named;
}

/**
 * setsid in a process that leads a process group (or with -f): it forks the command, and its first process exits
 * (with -w it waits for the command instead). When that process was PID 1, the container stops at once.
 */
function forkedCommand(w: World, p: Path, proc: Proc, entry: ProgramEntry, name: string, target: Word[], source: SourceLoc | null, why: string, waits: boolean): Path[] {
  const child = newProc(w, [], source, proc.user);
  const what = show(target[0]!);
  if (waits) {
    proc.role = "wrapper";
    proc.longRunning = true;
    proc.notes.push(`${name} forks ${what} ${why}, and waits for it`);
    attach(p, proc, child);
    return become(w, p, child, target, source).map((q) => initExitsWithChild(q, proc, child, entry));
  }
  proc.role = "tool";
  proc.longRunning = false;
  proc.alive = false;
  p.status = 0;
  if (proc === p.root) {
    proc.notes.push(`${name} forks ${what} ${why}, and its first process exits: PID 1 exits, so the container stops at once (the kernel kills the forked ${what})`);
    return [p];
  }
  const reaper = reaperOf(w, p, proc);
  proc.notes.push(`${name} forks ${what} ${why}, and its first process exits`);
  child.background = true;
  child.notes.push(`forked by ${name}, whose first process exited: re-parented to ${reaper === p.root ? "PID 1" : reaper.argv[0] ?? "its subreaper"}`);
  attach(p, reaper, child);
  return become(w, p, child, target, source);
}

/** BusyBox timeout's watcher: forked before the exec, it sleeps for the duration, then signals the command. */
function addWatcher(w: World, q: Path, proc: Proc, entry: ProgramEntry, name: string, kargs: string[], source: SourceLoc | null) {
  const cmd = findProc(q, proc.id);
  if (!cmd?.alive) return;
  const watcher = newProc(w, [name, ...kargs], source, cmd.user);
  watcher.program = entry;
  // a tool of the wrapper's own, not a service: it only sleeps, and its end (or its kill) changes nothing
  watcher.role = "tool";
  watcher.longRunning = false;
  watcher.notes.push(`${name}'s watcher: after the duration it sends its signal (TERM by default) to ${cmd.argv[0] ?? "the command"}, which drops it when it is PID 1 without a handler`);
  attach(q, cmd === q.root ? cmd : reaperOf(w, q, cmd), watcher);
}

/** The environment as the Dockerfile's ENV sets it (what an init reads TINI_KILL_PROCESS_GROUP… from). */
export function imageEnv(w: World): EnvView {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(w.model.config?.env ?? {})) env[k] = v.value;
  return env;
}

/** Why `proc` leads a process group, or null when it does not (a shell's child, without job control). */
function groupLeader(w: World, p: Path, proc: Proc): string | null {
  if (proc === p.root) return "PID 1 leads its own session (runc calls setsid() for the container's process)";
  const parent = parentOf(p, proc);
  const pe = parent?.program;
  if (!parent || !pe?.childLeadsGroup) return null;
  if (pe.childLeadsGroup === "with-process-group" && forwardTarget(pe, parent.argv.slice(1), imageEnv(w)) !== "process-group") return null;
  return `${pe.name}'s child leads a process group of its own`;
}

export function parentOf(p: Path, proc: Proc): Proc | null {
  for (const q of p.index.values()) if (q.children.includes(proc)) return q;
  return null;
}

/** Where an orphan below `proc` goes: the nearest subreaper above it (tini -s), else PID 1. */
export function reaperOf(w: World, p: Path, proc: Proc): Proc {
  for (let q = parentOf(p, proc); q && q !== p.root; q = parentOf(p, q)) {
    const sr = q.alive ? q.program?.subreaper : undefined;
    if (!sr) continue;
    const env = imageEnv(w);
    if (sr.always || hasWrapperOption(q.program!, q.argv.slice(1), sr.options) || (sr.env ?? []).some((e) => e in env)) return q;
  }
  return p.root;
}

/**
 * env -i, env NAME=VALUE: the command starts with the environment the wrapper gives it. While it starts, the
 * shell frame on top of the path's stack is replaced by one with that environment (what a shell started by the
 * command inherits, and the PATH it is looked up with).
 */
function withEnvironment(p: Path, entry: ProgramEntry, args: Word[], kargs: string[], run: () => Path[]): Path[] {
  const wr = entry.wrapper!;
  const clears = hasWrapperOption(entry, kargs, wr.clearsEnv);
  const t = wrapperTarget(entry, kargs);
  const end = t && t.shellCommand === null ? kargs.length - t.argv.length : kargs.length;
  const assigns: [string, Word][] = [];
  if (wr.assignments) {
    for (let i = 0; i < end; i++) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(kargs[i]!);
      if (m) assigns.push([m[1]!, afterEq(args[i]!, m[0].length)]);
    }
  }
  if ((!clears && !assigns.length) || !p.stack.length) return run();
  const top = sh(p);
  const frame: Sh = { ...top, vars: clears ? new Vars() : Vars.copy(top.vars), exported: clears ? new Exported() : Exported.copy(top.exported) };
  for (const [k, v] of assigns) {
    frame.vars.set(k, v);
    frame.exported.add(k);
  }
  const depth = p.stack.length;
  p.stack.push(frame);
  const out = run();
  for (const q of out) if (q.stack.length > depth) q.stack.length = depth;
  return out;
}

/** The value of a NAME=VALUE word: the word after its first `prefix` characters. */
function afterEq(word: Word, prefix: number): Word {
  const out: Word = [];
  let skip = prefix;
  for (const part of word) {
    if (typeof part === "string" && skip > 0) {
      const rest = part.slice(skip);
      skip = Math.max(0, skip - part.length);
      if (rest) out.push(rest);
    } else out.push(part);
  }
  return out.length ? out : lit("");
}

/**
 * The duration operand (catalog `duration`) when it is under the entry's transientBelowSeconds: `sleep 2`,
 * `timeout 30 cmd` (s, m, h, d suffixes as GNU sleep and timeout take them). Null otherwise.
 */
function shortDuration(entry: ProgramEntry, kargs: string[]): string | null {
  const d = entry.duration;
  if (!d) return null;
  const withValue = new Set([...(entry.wrapper?.optionsWithValue ?? []), ...(entry.args?.optionsWithValue ?? [])]);
  const operands: string[] = [];
  for (let i = 0; i < kargs.length && operands.length < d.operand; i++) {
    const a = kargs[i]!;
    if (a === "--") continue;
    if (a.startsWith("-") && a.length > 1 && !/^-?\d/.test(a)) {
      if (withValue.has(a)) i++;
      continue;
    }
    operands.push(a);
  }
  const v = operands[d.operand - 1];
  const m = v ? /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(v) : null;
  if (!m) return null;
  const seconds = parseFloat(m[1]!) * ({ "": 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
  return seconds < d.transientBelowSeconds ? v! : null;
}

/** tini, dumb-init, su -c…: the program stays as the parent of the command it starts. */
function startParent(rs: RoleStart): Path[] {
  const dur = shortDuration(rs.entry, rs.kargs);
  if (!dur) return startParentNow(rs);
  // timeout 30 cmd: a step of the setup, not the steady state (the catalog's duration heuristic).
  return startParentNow(rs).map((q) => {
    const par = findProc(q, rs.proc.id);
    if (par?.alive) {
      endTree(par);
      par.longRunning = false;
      par.notes.push(`${rs.name} ${dur} ends its command within ${dur}`);
    }
    return q;
  });
}

function startParentNow({ w, p, proc, entry, args, kargs, source }: RoleStart): Path[] {
  proc.role = entry.role === "init" ? "init" : "wrapper";
  proc.longRunning = true;
  const t = wrapperTarget(entry, kargs);
  if (!t) return [p];
  const child = newProc(w, [], source, proc.user);
  attach(p, proc, child);
  if (t.shellCommand !== null) {
    child.user = wrapperUser(entry, kargs) ?? child.user;
    return become(w, p, child, shellCommandArgv(entry, args, kargs), source).map((q) => initExitsWithChild(q, proc, child, entry));
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
function startService({ w, p, proc, entry, name, argv0, args, kargs, source }: RoleStart): Path[] {
  proc.role = entry.role === "supervisor" ? "supervisor" : entry.role === "tool" ? "tool" : "service";
  proc.longRunning = entry.longRunning;
  // node app.js, python app.py: what the interpreter does with a signal depends on the application's handlers.
  if (entry.app && appTarget(entry.app, args.map((a) => known(a))).target.kind === "none") {
    // `node`, `python3` alone read their program from standard input, which is empty without `docker run -i`
    // (measured: apps.ns.test.ts, they exit 0 at once).
    proc.longRunning = false;
    proc.notes.push(`${name} is given no program: it reads one from standard input, which is empty without docker run -i, and exits at once`);
    return [p];
  }
  if (entry.app) {
    proc.app = scanApp(w, entry, args.map((a) => known(a)), undefined, proc.cwd) ?? undefined;
    const hs = proc.app?.handlers ?? [];
    const shown = [...new Map(hs.map((h) => [h.signal, h])).values()].slice(0, 4);
    if (shown.length) proc.notes.push(`the application handles ${shown.map((h) => `${h.signal} (${h.what}${h.file ? `, ${h.file}${h.line ? `:${h.line}` : ""}` : ""})`).join(", ")}`);
    else if (proc.app?.status === "seen") proc.notes.push(`the application installs no signal handler (${proc.app.files} file${proc.app.files === 1 ? "" : "s"} read from ${proc.app.entry ?? "its entry"})`);
  }
  if (entry.programsFrom?.format === "runit-dir") return runitServices(w, p, proc, entry.programsFrom, kargs);
  const dur = shortDuration(entry, kargs);
  if (dur) {
    proc.longRunning = false;
    proc.notes.push(`${name} ${dur} ends within seconds`);
  }
  const opts = optionWords(entry, kargs);
  const oneShot = entry.args?.oneShot?.find((f) => opts.includes(f));
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
  const decision: Decision = !entry.longRunning
    ? { kind: "foreground", why: "" }
    : entry.config?.setting
      ? decideDaemon(w, entry, name, argv0, kargs, !!entry.daemonizes?.byDefault && !daemonizesWith(entry, kargs))
      : daemonizesWith(entry, kargs)
        ? { kind: "background", why: "" }
        : { kind: "foreground", why: "" };
  if (decision.kind === "fails") {
    proc.alive = false;
    proc.notes.push(decision.why);
    p.status = 1;
    return [p];
  }
  if (decision.kind === "background") {
    proc.daemonized = true;
    daemonize(w, p, proc);
    const keep = [...(entry.daemonizes?.foregroundFlags ?? []), ...(entry.daemonizes?.foregroundArgs ?? []).map((s) => s.join(" "))];
    proc.notes.push(`${name} forks into the background and its first process exits${decision.why ? ` (${decision.why})` : ""}${keep.length ? ` (keep it in the foreground with ${keep.join(" or ")})` : ""}`);
    return [p];
  }
  if (decision.kind === "unknown") {
    const at = source ?? { file: w.model.file, line: 0 };
    const keep = [...(entry.daemonizes?.foregroundFlags ?? []), ...(entry.daemonizes?.foregroundArgs ?? []).map((s) => s.join(" "))];
    w.issues.push({ kind: "daemon-config-unknown", file: at.file, line: at.line, program: name, why: decision.why, keep });
    if (proc !== p.root && entry.daemonizes?.byDefault) {
      // Below PID 1 its default is the likelier reading: it forks away, and the rest of the script goes on (but
      // nothing that rests on it is certain: the note says why, and the rule reports a warning, never an error).
      proc.daemonized = true;
      proc.daemonUnsure = decision.why;
      proc.notes.push(`${name} daemonizes by default (its first process exits, its copy goes on in the background), unless its config says otherwise: ${decision.why}`);
      daemonize(w, p, proc);
      return [p];
    }
    // As PID 1: whether the container keeps running is not known; it is shown as it runs if it stays.
    proc.longRunning = null;
  }
  if (decision.why) proc.notes.push(decision.why);
  if (entry.programsFrom?.format === "supervisord") return supervisedPrograms(w, p, proc, entry, name, argv0, kargs);
  if (entry.programsFrom?.format === "procfile") return procfilePrograms(w, p, proc, entry, name, kargs);
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
  // Started by a script (not PID 1): a command the catalog knows to end (`sudo -u git envsubst …`, `su-exec app
  // cp …`) ends, and the wrapper with it; the script goes on rather than waiting for a service there.
  if (par && ch?.alive && par !== p.root && entry.exitsWithChild && ch.longRunning === false && !ch.shell && !ch.daemonized && ch.children.every((c) => !c.alive)) {
    ch.alive = false;
    ch.notes.push("a tool that ends when its work is done");
  }
  if (par && ch && !ch.alive && entry.exitsWithChild) {
    par.alive = false;
    par.notes.push(`${entry.name} exits as soon as its child ${ch.argv[0] ?? ""} exits`);
    if (p.failed === null && ch.notes.some((n) => /exec fails/.test(n)) && p.root === par) p.failed = ch.notes.find((n) => /exec fails/.test(n))!;
  }
  return p;
}

/**
 * A daemon's first process exits and its forked child is re-parented to PID 1 (or to the nearest subreaper
 * above it: tini -s). When the daemon was PID 1 itself, PID 1 has exited: the container stops, and the kernel
 * kills the forked child.
 */
function daemonize(w: World, p: Path, proc: Proc) {
  proc.alive = false;
  if (proc === p.root) return;
  const reaper = reaperOf(w, p, proc);
  const to = reaper === p.root ? "PID 1" : `${reaper.argv[0] ?? "its subreaper"} (a subreaper)`;
  const daemon: Proc = { ...proc, id: w.nextId++, forkedFrom: proc.id, background: true, alive: true, daemonized: false, children: [], notes: [...proc.notes, `re-parented to ${to} after the daemon forked`] };
  attach(p, reaper, daemon);
}
