// The catalog of programs' signal behaviour (src/data/programs.json, checked against its schema by the
// tests; every fact's source is in docs/programs.md).
import data from "./data/programs.json" with { type: "json" };
import { bare } from "./names.js";

export type SignalAction =
  | "graceful-stop" | "fast-stop" | "reload" | "reopen-logs" | "restart" | "ignore" | "forward" | "dump" | "other";

/**
 * What a shell without a trap for a signal does with it (measured, docs/measurements.md):
 * default: no handler (at PID 1 the kernel drops it; otherwise the default action, fatal for most);
 * ignored: SIG_IGN; caught: a handler, and nothing visible happens (the script goes on);
 * after-foreground: it exits with 128+n once its foreground command ends, at once in `wait`;
 * in-wait: nothing while a foreground command runs (unless that command dies of the same signal), exits in `wait`;
 * at-once: it exits at once, even while a foreground command runs.
 */
export type ShellSignalReaction = "default" | "ignored" | "caught" | "after-foreground" | "in-wait" | "at-once";

/** Where a forwarding program sends what it forwards. */
export type ForwardTarget = "child" | "process-group" | "all-children" | "services";

/** A framework or library an application uses that decides what its process does with signals. */
export interface AppFrameworkEntry {
  name: string;
  /** Packages (node) or dotted modules (python) whose import brings it in. */
  imports: string[];
  /** Calls that must also appear in a scanned file (NestJS: enableShutdownHooks(): without it, no handler). */
  calls?: string[];
  /** `python -m NAME` runs it. */
  modules?: string[];
  /** The entry file is what the framework's build generates (BuiltBy.how of packages/dockerfile): the framework applies without reading it. */
  generated?: "next-standalone";
  /** Variables of the environment that turn its handlers off when the image sets them. */
  unlessEnv?: string[];
  /** What the process does with each signal once it is in; {} for a framework that installs none (Express). */
  signals: Record<string, SignalAction>;
  sources: string[];
  notes?: string;
}

/**
 * An interpreter whose application may install its own handlers (node, python): how its argv names the
 * application, and the frameworks that install handlers. An application's handler replaces the interpreter's
 * default for that signal (app/scan.ts finds them).
 */
export interface AppSpec {
  language: "node" | "python";
  /** Options that take the next word as their value. */
  optionsWithValue: string[];
  /** Options whose value is the program's code (node -e, python -c). */
  codeOptions: string[];
  /** The option whose value names a module to run (python -m). */
  moduleOption?: string;
  /** Options whose value is a module loaded before the program (node -r, --import). */
  preloadOptions?: string[];
  frameworks: AppFrameworkEntry[];
  sources: string[];
}

/** How npm-run-all reads its tasks: the scripts it runs, in order, each as its child `<manager> run TASK`. */
export interface RunTasksSpec {
  /** It runs its tasks at the same time unless told otherwise (run-p). */
  parallel: boolean;
  parallelOptions: string[];
  sequentialOptions: string[];
  optionsWithValue: string[];
  /** Options that name another program to run the tasks with (--npm-path): not followed. */
  otherRunner: string[];
  /** The manager that runs the tasks when no package manager ran it ($npm_execpath unset). */
  defaultManager: string;
}

/** How a package manager picks the package.json script it runs (npm start, yarn X, npx CMD). */
export interface RunScriptSpec {
  byOperand: string[];
  named: string[];
  implicit: boolean;
  builtins: string[];
  optionsWithValue: string[];
  otherPackage?: string[];
  /** Options whose value names the workspace package whose script runs (pnpm --filter NAME). */
  filterOptions?: string[];
  extraArgs: "after-dashdash" | "all";
  exec?: boolean;
  defaults?: { script: string; run: string; ifFile: string }[];
  prePost?: boolean;
  /** The manager's name in package.json's packageManager (corepack) and the major versions this entry holds for. */
  versions?: { name: string; majors: number[] };
  notes?: string;
}

export interface ProgramEntry {
  name: string;
  match: string[];
  role: "init" | "supervisor" | "shell" | "wrapper-exec" | "wrapper-parent" | "service" | "tool";
  longRunning: boolean;
  signals: Record<string, SignalAction>;
  /**
   * Measured behaviour when the program is PID 1 of a PID namespace, where it differs from `signals`
   * (e.g. node's default SIGTERM handler re-raises the signal, which the kernel then drops at PID 1).
   */
  atPid1?: Record<string, SignalAction>;
  /** The program's own name for a signal's action, whether it ends after it, and its exit status then
   * (used by the engine's stand-ins, engine/standin/gen-personas.mjs). Keys are also in `signals`. */
  signalDetails?: Record<string, { label?: string; stops?: boolean; exitCode?: number; depends?: string }>;
  /**
   * `sends`: the signal it sends whatever it received (util-linux su/runuser send SIGTERM); absent, the one it got.
   * `toWhen`: options (before the command) or environment variables that change the target (tini -g, dumb-init -c,
   * timeout --foreground); the first that applies wins. `rewrite`: options whose value `s:r` (signal numbers) makes it
   * send r when it gets s, r = 0 dropping s (dumb-init --rewrite).
   */
  forwards: {
    to: ForwardTarget; signals: string[]; except: string[]; sends?: string; notes?: string;
    /** It passes the signal on and exits at once, without waiting for its targets (yarn 1). */
    exitsAtOnce?: boolean;
    toWhen?: { options?: string[]; env?: string; envValue?: string; to: "child" | "process-group" }[];
    rewrite?: { options: string[] };
  } | null;
  /** Its child leads a process group of its own: always (tini's setpgid), or only when it forwards to the group (dumb-init's setsid). */
  childLeadsGroup?: "always" | "with-process-group";
  /** It registers as a child subreaper, so orphans below it are re-parented to it and not to PID 1: always when it is not
   * PID 1, or with one of `options` (before the command) or environment variables `env`. */
  subreaper?: { always?: boolean; options?: string[]; env?: string[] };
  /** Signals it leaves ignored when it starts with them ignored (a non-interactive shell starts background commands with
   * SIGINT and SIGQUIT ignored; Python then installs no SIGINT handler). */
  keepsIgnored?: string[];
  /** For a shell: what it does with a signal it has no trap for, as PID 1 and as another process (absent: "default"). */
  shellSignals?: Record<string, { pid1: ShellSignalReaction; child: ShellSignalReaction }>;
  /** In an image whose /bin/sh is BusyBox, the program of this name is the BusyBox applet: the entry named here. */
  busyboxApplet?: string;
  /** The applet only when the command names it (`busybox httpd`), not for the bare name in a BusyBox image. */
  busyboxAppletNamedOnly?: boolean;
  /** A launcher script from outside the build context that execs `argv` and its own arguments in its place,
   * unless one of `unlessArgs` is given (a mode may carry its own: `catalina.sh run`). */
  launches?: Launch;
  /** A package manager that runs a package.json script as a child `/bin/sh -c SCRIPT` (exec/run-script.ts). */
  runScript?: RunScriptSpec;
  /** It runs package.json scripts by name through the manager that ran it (npm-run-all, run-s, run-p). */
  runTasks?: RunTasksSpec;
  reapsZombies: boolean | null;
  exitsWithChild: boolean | null;
  daemonizes: { byDefault: boolean; foregroundArgs: string[][]; foregroundFlags: string[]; notes?: string } | null;
  /** A supervisor whose children are the programs of its config file (supervisord). */
  programsFrom?: { format: "supervisord" | "runit-dir" | "procfile"; procfile?: "exec-prefix" | "ruby-spawn"; configFlags?: string[]; search?: string[]; stopWaitSeconds?: number; notes?: string };
  /** The config file it reads and the setting there that decides whether it daemonizes (exec/config.ts). */
  config?: ProgramConfig;
  /** Options it also takes from its environment and config files (uWSGI's ini files and UWSGI_* variables). */
  optionsFrom?: import("./exec/options-from.js").OptionsFrom;
  /** It ends after the duration its operand-th operand gives (sleep); under transientBelowSeconds, a pause of the setup. */
  duration?: { operand: number; transientBelowSeconds: number; notes?: string };
  /** Run by a user other than root it fails with this status (setcap needs CAP_SETFCAP). */
  failsWithoutRoot?: { status: number; notes?: string };
  recommendedStopSignal: string | null;
  /** How long a graceful stop on these signals can take with the program's defaults, and the setting that changes it. */
  stopTakes?: {
    seconds: number; signals: string[]; setting: string; source: string; options?: string[];
    /** The directive of its config file (`config`) that sets the time: a number and a unit of `units` (seconds
     * each, singular name; the plural is taken too); the stop takes it plus `extraSeconds`. */
    fromConfig?: { key: string; units: Record<string, number>; extraSeconds: number; source: string };
  };
  /** Command-line syntax, for programs that refuse operands (nginx exits on "invalid option"). */
  /** `clusters`: single-letter options may be grouped after one dash, as getopt reads them (`-NYCd 1`). */
  args?: { optionsWithValue: string[]; operands: boolean; oneShot?: string[]; clusters?: boolean; source?: string };
  wrapper: {
    skipWords: number;
    optionsWithValue: string[];
    optionsStop: string | null;
    commandFlag: string | null;
    /** Where the arguments name the user the command runs as: an option's value, or the first operand. */
    user?: { options?: string[]; operand?: boolean };
    /** GNU getopt permutation: option words after the program name are taken by the wrapper unless
     * `optionsStop` ends its options first (tini, catatonit). */
    permutesOptions?: boolean;
    /** A lone "-" is one of its options (su's login shell, env's -i), not the first operand. */
    loneDashIsOption?: boolean;
    /** The option that names the shell that runs `commandFlag`'s string (su -s SHELL); without it, /bin/sh. */
    shellOption?: string;
    /** The words after `optionsStop` are the arguments of this shell, not a command (capsh `--` execs /bin/bash
     * with them); `shellOption` (also as `--opt=PATH`) names another shell. */
    stopRunsShell?: string;
    /** Options (before the command) with which the command starts with an empty environment (env -i). */
    clearsEnv?: string[];
    /**
     * It forks the command and its first process exits: when its process leads a process group (setsid: setsid()
     * fails for a group leader), or with one of `options` (setsid -f). With one of `waitOptions` the first process
     * stays and waits for the command instead (setsid -w).
     */
    forks?: { whenGroupLeader?: boolean; options?: string[]; waitOptions?: string[] };
    /** It execs the command in its own place and leaves a forked watcher process behind (BusyBox timeout). */
    leavesWatcher?: boolean;
    /** Leading NAME=VALUE words (after its options) set variables in the command's environment (env). */
    assignments?: boolean;
    /** Its first operand is an applet that it runs in its own place (busybox APPLET args). */
    runsApplets?: boolean;
  } | null;
  /** It runs an application whose source may install handlers (see AppSpec). */
  app?: AppSpec;
  sources: string[];
  notes?: string;
  unverified?: string[];
  /** How the facts were established: measured (version + ground-truth test) or documented (source + what it says). */
  provenance?: Provenance[];
  /** Behaviour that depends on the arguments (`php -S`, `caddy run`); the first mode whose `when` holds wins. */
  modes?: ProgramMode[];
}

export interface Provenance {
  kind: "measured" | "documented";
  version?: string;
  test?: string;
  source?: string;
  says?: string;
  covers?: string;
}

/** Fields a mode may replace. */
type ModeFields = Partial<Pick<ProgramEntry, "role" | "longRunning" | "signals" | "atPid1" | "signalDetails" | "daemonizes" | "wrapper" | "recommendedStopSignal" | "launches" | "forwards" | "exitsWithChild">>;

/**
 * What a launcher script execs in its place (programs.schema.json `launches`): `argv`, then its own arguments
 * (those after the subcommand its mode matched with `afterSubcommand`), then `appends`. Not followed (unknown)
 * with one of `unlessArgs`, a non-empty `unlessEnv` variable, a first argument that is an option with
 * `unlessOptionFirst`, or a version below `since.version` in `since.env`.
 */
export interface Launch {
  argv: string[];
  /** It runs `argv` as its child (no exec) and stays its parent: its own signals and forwards are the entry's. */
  asChild?: boolean;
  afterSubcommand?: boolean;
  appends?: string[];
  unlessArgs?: string[];
  unlessEnv?: string[];
  unlessOptionFirst?: string;
  since?: { version: string; env?: string[]; before: string };
  notes?: string;
}

export interface ProgramMode extends ModeFields {
  /** options: one of them is among the arguments; operands: the leading operands start with one of these sequences;
   * noOperands: there is no operand; noOptions: none of these options is there (a short one also not inside a
   * group, `-lc`); targetUser: a wrapper's user (wrapper.user; none given counts as root) is one of these;
   * baseImage: the base image is one of these repositories, its tag's major version in the range; env: one of
   * these variables is set non-empty in the image's ENV. Every condition given must hold. */
  when: { options?: string[]; operands?: string[][]; noOperands?: boolean; noOptions?: string[]; targetUser?: string[]; baseImage?: { repositories: string[]; majorBelow?: number; majorAtLeast?: number }; env?: string[]; binSh?: string[] };
  label?: string;
}

/** Where a program's config file is, how it is read, and which of its settings keeps it in the foreground. */
export interface ProgramConfig {
  syntax: "ini" | "nginx" | "redis";
  fileOptions?: string[];
  fileOperand?: boolean;
  search: string[];
  /** The setting that decides whether it daemonizes; absent when only its command line does (squid -N). */
  setting?: { section?: string; key: string; foreground: string[]; background: string[]; duplicateFails?: boolean };
  include?: { section?: string; key: string; list?: boolean; relativeTo: "file-dir" | "main-dir" | "prefix" | "workdir"; at: "inline" | "end"; nested?: boolean };
  backgroundFlags?: string[];
  argvSettings?: "nginx-g" | "redis-options";
  notes?: string;
  sources: string[];
}

export interface ProgramCatalog {
  version: number;
  programs: ProgramEntry[];
}

export const programCatalog = data as unknown as ProgramCatalog;

const byName = new Map<string, ProgramEntry>();
for (const p of programCatalog.programs) for (const m of p.match) if (!byName.has(m)) byName.set(m, p);

export function findProgram(argv0: string): ProgramEntry | null {
  return byName.get(bare(argv0)) ?? null;
}

export function programByName(name: string): ProgramEntry | null {
  return programCatalog.programs.find((p) => p.name === name) ?? null;
}

/** The operands of a command line: the words that are not options (the values of `args.optionsWithValue` skipped). */
function operandsOf(p: ProgramEntry, args: readonly string[]): string[] {
  const withValue = new Set(p.args?.optionsWithValue ?? []);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") return [...out, ...args.slice(i + 1)];
    if (a.startsWith("-") && a !== "-") {
      if (withValue.has(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The mode of `p` that these arguments select (catalog `modes`), or null. */
/** The image the program runs in, as its FROM names it (the root image for a stage built from a stage). */
export interface ImageOf {
  repository: string;
  tag: string;
  /** What the image's /bin/sh is (busybox on Alpine and the busybox images). */
  binSh?: string;
}

/** The major version a tag starts with (`7.0`, `8.0-alpine`, `9`): null when it does not start with one. */
function tagMajor(tag: string): number | null {
  const m = /^(\d+)(?:[.-]|$)/.exec(tag);
  return m ? Number(m[1]) : null;
}

/**
 * A leading operand matches a word of a mode's sequence: the same word, or, for the first operand, a path whose
 * last component is that word (`php /var/www/html/artisan migrate` runs the script `artisan`, as `php artisan migrate`).
 */
function operandIs(op: string | undefined, word: string, i: number): boolean {
  if (op === word) return true;
  return i === 0 && op !== undefined && op.includes("/") && !word.includes("/") && op.slice(op.lastIndexOf("/") + 1) === word;
}

export function modeFor(p: ProgramEntry, args: readonly string[], image?: ImageOf | null, env?: EnvView | null): ProgramMode | null {
  if (!p.modes) return null;
  const ops = operandsOf(p, args);
  const hasOption = (o: string) => args.some((a) => a === o || (o.startsWith("--") && a.startsWith(`${o}=`)));
  for (const m of p.modes) {
    const w = m.when;
    if (w.options && !w.options.some(hasOption)) continue;
    if (w.operands && !w.operands.some((seq) => seq.every((x, i) => operandIs(ops[i], x, i)))) continue;
    if (w.noOperands && ops.length) continue;
    if (w.noOptions && w.noOptions.some((o) => hasOption(o) || (/^-[A-Za-z0-9]$/.test(o) && args.some((a) => /^-[A-Za-z0-9]{2,}$/.test(a) && a.includes(o[1]!))))) continue;
    if (w.targetUser && !w.targetUser.includes(wrapperUser(p, args) ?? "root")) continue;
    if (w.env && !w.env.some((v) => (env?.[v] ?? "") !== "")) continue;
    // the image's /bin/sh (busybox: an Alpine image, whose packages are built differently from Debian's)
    if (w.binSh && !(image?.binSh && w.binSh.includes(image.binSh))) continue;
    if (w.baseImage) {
      // the version the base image's tag names (mcr.microsoft.com/dotnet/runtime:8.0): an image not listed, or a
      // tag without a version (latest), does not select the mode
      const b = w.baseImage;
      const major = image && b.repositories.includes(image.repository) ? tagMajor(image.tag) : null;
      if (major === null || (b.majorBelow !== undefined && major >= b.majorBelow) || (b.majorAtLeast !== undefined && major < b.majorAtLeast)) continue;
    }
    return m;
  }
  return null;
}

/** The entry as these arguments make it behave: the fields of the selected mode over the entry's own. */
export function entryForArgs(p: ProgramEntry, args: readonly string[], image?: ImageOf | null, env?: EnvView | null): ProgramEntry {
  const m = modeFor(p, args, image, env);
  if (!m) return p;
  const { when: _when, label: _label, ...fields } = m;
  return { ...p, ...fields };
}

/** Signals whose default action does nothing (the rest terminate a process that is not PID 1). */
export const DEFAULT_IGNORED: ReadonlySet<string> = new Set(["SIGCHLD", "SIGWINCH", "SIGURG", "SIGCONT"]);

/** The action a delivered signal triggers; at PID 1, a signal without an action is dropped by the kernel. */
export function signalAction(p: ProgramEntry, signal: string, isPid1: boolean): SignalAction | null {
  if (isPid1 && p.atPid1 && signal in p.atPid1) return p.atPid1[signal]!;
  return p.signals[signal] ?? null;
}

/**
 * The arguments with grouped single-letter options taken apart, for a program that reads them with getopt
 * (args.clusters): `-NYCd 1` is -N -Y -C -d 1. A letter that takes a value ends the group (the rest of the
 * word, or the next word, is its value). Options are read up to `--`.
 */
export function optionWords(p: ProgramEntry, args: readonly string[]): readonly string[] {
  if (!p.args?.clusters) return args;
  const withValue = new Set(p.args.optionsWithValue);
  const out: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") break;
    if (!/^-[A-Za-z0-9]{2,}$/.test(a) || withValue.has(a.slice(0, 2))) {
      out.push(a);
      if (withValue.has(a) && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = `-${a[j]}`;
      out.push(f);
      if (withValue.has(f)) {
        if (j + 1 < a.length) out.push(a.slice(j + 1));
        else if (i + 1 < args.length) out.push(args[++i]!);
        break;
      }
    }
  }
  return [...out, ...args.slice(i)];
}

/**
 * A one-letter flag given in a cluster of short options (`supervisord -nc FILE` is `-n -c FILE`, getopt's
 * clustering): the letter is in a word of letters after one dash, after no letter that takes a value (the
 * catalog's config file options: a value-taking letter takes the rest of the word). Measured: supervisord
 * 4.2.5 as PID 1 stays in the foreground with `-nc FILE` and daemonizes with `-c FILE`.
 */
function inCluster(p: ProgramEntry, args: readonly string[], flag: string): boolean {
  if (!/^-[A-Za-z]$/.test(flag)) return false;
  const takesValue = new Set((p.config?.fileOptions ?? []).filter((o) => /^-[A-Za-z]$/.test(o)).map((o) => o[1]!));
  for (const a of args) {
    if (!/^-[A-Za-z]{2,}$/.test(a)) continue;
    for (const ch of a.slice(1)) {
      if (ch === flag[1]) return true;
      if (takesValue.has(ch)) break;
    }
  }
  return false;
}

/** Does the program stay in the foreground with these arguments? */
export function daemonizesWith(p: ProgramEntry, argv: readonly string[]): boolean {
  const d = p.daemonizes;
  if (!d || !d.byDefault) return false;
  const args = optionWords(p, argv);
  if (d.foregroundFlags.some((f) => args.includes(f) || inCluster(p, args, f))) return false;
  for (const seq of d.foregroundArgs) {
    for (let i = 0; i + seq.length <= args.length; i++) {
      if (seq.every((w, j) => normalizeArg(args[i + j]!) === normalizeArg(w))) return false;
    }
  }
  return true;
}
const normalizeArg = (s: string) => s.replace(/\s+/g, " ").replace(/;\s*$/, ";").trim();

/**
 * The command a wrapper runs: `gosu app cmd…` → `cmd…`. Returns null when the arguments do not name a
 * command. For a wrapper with a command flag (`su -c 'cmd'`), `shellCommand` is the command string.
 */
/** The user a wrapper runs its command as (catalog `wrapper.user`; `user:group` gives `user`), or null. */
export function wrapperUser(p: ProgramEntry, args: readonly string[]): string | null {
  const w = p.wrapper;
  const u = w?.user;
  if (!w || !u) return null;
  const name = (spec: string) => spec.split(":")[0] || null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === w.optionsStop) break;
    for (const o of u.options ?? []) {
      if (a === o && i + 1 < args.length) return name(args[i + 1]!);
      if (a.startsWith(o + "=")) return name(a.slice(o.length + 1));
    }
    const c = shortCluster(w, a);
    if (c?.letter && (u.options ?? []).includes(c.letter)) return c.value !== null ? name(c.value) : i + 1 < args.length ? name(args[i + 1]!) : null;
  }
  if (!u.operand) return null;
  // The first word that is neither an option (su's "-" included) nor an option's value.
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === w.optionsStop) return null;
    if (a === w.commandFlag || w.optionsWithValue.includes(a)) i++;
    else if (!a.startsWith("-")) return name(a);
  }
  return null;
}

/**
 * A cluster of short options as getopt reads it (POSIX Utility Syntax Guideline 5) (`sudo -HEu git cmd`, `su -lc 'cmd'`): the first letter that
 * takes a value ends the cluster, and its value is the rest of the word or, at the end, the next word.
 * Null for a word that is not such a cluster.
 */
function shortCluster(w: NonNullable<ProgramEntry["wrapper"]>, a: string): { letter: string; value: string | null } | { letter: null } | null {
  if (!/^-[A-Za-z0-9]{2,}$/.test(a) || w.optionsWithValue.includes(a)) return null;
  for (let k = 1; k < a.length; k++) {
    const opt = "-" + a[k];
    if (opt === w.commandFlag || w.optionsWithValue.includes(opt)) return { letter: opt, value: k + 1 < a.length ? a.slice(k + 1) : null };
  }
  return { letter: null };
}

export function wrapperTarget(p: ProgramEntry, args: readonly string[]): { argv: string[]; shellCommand: string | null; shellArgs?: true } | null {
  const w = p.wrapper;
  if (!w) return null;
  let i = 0;
  let shellCommand: string | null = null;
  let skipped = 0;
  const positional: string[] = [];
  while (i < args.length) {
    const a = args[i]!;
    if (w.optionsStop !== null && a === w.optionsStop) {
      i++;
      // capsh -- ARGS: a shell runs with ARGS (with none it reads its standard input: not a command known here)
      if (w.stopRunsShell) return i < args.length ? { argv: args.slice(i), shellCommand: null, shellArgs: true } : null;
      break;
    }
    if (w.commandFlag && a === w.commandFlag) {
      shellCommand = args[i + 1] ?? "";
      i += 2;
      continue;
    }
    if (a === "-" && w.loneDashIsOption) {
      i++;
      continue;
    }
    if (a.startsWith("-") && a !== "-") {
      const c = shortCluster(w, a);
      if (c?.letter && c.letter === w.commandFlag) {
        shellCommand = c.value ?? args[i + 1] ?? "";
        i += c.value === null ? 2 : 1;
      } else if (c?.letter) i += c.value === null ? 2 : 1;
      else if (w.optionsWithValue.includes(a)) i += 2;
      else i += 1;
      continue;
    }
    // env: leading NAME=value words are assignments, not the command.
    if (w.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
      i++;
      continue;
    }
    if (skipped < w.skipWords) {
      positional.push(a);
      skipped++;
      i++;
      continue;
    }
    break;
  }
  const rest = args.slice(i);
  if (shellCommand !== null) return { argv: [], shellCommand };
  if (rest.length === 0) return null;
  return { argv: [...rest], shellCommand: null };
}

/**
 * The wrapper's own option words (with their values) in `args`: those before its command, and with GNU getopt
 * permutation (tini without "--") also every option word after the command's name.
 */
export function wrapperOptions(p: ProgramEntry, args: readonly string[]): string[] {
  const w = p.wrapper;
  if (!w) return [];
  const t = wrapperTarget(p, args);
  const end = t && t.shellCommand === null ? args.length - t.argv.length : args.length;
  const own = args.slice(0, end).filter((a) => a !== w.optionsStop);
  if (w.permutesOptions && t && t.shellCommand === null && !args.slice(0, end).includes(w.optionsStop ?? "--")) {
    for (let i = 1; i < t.argv.length; i++) {
      const a = t.argv[i]!;
      if (!a.startsWith("-")) continue;
      own.push(a);
      if (w.optionsWithValue.includes(a) && i + 1 < t.argv.length) own.push(t.argv[++i]!);
    }
  }
  return own;
}

/** Does one of `options` appear among the wrapper's own options (also as `--opt=value`)? */
export function hasWrapperOption(p: ProgramEntry, args: readonly string[], options: readonly string[] | undefined): boolean {
  if (!options?.length) return false;
  const own = wrapperOptions(p, args);
  return own.some(
    (a) =>
      options.includes(a) ||
      options.some((o) => o.startsWith("--") && a.startsWith(o + "=")) ||
      // a cluster of one-letter flags: -sg
      (/^-[A-Za-z]{2,}$/.test(a) && options.some((o) => /^-[A-Za-z]$/.test(o) && a.includes(o[1]!))),
  );
}

/** The environment a program of the image starts with, as the Dockerfile's ENV sets it. */
export type EnvView = Readonly<Record<string, string>>;

/**
 * Where a forwarding program sends what it forwards, given its arguments (argv without the program name) and
 * environment: the catalog's `forwards.to`, unless an option or variable of `forwards.toWhen` applies.
 */
export function forwardTarget(p: ProgramEntry, args: readonly string[], env: EnvView): ForwardTarget | null {
  const f = p.forwards;
  if (!f) return null;
  for (const m of f.toWhen ?? []) {
    if (m.options && hasWrapperOption(p, args, m.options)) return m.to;
    if (m.env !== undefined && m.env in env && (m.envValue === undefined || env[m.env] === m.envValue)) return m.to;
  }
  return f.to;
}

/** Linux signal numbers (x86-64, as dumb-init --rewrite takes them). */
const SIGNAL_NUMBERS: Record<number, string> = {
  1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1",
  11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP",
  20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ", 26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH",
  29: "SIGIO", 30: "SIGPWR", 31: "SIGSYS",
};

/**
 * The signal a forwarder sends when it gets `sig`, after its `forwards.rewrite` options (dumb-init -r 15:2): a signal
 * name, or null when the rewrite drops it (r = 0). Without a rewrite for `sig`: `forwards.sends` or `sig` itself.
 */
export function rewrittenSignal(p: ProgramEntry, args: readonly string[], sig: string): string | null {
  const f = p.forwards;
  if (!f) return sig;
  let out: string | null = f.sends ?? sig;
  const opts = f.rewrite?.options ?? [];
  if (opts.length) {
    const own = wrapperOptions(p, args);
    for (let i = 0; i < own.length; i++) {
      const a = own[i]!;
      let v: string | null = null;
      if (opts.includes(a)) v = own[i + 1] ?? null;
      else {
        const long = opts.find((o) => o.startsWith("--") && a.startsWith(o + "="));
        if (long) v = a.slice(long.length + 1);
        else {
          const short = opts.find((o) => /^-[A-Za-z]$/.test(o) && a.startsWith(o) && a.length > 2);
          if (short) v = a.slice(2);
        }
      }
      const m = v !== null ? /^(\d+):(\d+)$/.exec(v) : null;
      if (!m || SIGNAL_NUMBERS[Number(m[1])] !== sig) continue;
      out = Number(m[2]) === 0 ? null : SIGNAL_NUMBERS[Number(m[2])] ?? out;
    }
  }
  return out;
}
