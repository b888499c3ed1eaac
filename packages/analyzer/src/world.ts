// The world of one analysis: processes, the shell frames of a run-time path, traps, limits, and the paths
// themselves (clone, merge, dedupe). A fork clones the path: clonePath copies the process tree and every
// shell frame, so that the two paths go on from equal but separate state.
import type { DockerfileModel } from "@audit-image/dockerfile";
import type { ProgramEntry } from "./programs.js";
import type { ParsedScript, ShellKind, ShNode } from "./syntax/parse.js";
import type { AppFacts, Role, SourceLoc } from "./types.js";
import { type Word, show } from "./values.js";

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
  /**
   * In `wait` with a trap set: what the script does once a trapped signal has interrupted the wait and the
   * handler has run (the script goes on after `wait`): wait again for a job, exit, exec another program, or
   * several of these on different paths ("mixed"). Unset when not followed.
   */
  afterTrap?: "waits" | "exits" | "execs" | "mixed";
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
  /** Reads the output of the shell that started it (`exec > >(tee log)`): it ends on end of file when its writers exit. */
  outputReader?: boolean;
  /** With `daemonized`: it daemonizes by default, but whether its config turns that off is not known (why). */
  daemonUnsure?: string;
  /** For a program run by a supervisor: the signal the supervisor stops it with (supervisord's stopsignal). */
  supervisorStop?: string;
  /** supervisord's stopasgroup=true: its stop signal goes to the program's process group (the program and what it started). */
  supervisorGroup?: boolean;
  /** For a program run by a supervisor: how long the supervisor waits after its stop signal before it SIGKILLs it (s). */
  supervisorStopWait?: number;
  /** A daemon's forked process: the id of the process it forked from (whose $! still names it). */
  forkedFrom?: number;
  /**
   * The working directory after a `cd` (absolute); null when a `cd` went somewhere only known at run time;
   * absent: the image's WORKDIR. Children inherit it (attach()).
   */
  cwd?: string | null;
  /** An interpreter's application, as the scan of its source found it (app/scan.ts). */
  app?: AppFacts;
  /** A shell with no script that reads its commands from the container's stdin, which stays open: "tty" makes
   * it an interactive shell. */
  readsStdin?: "tty" | "open";
}

/**
 * What the interpreter noticed on its way, as facts: a kind and its data. The rules decide whether a
 * fact is worth a finding and how to word it (rules/<id>.ts, their `meta.messages`).
 */
export type IssueFact =
  /** Unquoted $@ or $*: the arguments are split again. */
  | { kind: "unquoted-args"; param: "@" | "*" }
  /** `trap h SIGTERM` in dash: the SIG prefix is rejected and no trap is set. */
  | { kind: "bad-trap-name"; name: string }
  /** Bash syntax under a /bin/sh that is dash (or not known): a syntax error the parser reported, or `[[`. */
  | { kind: "bashism"; shell: "dash" | "sh-unknown"; construct: "syntax"; detail: string }
  | { kind: "bashism"; shell: "dash" | "sh-unknown"; construct: "[[" }
  /** A script of the build context that Docker execs has no #! line. */
  | { kind: "no-shebang"; path: string }
  /** The #! line ends in \r (CRLF line endings). */
  | { kind: "crlf-shebang"; path: string; interpreter: string; contextPath: string | null }
  /** A file of the build context exec'd without an execute bit; `copyLine` is the COPY that put it there. */
  | { kind: "not-executable"; program: string; path: string; mode: number | null; copyLine: number }
  /** The #! interpreter does not exist, or the chain of interpreters is longer than the kernel follows. */
  | { kind: "missing-interpreter"; path: string; interpreter: string; reason: "not-found" | "chain-too-long" }
  /** The program is not in the image: at a path (`lookup: "path"`) or on the PATH; `shell` for a shell's name. */
  | { kind: "missing-program"; program: string; lookup: "path" | "PATH"; shell: boolean }
  /** A script does not parse. */
  /** `partial`: the shell's dialect is one the parser does not fully cover (zsh, parsed with bash's
   * grammar): the shell may well accept what the parser rejects. */
  | { kind: "parse-error"; error: string; column: number; partial?: "zsh" }
  /** Which program /bin/sh is in this image is not known. */
  | { kind: "unknown-sh" }
  /** `exec` in a pipeline replaces only the pipeline's child. */
  | { kind: "exec-in-pipeline" }
  /** A sourced file that cannot be read: only known at run time, or not in the build context. */
  | { kind: "source-missing"; source: string; reason: "run-time" | "not-in-context" }
  /** tini/catatonit took options meant for the program (no "--"). */
  | { kind: "init-option-confusion"; init: string; program: string; options: string[] }
  /** Whether a service daemonizes depends on a config file that could not be read; `keep`: its foreground options. */
  | { kind: "daemon-config-unknown"; program: string; why: string; keep: string[] };

/** A fact and where it was noticed: a script in the image (`file` is its path there) or the Dockerfile. */
export type Issue = IssueFact & { file: string; line: number; column?: number };

export interface Limits {
  maxPaths: number;
  maxSteps: number;
  maxDepth: number;
  maxLoop: number;
  maxScriptBytes: number;
  /**
   * The total size of the values the expansions of one analysis produce, past the first 1 KiB of each
   * (characters, and 64 for each field): a script that doubles a value, or multiplies "$@" and re-execs
   * itself, reaches it in a few lines. Past it an expansion gives an unknown value, and the analysis says
   * it was cut short.
   */
  maxValueBytes: number;
  /**
   * The work of following the run-time paths: each time a path is copied (a fork) or compared with the
   * others (dedupe, loops), as many units as it has processes, and for a copy its shells' functions; the
   * variables and exported names when they are copied (at the first write to a map a fork shares) or spelled
   * out (a shell's Vars keep their key up to date). A step is cheap on one path of a few processes; a script that re-runs
   * itself through `sh -c` in the middle of itself forks at every level and keeps every process and shell
   * it started, so that each of its steps costs paths × (processes + variables). Past this bound the
   * analysis stops as it does past maxSteps. 2,500,000 units are about 1 s of CPU; the eval's real images
   * need at most 2.4 million but one (a 50,000-step entrypoint that takes 21 s uncut).
   */
  maxWork: number;
}
export const DEFAULT_LIMITS: Limits = { maxPaths: 32, maxSteps: 50_000, maxDepth: 12, maxLoop: 64, maxScriptBytes: 1024 * 1024, maxValueBytes: 4 * 1024 * 1024, maxWork: 2_500_000 };

/** Shared state of one analysis: the model, the limits, and what was noticed along the way. */
export interface World {
  model: DockerfileModel;
  binSh: "dash" | "bash" | "busybox" | "none" | "unknown";
  limits: Limits;
  steps: number;
  /** What the expansions produced so far, against limits.maxValueBytes. */
  valueBytes: number;
  /** The work of copying and comparing paths so far, against limits.maxWork. */
  work: number;
  /** The line of the statement being run (in the current script), for a bound hit inside an expansion. */
  line: number;
  issues: Issue[];
  notes: Set<string>;
  truncated: { reason: string; file: string; line: number } | null;
  parseCache: Map<string, ParsedScript>;
  /** The config files a program reads, as read once per program and argv (exec/config.ts; the image does not change). */
  configCache?: Map<string, unknown>;
  /**
   * Foreground commands taken to return (Path.assumedDone) on a run that was then dropped: past the bound
   * on paths, or a loop state seen before. Where those runs went is not followed, so resolveHeld never
   * takes such a command for the service.
   */
  unresolvedHolds?: Set<number>;
  /** How deeply become() calls are nested right now (programs starting programs). */
  becomeDepth: number;
  nextId: number;
  /** The shell interpreter, for exec/ to run a shell or a script (exec/ does not import shell/). */
  shell: ShellRunner;
  /**
   * The container's first process is not PID 1 of its PID namespace (Kubernetes shareProcessNamespace: the
   * pod's pause process is): the kernel's protection of PID 1 does not apply to it, and pause reaps orphans.
   */
  sharedPid?: boolean;
  /** The container's standard input: "tty" (docker run -t, Compose tty:, Kubernetes tty:), "open" (-i,
   * stdin_open:, stdin:), or absent: at its end (/dev/null). */
  stdin?: "tty" | "open";
}

/** Options given to a shell on its command line (or its #! line). */
export interface ShellFlags {
  errexit?: boolean;
}

/** What exec/ needs of the shell interpreter (shell/run.ts provides it; analyze() puts it in the World). */
export interface ShellRunner {
  /** `sh [options] [-c string | script] args…` as the program of `proc`. */
  runShell(w: World, p: Path, proc: Proc, kind: ShellKind, argv0: string, args: Word[], source: SourceLoc | null): Path[];
  /** A script file run by a shell of `kind` (a #! line, or a shell's fallback for a file without one). */
  runScriptFile(w: World, p: Path, proc: Proc, kind: ShellKind, fullArgv: Word[], scriptPath: string, args: Word[], source: SourceLoc | null, flags?: ShellFlags): Path[];
}

/** A bash array: indexed (keys are indexes) or associative (`declare -A`), its elements in key order. */
export interface ShArray {
  assoc: boolean;
  items: ReadonlyMap<string, Word>;
  /** An element was set at an index only known at run time: the whole array is unknown. */
  lost?: string;
  /** Declared `local` in a function call this deep (funcStack length): it ends with the call. */
  localDepth?: number;
  /** The array of the same name that the local one hides (null: there was none). */
  shadows?: ShArray | null;
}

export interface Sh {
  proc: Proc;
  kind: ShellKind;
  file: string;
  vars: Map<string, Word | null>;
  exported: Set<string>;
  /** Variables the scripts assign somewhere: read before assignment they are unset, not run-time input. */
  internal: Set<string>;
  positional: Word[];
  /** bash arrays by name (shell/expand.ts); replaced on each change, never changed in place. */
  arrays?: ReadonlyMap<string, ShArray>;
  arg0: Word;
  funcs: Map<string, ShNode>;
  funcStack: string[];
  locals: Map<string, Word | null | undefined>[];
  traps: Map<string, Trap>;
  lastBg: Proc | null;
  cMode: string | null;
  /**
   * A subshell: its last simple command may replace it (see execsInPlace). "group": a `{ …; } &` brace group,
   * "function": a function call run with `&`, each in the subshell the shell forks for it.
   */
  subshell: "simple" | "compound" | "group" | "function" | null;
  depth: number;
  /** For a -c string: the line of the file that holds it, so that locations point there. */
  lineOffset: number;
  /** set -e (or sh -e, #!/bin/sh -e): a command that fails ends the shell. */
  errexit: boolean;
  /** > 0 while a condition runs (if/while/until conditions, the left of && and ||, after !): errexit is off there. */
  condDepth: number;
  /** > 0 inside the body of a while/until loop (a restart loop's service is its steady state). */
  whileDepth?: number;
  /** > 0 while the condition of a while/until loop runs (`until pg_isready; do sleep 1; done`: a check that returns). */
  loopCondDepth?: number;
  /** A subshell in the middle of its parent's script: its last command is not the end of the run. */
  midRun?: boolean;
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
  /**
   * The status in words when it is only known at run time. `assumeSuccess`: the status of a command that ran
   * and ended (its success is not in question for errexit: the run the image exists for is the one where its
   * setup commands succeed); a test of a run-time value has none.
   */
  statusDesc: { yes: string; no: string; assumeSuccess?: boolean; eq?: EqTest } | null;
  /**
   * What the tests on this path established about words only known at run time (their text, as show()
   * gives it, of a word that names only run-time variables): the literal each one equals, or the literals it
   * does not. `[ "$P" = Google ]` then `[ "$P" = AWS ]` on the path where the first held decides the second.
   * Replaced on each change, never changed in place (clones share it).
   */
  facts?: ReadonlyMap<string, WordFact>;
  exitCode: number | null;
  /** The start failed (exec format error, no such file…). */
  failed: string | null;
  /**
   * Not a run of its own: the rest of a script after a `wait` that a trapped signal interrupted (the shell
   * `proc` waiting at `line`). analyze() folds it into that shell's `afterTrap` (see resumeAfterTrap).
   */
  resumeOf?: { proc: number; line: number };
  /** The shell waits here for a foreground command that may be a step of the setup (see foreground()). */
  heldBy?: number;
  /** Foreground commands in the middle of the script that this path takes to have returned. */
  assumedDone?: number[];
  /** A bound on steps or work stopped this path where it was (its end is not known). */
  cut?: boolean;
}

export const sh = (p: Path): Sh => p.stack[p.stack.length - 1]!;

/** A test of a word against a literal: the word's text, the literal, and whether the test's "yes" is equality. */
export interface EqTest {
  subject: string;
  value: string;
  yesIsEqual: boolean;
}
/** What a path knows of one word: its value, or values it is not. */
export interface WordFact {
  is?: string;
  not?: readonly string[];
}

/** Whether the facts of a path decide `subject = value`: true, false, or null (not known). */
export function factDecides(p: Path, subject: string, value: string): boolean | null {
  const f = p.facts?.get(subject);
  if (!f) return null;
  if (f.is !== undefined) return f.is === value;
  return f.not?.includes(value) ? false : null;
}

/** The path learns that `subject` equals `value` (equal) or does not. */
export function learnFact(p: Path, subject: string, value: string, equal: boolean) {
  const f = p.facts?.get(subject);
  if (f?.is !== undefined) return;
  const next = new Map(p.facts ?? []);
  next.set(subject, equal ? { is: value } : { not: [...(f?.not ?? []), value] });
  p.facts = next;
}

/** The facts two merged paths both hold. */
function commonFacts(a: ReadonlyMap<string, WordFact> | undefined, b: ReadonlyMap<string, WordFact> | undefined): ReadonlyMap<string, WordFact> | undefined {
  if (a === b) return a;
  if (!a || !b) return undefined;
  const out = new Map<string, WordFact>();
  for (const [k, x] of a) {
    const y = b.get(k);
    if (!y) continue;
    if (x.is !== undefined && x.is === y.is) out.set(k, x);
    else {
      // what each excludes (a known value excludes every other one)
      const notX = x.is !== undefined ? null : x.not ?? [];
      const notY = y.is !== undefined ? null : y.not ?? [];
      const both = notX === null ? (notY ?? []).filter((v) => v !== x.is) : notY === null ? notX.filter((v) => v !== y.is) : notX.filter((v) => notY.includes(v));
      if (both.length) out.set(k, { not: both });
    }
  }
  return out.size ? out : undefined;
}

export function newProc(w: World, argv: string[], source: SourceLoc | null, user: string): Proc {
  return {
    id: w.nextId++, argv, program: null, role: "unknown", background: false, source, children: [], alive: true,
    longRunning: null, notes: [], shell: null, shellKind: null, user, daemonized: false,
  };
}

/**
 * What copying one shell of a path costs besides its variables (its functions, traps, locals…), in units
 * of limits.maxWork. Measured: a unit is about 0.4 µs of CPU both on a self re-exec through `sh -c` twelve
 * shells deep (the campaign's inputs) and on the eval's slowest real image (a 50,000-step entrypoint).
 */
const FRAME_WORK = 100;
/**
 * A shell's variables, and the names it exports. An image can set thousands (ENV inherited by every shell),
 * and every fork of a path copied them all and spelled them all out in the path key: seconds on large
 * inputs. So a copy shares its source's map until either side writes (copy on write), and the variables
 * keep a hash of their contents that each write updates (a sum of one hash per variable, so that a write
 * costs the size of that variable, not of all of them): the path key reads it instead of spelling the
 * variables out again after each assignment (a script that sets hundreds of variables, one per statement,
 * on a few paths rebuilt a key of all of them at every statement).
 */
export class Vars implements Map<string, Word | null> {
  private m: Map<string, Word | null>;
  private own = true;
  /** The order-independent hash of the contents: two 32-bit sums of the variables' hashes (entryHash). */
  private h1 = 0;
  private h2 = 0;
  constructor(entries?: Iterable<readonly [string, Word | null]>) {
    this.m = new Map();
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }
  static copy(from: Map<string, Word | null>): Vars {
    if (!(from instanceof Vars)) return new Vars(from);
    const v = new Vars();
    v.m = from.m;
    v.own = from.own = false;
    v.h1 = from.h1;
    v.h2 = from.h2;
    return v;
  }
  /** The variables' text in a path key (varsKey): their number and the hash of their contents. */
  get key(): string {
    return `${this.m.size}:${(this.h1 >>> 0).toString(36)}:${(this.h2 >>> 0).toString(36)}`;
  }
  private account(k: string, v: Word | null | undefined, sign: 1 | -1) {
    if (v === undefined) return;
    const [a, b] = entryHash(k, v);
    this.h1 = (this.h1 + sign * a) | 0;
    this.h2 = (this.h2 + sign * b) | 0;
  }
  private write(): Map<string, Word | null> {
    if (!this.own) {
      copiedOnWrite += this.m.size;
      this.m = new Map(this.m);
      this.own = true;
    }
    return this.m;
  }
  get size(): number {
    return this.m.size;
  }
  get(k: string): Word | null | undefined {
    return this.m.get(k);
  }
  has(k: string): boolean {
    return this.m.has(k);
  }
  set(k: string, v: Word | null): this {
    const m = this.write();
    this.account(k, m.get(k), -1);
    m.set(k, v);
    this.account(k, v, 1);
    return this;
  }
  delete(k: string): boolean {
    if (!this.m.has(k)) return false;
    this.account(k, this.m.get(k), -1);
    return this.write().delete(k);
  }
  clear(): void {
    if (this.m.size) this.write().clear();
    this.h1 = this.h2 = 0;
  }
  forEach(f: (v: Word | null, k: string, map: Map<string, Word | null>) => void, thisArg?: unknown): void {
    this.m.forEach((v, k) => f.call(thisArg, v, k, this));
  }
  entries() {
    return this.m.entries();
  }
  keys() {
    return this.m.keys();
  }
  values() {
    return this.m.values();
  }
  [Symbol.iterator]() {
    return this.m[Symbol.iterator]();
  }
  get [Symbol.toStringTag](): string {
    return "Vars";
  }
}

/** One variable's hash, for Vars' sum: two FNV-1a variants of its name and value (as in a path key). */
function entryHash(k: string, v: Word | null): [number, number] {
  // a long value's text is kept once per value (longKey); a short one is spelled out (not kept: memory)
  let len = 0;
  if (v !== null) for (const x of v) len += typeof x === "string" ? x.length : x.u.length;
  return hash64(`${k}=${v === null ? "\u0000" : len > LONG_KEY ? longKey(v, () => show(v)) : show(v)}`);
}

/** Two FNV-1a variants over the UTF-16 code units of a text (seeded apart, the second by its length): 64 bits. */
function hash64(t: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ t.length;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return [h1, h2];
}

/** The names a shell exports, shared by copies until one adds or removes a name (see Vars). */
export class Exported implements Set<string> {
  private m: Set<string>;
  private own = true;
  constructor(names?: Iterable<string>) {
    this.m = new Set(names);
  }
  static copy(from: Set<string>): Exported {
    if (!(from instanceof Exported)) return new Exported(from);
    const e = new Exported();
    e.m = from.m;
    e.own = from.own = false;
    return e;
  }
  private write(): Set<string> {
    if (!this.own) {
      copiedOnWrite += this.m.size;
      this.m = new Set(this.m);
      this.own = true;
    }
    return this.m;
  }
  get size(): number {
    return this.m.size;
  }
  has(k: string): boolean {
    return this.m.has(k);
  }
  add(k: string): this {
    if (!this.m.has(k)) this.write().add(k);
    return this;
  }
  delete(k: string): boolean {
    return this.m.has(k) ? this.write().delete(k) : false;
  }
  clear(): void {
    if (this.m.size) this.write().clear();
  }
  forEach(f: (v: string, k: string, set: Set<string>) => void, thisArg?: unknown): void {
    this.m.forEach((v) => f.call(thisArg, v, v, this));
  }
  entries() {
    return this.m.entries();
  }
  keys() {
    return this.m.keys();
  }
  values() {
    return this.m.values();
  }
  [Symbol.iterator]() {
    return this.m[Symbol.iterator]();
  }
  get [Symbol.toStringTag](): string {
    return "Exported";
  }
}

/**
 * Variables and exported names copied on a write to a shared map (Vars, Exported): the part of a fork's
 * cost that is paid later, at the first write; stepOver() adds it to the work of the analysis.
 */
let copiedOnWrite = 0;

export function clonePath(w: World, p: Path): Path {
  // The variables and exported names are shared, not copied (copy on write): their copy is counted when
  // it happens (copiedOnWrite), not at each fork.
  w.work += p.index.size;
  for (const s of p.stack) w.work += FRAME_WORK + s.funcs.size;
  const map = new Map<Proc, Proc>();
  const cloneProc = (q: Proc): Proc => {
    const c: Proc = { ...q, notes: [...q.notes], children: [] };
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
    vars: Vars.copy(s.vars),
    exported: Exported.copy(s.exported),
    funcs: new Map(s.funcs),
    funcStack: [...s.funcStack],
    locals: s.locals.map((l) => new Map(l)),
    traps: new Map(s.traps),
  }));
  return { ...p, conds: [...p.conds], root, index, stack };
}

export function allProcs(root: Proc): Proc[] {
  const out: Proc[] = [];
  const walk = (q: Proc) => {
    out.push(q);
    q.children.forEach(walk);
  };
  walk(root);
  return out;
}

/**
 * The state of a path, as a string. `arrayContents: false`: which arrays exist, not what they hold (dedupe).
 * `withDone: false`: without the foreground commands the path took to have returned (assumedDone), which
 * dedupe joins instead (mergeInto).
 */
export function pathKey(w: World, p: Path, arrayContents = true, withVars = true, withDone = true): string {
  // The variables' key is kept up to date by each write (Vars): only a plain map is spelled out here.
  w.work += p.index.size + (withVars && p.stack.length && !(sh(p).vars instanceof Vars) ? sh(p).vars.size : 0);
  const procs = allProcs(p.root)
    .filter((q) => q.alive)
    .map((q) => `${q.id}:${longKey(q.argv, () => q.argv.join("\u0001"))}:${q.shell?.state ?? ""}:${[...(q.shell?.traps.keys() ?? [])].join(",")}:${q.children.filter((c) => c.alive).map((c) => c.id).join(",")}:${q.cwd === undefined ? "" : q.cwd ?? "\u0000"}`);
  const s = p.stack.length ? sh(p) : null;
  const vars = s && withVars ? varsKey(s.vars) : "";
  const pos = s ? longKey(s.positional, () => s.positional.map(show).join("\u0001")) : "";
  const arrays = s?.arrays ? [...s.arrays].map(([k, a]) => (arrayContents ? `${k}=${longKey(a, () => arrayText(a))}` : k)).join("\u0002") : "";
  const traps = s ? [...s.traps].map(([k, v]) => `${k}:${v.handler}`).join(",") : "";
  const resume = `${p.resumeOf ? `${p.resumeOf.proc}@${p.resumeOf.line}` : ""}:${p.heldBy ?? ""}:${withDone ? (p.assumedDone ?? []).join(",") : ""}`;
  // Inside a condition the status is what `&&`/`||`/`if` act on next, so it tells two paths apart:
  // `[ -z "$A" ] && [ "$B" != yes ]` leaves paths that differ only in it, and merging them would lose
  // which conditions lead where. Outside one, the next command sets it anew (keeping paths apart there
  // for a status nobody reads multiplied paths on real scripts).
  const status = s && s.condDepth > 0 ? p.status ?? "?" : "";
  return [procs.join("|"), vars, pos, arrays, traps, p.flow, p.halted, p.exitCode, p.failed, p.stack.length, s?.lastBg?.id ?? "", resume, status].join("\u0003");
}

function varsKey(vars: Map<string, Word | null>): string {
  if (vars instanceof Vars) return vars.key;
  return shortText([...vars].map(([n, v]) => `${n}=${v === null ? "\u0000" : longKey(v, () => show(v))}`).join("\u0002"));
}

/**
 * A value's text in a path key: itself when short; a long one (a value that doubled, arguments that grew:
 * "$@" multiplied and passed on at each re-exec, an ENV that doubled and is inherited by every shell) by
 * its length and a 64-bit hash, computed once per value. Words, argument lists, positional parameters and
 * arrays are never changed in place (a new one replaces them), so clones of a path share them (clonePath)
 * and the key is not rebuilt at every dedupe: without this, a path key costs the size of the values, and a
 * script that forks at every step pays that size at every step (seconds, and gigabytes of keys).
 */
const longKeys = new WeakMap<object, string>();
const LONG_KEY = 512;
function longKey(value: object, text: () => string): string {
  const cached = longKeys.get(value);
  if (cached !== undefined) return cached;
  const k = shortText(text());
  longKeys.set(value, k);
  return k;
}

/** A text as itself when short, else as its length and a 64-bit hash. */
function shortText(t: string): string {
  if (t.length <= LONG_KEY) return t;
  // 64 bits of hash, plus the length
  const [h1, h2] = hash64(t);
  return `\u0004${t.length}:${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
}

const arrayText = (a: ShArray): string => a.lost ?? [...a.items].map(([i, v]) => `${i}:${show(v)}`).join("\u0001");

/**
 * Two paths that differ only in the contents of arrays are one path whose differing arrays are unknown:
 * an option list built under run-time conditions (if DEBUG…; then opts+=(…)) would otherwise double the
 * paths at each condition.
 */
function joinArrays(into: Path, from: Path) {
  const a = sh(into);
  const b = sh(from);
  if (!a.arrays || !b.arrays || a.arrays === b.arrays) return;
  let out: Map<string, ShArray> | null = null;
  for (const [k, x] of a.arrays) {
    const y = b.arrays.get(k);
    if (!y || y === x || arrayText(x) === arrayText(y)) continue;
    out ??= new Map(a.arrays);
    out.set(k, { ...x, items: new Map(), lost: `\${${k}[@]}` });
  }
  if (out) a.arrays = out;
}

/** A path keeps the processes that ended while it has fewer than this (see pruneEnded). */
const PRUNE_AT = 64;

/**
 * Drops from a path's tree the processes that ended and that nothing refers to any more: every command a
 * script ran stayed in the tree, and a path that ran a few hundred commands copied and walked them all at
 * each fork and comparison (hundreds of dead processes per path in a long entrypoint). Kept: the living,
 * those with living descendants, background jobs (`$!`, `kill $pid`, `wait $pid` name them), daemons and
 * their forks, the shells of the path's frames and their last job, and the process a path is held by or
 * resumes in. Called between statements (dedupe), when no command is half-way through its start.
 */
function pruneEnded(p: Path) {
  const keep = new Set<number>();
  for (const s of p.stack) {
    keep.add(s.proc.id);
    if (s.lastBg) keep.add(s.lastBg.id);
  }
  if (p.heldBy !== undefined) keep.add(p.heldBy);
  if (p.resumeOf) keep.add(p.resumeOf.proc);
  for (const q of p.index.values()) if (q.shell?.foreground) keep.add(q.shell.foreground.id);
  const visit = (q: Proc): boolean => {
    if (q.children.length) q.children = q.children.filter(visit);
    const kept = q.alive || q.background || q.daemonized || q.forkedFrom !== undefined || keep.has(q.id) || q.children.length > 0;
    if (!kept) p.index.delete(q.id);
    return kept;
  };
  if (p.root.children.length) p.root.children = p.root.children.filter(visit);
}

/** A run is no longer followed: the foreground commands it took to return are unresolved (World.unresolvedHolds). */
export function dropped(w: World, p: Path) {
  if (!p.assumedDone?.length) return;
  w.unresolvedHolds ??= new Set();
  for (const id of p.assumedDone) w.unresolvedHolds.add(id);
}

/** A path that runs no more statements of the list it is in: it halted (a steady state, a foreground command it
 * waits for), or it leaves the list (exit, return, break, continue). */
const finished = (p: Path): boolean => p.halted || p.flow !== null;

/**
 * Paths that reached the same state are merged; their conditions are joined with "or".
 *
 * The bound on paths (limits.maxPaths) is on the live ones, those that run the next statement: a path that
 * finished costs no more interpretation, and a script that forks on a foreground command it may wait for
 * (`sleep 5`, `java -jar installer.jar`) or exits on each failed check leaves one finished path per fork
 * while the live ones stay few. `settle: false` (between the statements of a list): finished paths are
 * passed on as they are, without a key; they are merged when the list returns (settle), since they cannot
 * change in between.
 */
export function dedupe(w: World, paths: Path[], settle = true): Path[] {
  for (const p of paths) if (p.index.size > PRUNE_AT && !finished(p)) pruneEnded(p);
  if (paths.length < 2) return paths; // nothing to merge (and the key is not cheap)
  const seen = new Map<string, Path>();
  let out: Path[] = [];
  let live = 0;
  for (const p of paths) {
    const done = finished(p);
    if (done && !settle) {
      out.push(p);
      continue;
    }
    // arrays that differ are joined (joinArrays), not kept apart
    const k = pathKey(w, p, false, true, false);
    const prev = seen.get(k);
    if (!prev) {
      seen.set(k, p);
      out.push(p);
      if (!done) live++;
    } else mergeInto(prev, p);
  }
  if (live > w.limits.maxPaths / 2) {
    out = joinValues(w, out);
    live = out.reduce((n, p) => (finished(p) ? n : n + 1), 0);
  }
  if (live > w.limits.maxPaths) {
    let kept = 0;
    out = out.filter((p) => {
      if (finished(p) || kept++ < w.limits.maxPaths) return true;
      dropped(w, p);
      return false;
    });
    noteTruncated(w, `more than ${w.limits.maxPaths} run-time paths; only the first ${w.limits.maxPaths} were followed`, out.find((p) => !finished(p)));
  }
  return out;
}

/**
 * Joining, when paths multiply (a run of `file_env X` calls, each with three outcomes, gives 3^n paths that
 * differ only in the values they set): live paths in the same control state (same processes, same place,
 * same traps; pathKey without the variables) become one, and a variable they disagree on is only known at
 * run time. The report loses which run sets which value; it keeps every way the script can go on, where the
 * limit on paths would drop some.
 */
function joinValues(w: World, paths: Path[]): Path[] {
  const byShape = new Map<string, Path>();
  const out: Path[] = [];
  for (const p of paths) {
    if (p.halted || p.flow || !p.stack.length) {
      out.push(p);
      continue;
    }
    const k = pathKey(w, p, false, false, false);
    const prev = byShape.get(k);
    if (!prev) {
      byShape.set(k, p);
      out.push(p);
      continue;
    }
    mergeInto(prev, p);
    const a = sh(prev);
    const b = sh(p);
    for (const [name, v] of a.vars) {
      const u = b.vars.has(name) ? b.vars.get(name)! : undefined;
      if (u === undefined || (v === null ? "\u0000" : show(v)) !== (u === null ? "\u0000" : show(u))) a.vars.set(name, [{ u: `$${name}` }]);
    }
    for (const name of b.vars.keys()) if (!a.vars.has(name)) a.vars.set(name, [{ u: `$${name}` }]);
  }
  return out;
}

/**
 * `from` reached the state of `into`, which stands for both from now on: the conditions are joined, arrays
 * that differ become unknown, and the foreground commands either path took to have returned are joined
 * (resolveHeld in analyze.ts drops a run held by one of them when a run that went on after it reaches a
 * service: the joined path went on after each).
 */
function mergeInto(into: Path, from: Path) {
  into.conds = mergeConds(into.conds, from.conds);
  into.facts = commonFacts(into.facts, from.facts);
  if (from.stack.length && into.stack.length) joinArrays(into, from);
  if (from.assumedDone?.length) into.assumedDone = [...new Set([...(into.assumedDone ?? []), ...from.assumedDone])];
}

function mergeConds(a: string[], b: string[]): string[] {
  // Keep the common prefix; the differing tails are alternatives. What they leave out went down other
  // paths (a guard's exit), which the report shows as preconditions, so the prefix says enough.
  const out: string[] = [];
  for (let i = 0; i < Math.min(a.length, b.length) && a[i] === b[i]; i++) out.push(a[i]!);
  return out;
}

/**
 * Counts one interpretation step. Past the bound on steps (limits.maxSteps) or on the work of following
 * paths (limits.maxWork): why the analysis stops here, else null.
 */
export function stepOver(w: World): string | null {
  // Measured (node 20, this machine): copying a Map or Set of 512 entries costs about 0.03 µs an entry,
  // a tenth of a unit (FRAME_WORK): ten copied entries are one unit.
  if (copiedOnWrite >= 10) {
    w.work += Math.floor(copiedOnWrite / 10);
    copiedOnWrite %= 10;
  }
  if (++w.steps > w.limits.maxSteps) return `more than ${w.limits.maxSteps} interpretation steps`;
  if (w.work > w.limits.maxWork) return `the run-time paths and the processes they keep grew past what is followed (${w.limits.maxWork} units of work copying and comparing them, after ${w.steps} steps)`;
  return null;
}

export function noteTruncated(w: World, reason: string, p: Path | undefined, line = 0) {
  if (!w.truncated) {
    const s = p && p.stack.length ? sh(p) : null;
    w.truncated = { reason, file: s?.file ?? w.model.file, line };
  }
}

/** A process ends, and with it everything below it (a foreground command that returns, a wrapper whose duration ran out). */
export function endTree(q: Proc) {
  q.alive = false;
  for (const c of q.children) endTree(c);
}

export function findProc(p: Path, id: number): Proc | null {
  return p.index.get(id) ?? null;
}

/** Adds a child process to a parent in this path's tree. */
export function attach(p: Path, parent: Proc, child: Proc) {
  if (parent.cwd !== undefined && child.cwd === undefined) child.cwd = parent.cwd;
  parent.children.push(child);
  p.index.set(child.id, child);
}
