// The catalog of programs' signal behaviour (src/data/programs.json, checked against its schema by the
// tests; every fact's source is in docs/programs.md).
import data from "./data/programs.json" with { type: "json" };
import { bare } from "./names.js";

export type SignalAction =
  | "graceful-stop" | "fast-stop" | "reload" | "reopen-logs" | "restart" | "ignore" | "forward" | "dump" | "other";

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
  signalDetails?: Record<string, { label?: string; stops?: boolean; exitCode?: number }>;
  /** `sends`: the signal it sends whatever it received (util-linux su/runuser send SIGTERM); absent, the one it got. */
  forwards: { to: "child" | "process-group" | "all-children" | "services"; signals: string[]; except: string[]; sends?: string; notes?: string } | null;
  reapsZombies: boolean | null;
  exitsWithChild: boolean | null;
  daemonizes: { byDefault: boolean; foregroundArgs: string[][]; foregroundFlags: string[]; notes?: string } | null;
  /** A supervisor whose children are the programs of its config file (supervisord). */
  programsFrom?: { format: "supervisord"; configFlags: string[]; search: string[]; notes?: string };
  /** It ends after the duration its operand-th operand gives (sleep); under transientBelowSeconds, a pause of the setup. */
  duration?: { operand: number; transientBelowSeconds: number; notes?: string };
  recommendedStopSignal: string | null;
  /** Command-line syntax, for programs that refuse operands (nginx exits on "invalid option"). */
  args?: { optionsWithValue: string[]; operands: boolean; oneShot?: string[]; source?: string };
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
  } | null;
  sources: string[];
  notes?: string;
  unverified?: string[];
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

/** Signals whose default action does nothing (the rest terminate a process that is not PID 1). */
export const DEFAULT_IGNORED: ReadonlySet<string> = new Set(["SIGCHLD", "SIGWINCH", "SIGURG", "SIGCONT"]);

/** The action a delivered signal triggers; at PID 1, a signal without an action is dropped by the kernel. */
export function signalAction(p: ProgramEntry, signal: string, isPid1: boolean): SignalAction | null {
  if (isPid1 && p.atPid1 && signal in p.atPid1) return p.atPid1[signal]!;
  return p.signals[signal] ?? null;
}

/** Does the program stay in the foreground with these arguments? */
export function daemonizesWith(p: ProgramEntry, args: readonly string[]): boolean {
  const d = p.daemonizes;
  if (!d || !d.byDefault) return false;
  if (d.foregroundFlags.some((f) => args.includes(f))) return false;
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

export function wrapperTarget(p: ProgramEntry, args: readonly string[]): { argv: string[]; shellCommand: string | null } | null {
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
      break;
    }
    if (w.commandFlag && a === w.commandFlag) {
      shellCommand = args[i + 1] ?? "";
      i += 2;
      continue;
    }
    if (a.startsWith("-") && a !== "-") {
      if (w.optionsWithValue.includes(a)) i += 2;
      else i += 1;
      continue;
    }
    // env: leading NAME=value words are assignments, not the command.
    if (p.name === "env" && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
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
