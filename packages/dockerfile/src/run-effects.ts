// What a RUN does to the files that decide what runs: links (`ln -s`, including /bin/sh relinked to bash),
// moves and copies, removals, directories, files written by a redirection, `tee` or `cat <<EOF > f`,
// in-place edits (`sed -i`), downloads (`curl -o`, `wget -O`), archives unpacked (`tar -C`), and packages
// installed with apt-get/apk/dnf/yum/microdnf (and removed: apk del of a package or a --virtual group,
// apt-get purge/remove, dnf remove). Best effort on the RUN's text: the words are split as a
// shell would (quotes, `\`, variables of the stage), and what cannot be read (a word built at run time)
// is left alone, so that a later lookup answers "unknown" rather than "absent". Commands inside an
// `if`/`case`/loop/function body or after `||` may not run: their effects are `conditional`.
import type { Heredoc } from "./parse.js";
import { basename, cleanAbs, joinAbs } from "./paths.js";
import sourceBuildData from "./data/source-builds.json" with { type: "json" };

export type RunEffect =
  /** `ln -s target path` (`hard`: a hard link, `ln` without -s). `into`: path is a directory it goes into. */
  | { kind: "link"; path: string; target: string; into: boolean | null; hard: boolean }
  /** `mv from to`, `cp from to`, `install from to`. `into`: `to` surely is a directory (several sources, a
   * trailing `/`, `-t`); null: it is one if the image has that directory. */
  | { kind: "move" | "copy"; from: string; to: string; into: boolean | null; mode: string | null }
  | { kind: "remove"; path: string }
  | { kind: "mkdir"; path: string }
  /** A file written whole (`>`, `tee`, `cat <<EOF >`); content null when it is not known. */
  | { kind: "write"; path: string; content: string | null; how: string; append: boolean }
  /** A file changed in place: its content is no longer known (`sed -i`), unless `stripCr` says the only
   * change is carriage returns removed (`dos2unix`: before each LF, and a lone CR is the implementation's
   * business; `sed -i 's/\r$//'`: at each line's end; `sed -i 's/\r//g'`: all). */
  | { kind: "edit"; path: string; how: string; stripCr?: "crlf" | "eol" | "all" }
  /** `touch f`: f is there afterwards; a file that was there keeps its content, a new one is empty. */
  | { kind: "touch"; path: string; how: string }
  /** Something this reader cannot model put a file there (`curl -o`), or (`under`) somewhere below it (`tar -C`). */
  | { kind: "unknown"; path: string; how: string; under: boolean }
  /** Packages installed; `virtual`: `apk add --virtual NAME` groups them under NAME (`apk del NAME` removes them). */
  | { kind: "install"; manager: PackageManager; packages: string[]; virtual?: string }
  /** `apk del`, `apt-get purge`/`remove`, `dnf remove`: the packages (or apk virtual groups) named are removed. */
  | { kind: "uninstall"; manager: PackageManager; packages: string[]; how: string }
  /** `chmod MODE paths` (paths may be globs). */
  | { kind: "chmod"; mode: string; recursive: boolean; paths: string[] }
  /**
   * A program run by its name (`node --version`) where the RUN fails if it fails (an unconditional command of
   * the `&&` chain that ends the RUN, or one after `set -e`): the build only succeeds if a PATH lookup found it.
   * `searchPath`: the RUN's PATH (null: the stage's, which this reader does not know).
   */
  | { kind: "ran"; name: string; searchPath: string | null };

export type PackageManager = "apt" | "apk" | "dnf";

export interface RunOp {
  kind: "run";
  line: number;
  effect: RunEffect;
  conditional: boolean;
}

/** One simple command of the RUN text: its words (null: a word only known at run time) and redirections. */
interface SimpleCommand {
  words: (string | null)[];
  /** For a word only known at build time, the text it starts with before the first expansion ("--build=" of `--build="$arch"`). */
  prefixes: (string | undefined)[];
  redirs: { op: string; target: string | null; heredoc: Heredoc | null }[];
  conditional: boolean;
  /** The operator after it (`&&`, `||`, `;`, `|`, `&`, a newline; "" at the end of the text). */
  sep: string;
  /** The command before `|` feeding this one (for `echo x | tee f`). */
  pipedFrom: SimpleCommand | null;
  /** A `{ …; }` group that just closed before this command's `|` or redirection: its commands. */
  group?: SimpleCommand[];
}

const KEYWORDS_OPEN = new Set(["if", "while", "until", "for", "case", "select"]);
const KEYWORDS_CLOSE = new Set(["fi", "done", "esac"]);
/** Commands that are tests: what follows them with `&&` runs only when they succeed. */
const TESTS = new Set(["[", "[[", "test", "grep", "command", "type", "which", "id", "getent", "false", "cmp", "diff"]);
const KEYWORDS_SKIP = new Set(["then", "else", "elif", "do", "!", "in"]);

/**
 * The effects of one RUN on the image's files. `text` is the RUN's command (shell form, or the JSON array
 * joined), `heredocs` its heredocs, `vars` the stage's ENV and ARG values, `workdir` its WORKDIR.
 */
export function runEffects(text: string, heredocs: readonly Heredoc[], line: number, vars: ReadonlyMap<string, string>, workdir: string): RunOp[] {
  let script = text;
  const docs = new Map(heredocs.map((h) => [h.name, h]));
  // `RUN <<EOF` (or `RUN bash <<EOF`, `RUN set -e <<EOF` is not a thing): the heredoc is the script itself.
  const lone = /^(?:(?:\/(?:usr\/)?bin\/)?(?:ba|da|a|z)?sh(?:\s+-[a-z]+)*\s+)?<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*$/.exec(text.trim());
  if (lone && docs.has(lone[1]!)) script = docs.get(lone[1]!)!.content;
  const out: RunOp[] = [];
  let cwd = workdir;
  const local = new Overlay(vars);
  const cmds = splitCommands(script, local, docs);
  // From which command on every one up to the end is joined by `&&` (its failure fails the RUN).
  let chainFrom = cmds.length;
  while (chainFrom > 0 && (chainFrom === cmds.length || cmds[chainFrom - 1]!.sep === "&&")) chainFrom--;
  let errexit = false;
  let configured: Configured | null = null;
  for (const [k, cmd] of cmds.entries()) {
    const ops = commandEffects(cmd, cwd, line);
    // `./configure …` of a tree the source-build table knows, then `make install` in the same directory.
    const conf = configureOf(cmd, cwd);
    if (conf !== undefined) configured = conf;
    else if (configured && makeInstallDir(cmd, cwd) === configured.cwd)
      for (const effect of installEffects(configured, line)) out.push({ kind: "run", line, effect, conditional: cmd.conditional || configured.conditional });
    const ran = ranByName(cmd, errexit || k >= chainFrom, local.get("PATH") ?? null);
    if (ran) ops.push(ran);
    for (const effect of ops) out.push({ kind: "run", line, effect, conditional: cmd.conditional });
    const w0 = cmd.words;
    if (w0[0] === "set" && !cmd.conditional) for (const o of w0.slice(1)) if (typeof o === "string" && /^[-+][a-z]*e/.test(o)) errexit = o.startsWith("-");
    // `cd dir && …`: later relative paths are relative to it (unconditional cd only).
    const w = cmd.words;
    if (w[0] === "cd" && !cmd.conditional) cwd = typeof w[1] === "string" ? joinAbs(cwd, w[1]) : "/\u0000unknown";
  }
  return out.filter((o) => !("path" in o.effect) || !o.effect.path.includes("\u0000"));
}

/**
 * The stage's variables with what a RUN assigns on top, without copying them: a copy per RUN made a
 * Dockerfile of 20,000 ENV and 14,000 RUN lines quadratic.
 */
class Overlay {
  private readonly own = new Map<string, string>();
  constructor(private readonly base: ReadonlyMap<string, string>) {}
  get(k: string): string | undefined {
    return this.own.has(k) ? this.own.get(k) : this.base.get(k);
  }
  set(k: string, v: string): void {
    this.own.set(k, v);
  }
}

// ---------------------------------------------------------------------------------------------------
// Source builds: `./configure` then `make install` of a tree the table (data/source-builds.json) knows.

interface SourceBuild {
  name: string;
  configureOption: string;
  installs: { path: string; content: string | null }[];
  source: string;
}
const SOURCE_BUILDS = (sourceBuildData as { builds: SourceBuild[] }).builds;

/** A tree configured in this RUN: where it was configured, and the directories its `make install` uses. */
interface Configured {
  cwd: string;
  build: SourceBuild;
  dirs: { prefix: string; sysconfdir: string; sbindir: string; bindir: string; configuredSysconfdir: string };
  conditional: boolean;
}

const DIR_OPTIONS = ["prefix", "sysconfdir", "sbindir", "bindir"] as const;

/**
 * `./configure` (any path ending in /configure): the known tree it configures, with its directories; null
 * when it is a configure of a tree the table does not know, or when a word only known at build time may
 * set one of those directories (the files' places are then not known); undefined when it is not a configure.
 */
function configureOf(cmd: SimpleCommand, cwd: string): Configured | null | undefined {
  const w0 = cmd.words[0];
  if (typeof w0 !== "string" || !/(^|\/)configure$/.test(w0)) return undefined;
  const args = cmd.words.slice(1);
  const build = SOURCE_BUILDS.find((b) => args.some((a, k) => a === b.configureOption || a?.startsWith(b.configureOption + "=") || (a === null && cmd.prefixes[k + 1]?.startsWith(b.configureOption + "="))));
  if (!build) return null;
  const given: Partial<Record<(typeof DIR_OPTIONS)[number], string>> = {};
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === null) {
      // `--build="$arch"` is harmless; a word whose option is not known, or that sets a directory, is not
      const known = cmd.prefixes[k + 1] ?? "";
      const opt = /^--([a-z-]+)=/.exec(known)?.[1];
      if (opt === undefined || (DIR_OPTIONS as readonly string[]).includes(opt)) return null;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !(DIR_OPTIONS as readonly string[]).includes(m[1]!)) continue;
    const value = m[2] ?? args[k + 1];
    if (typeof value !== "string" || !value.startsWith("/")) return null;
    given[m[1] as (typeof DIR_OPTIONS)[number]] = cleanAbs(value);
    if (m[2] === undefined) k++;
  }
  const prefix = given.prefix ?? "/usr/local";
  return {
    cwd,
    build,
    dirs: {
      prefix,
      sysconfdir: given.sysconfdir ?? `${prefix}/etc`,
      sbindir: given.sbindir ?? `${prefix}/sbin`,
      bindir: given.bindir ?? `${prefix}/bin`,
      // autoconf's default sysconfdir is '${prefix}/etc', and prefix is still NONE while configure substitutes it
      configuredSysconfdir: given.sysconfdir ?? `${given.prefix ?? "NONE"}/etc`,
    },
    conditional: cmd.conditional,
  };
}

/** `make install` (`make -j4 install`, `make -C dir install`): the directory it runs in; null when it is not one, or its files go elsewhere (DESTDIR, INSTALL_ROOT, a word not known). */
function makeInstallDir(cmd: SimpleCommand, cwd: string): string | null {
  const words = cmd.words;
  if (words[0] !== "make" || !words.includes("install")) return null;
  let dir = cwd;
  for (let k = 1; k < words.length; k++) {
    const w = words[k]!;
    if (w === null) {
      if (words[k - 1] === "-j" || /^-j/.test(cmd.prefixes[k] ?? "")) continue;
      return null;
    }
    if (w === "-C" || w === "--directory") {
      const d = words[++k];
      if (typeof d !== "string") return null;
      dir = joinAbs(dir, d);
    } else if (/^(DESTDIR|INSTALL_ROOT)=./.test(w)) return null;
  }
  return dir;
}

function installEffects(c: Configured, line: number): RunEffect[] {
  const how = `installed by make install of ${c.build.name} (configure ${c.build.configureOption}) at line ${line}`;
  const fill = (t: string) =>
    t.replace(/\{configured:sysconfdir\}/g, c.dirs.configuredSysconfdir).replace(/\{(prefix|sysconfdir|sbindir|bindir)\}/g, (_, k: keyof Configured["dirs"]) => c.dirs[k]);
  // Without --prefix and --sysconfdir the file names NONE/etc (relative, so below the prefix at run time, where
  // nothing is): what the program makes of that is not followed, and the content is left unknown.
  const none = c.dirs.configuredSysconfdir.startsWith("NONE/");
  return c.build.installs.map((f) => ({
    kind: "write",
    path: cleanAbs(fill(f.path)),
    content: f.content === null || (none && f.content.includes("{configured:sysconfdir}")) ? null : fill(f.content),
    how,
    append: false,
  }));
}

// ---------------------------------------------------------------------------------------------------
// Splitting the text into simple commands, as a shell would, without running anything.

function splitCommands(text: string, vars: Overlay, docs: ReadonlyMap<string, Heredoc>): SimpleCommand[] {
  const cmds: SimpleCommand[] = [];
  let words: (string | null)[] = [];
  // what each word only known at build time starts with (see SimpleCommand.prefixes), kept in step with words
  let pre: (string | undefined)[] = [];
  const shift = () => {
    words.shift();
    pre.shift();
  };
  let redirs: SimpleCommand["redirs"] = [];
  let depth = 0;
  let afterOr = false;
  let pipedFrom: SimpleCommand | null = null;
  let pendingRedir: string | null = null;
  let i = 0;
  const n = text.length;
  const finish = (sep: string) => {
    // Shell keywords open and close conditional blocks; the words after them are the command.
    while (words.length && typeof words[0] === "string") {
      const k = words[0];
      if (KEYWORDS_OPEN.has(k)) {
        depth++;
        if (k === "for" || k === "select" || k === "case") { words = []; pre = []; break; }
        shift();
      } else if (KEYWORDS_CLOSE.has(k)) {
        depth = Math.max(0, depth - 1);
        shift();
      } else if (k === "{" || k === "(") {
        groups.push(cmds.length);
        shift();
      } else if (KEYWORDS_SKIP.has(k)) shift();
      else if (k === "}" || k === ")") {
        shift();
        const start = groups.pop();
        closed = start !== undefined && start >= 0 ? cmds.slice(start) : null;
        if (funcDepth.length && funcDepth.at(-1) === depth) { funcDepth.pop(); depth = Math.max(0, depth - 1); }
      } else break;
    }
    // `name() {`: a function body may never run.
    const fn = typeof words[0] === "string" && /^[A-Za-z_][\w-]*\(\)$/.test(words[0]) ? 1 : words[1] === "()" ? 2 : 0;
    if (fn) {
      depth++;
      funcDepth.push(depth);
      words = words.slice(fn);
      pre = pre.slice(fn);
      if (words[0] === "{" || words[0] === "(") {
        groups.push(-1); // a function's body, not a group whose output goes on
        shift();
      }
    }
    // Leading assignments: `A=b cmd` (for cmd only) or `A=b` alone (for the rest of the RUN).
    let k = 0;
    while (k < words.length && typeof words[k] === "string" && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k] as string)) k++;
    if (k === words.length && k > 0 && depth === 0) {
      for (const w of words) {
        const s = w as string;
        const eq = s.indexOf("=");
        vars.set(s.slice(0, eq), s.slice(eq + 1));
      }
    }
    const rest = words.slice(k);
    const prefixes = pre.slice(k);
    // `{ echo a; echo b; } | tee f` (or `> f`): what the group's commands print goes on
    const group = !rest.length && closed?.length ? closed : undefined;
    if (rest.length || redirs.length) {
      const cmd: SimpleCommand = { words: rest, prefixes, redirs, conditional: depth > 0 || afterOr, pipedFrom, sep, ...(group ? { group } : {}) };
      cmds.push(cmd);
      pipedFrom = sep === "|" ? cmd : null;
    } else if (group && sep === "|") pipedFrom = { words: [], prefixes: [], redirs: [], conditional: depth > 0 || afterOr, pipedFrom: null, sep, group };
    else if (sep !== "|") pipedFrom = null;
    closed = null;
    // After `||`, or after a test and `&&` (`[ -n "$X" ] && ln -s …`), what follows may not run. (A failing
    // command before `&&` otherwise fails the RUN, and the build with it.)
    const tested = typeof rest[0] === "string" && TESTS.has(basename(rest[0]));
    if (sep === "||" || (sep === "&&" && tested)) afterOr = true;
    else if (sep === ";" || sep === "\n" || sep === "&") afterOr = false;
    words = [];
    pre = [];
    redirs = [];
  };
  const funcDepth: number[] = [];
  // where each open `{`/`(` group starts in cmds (-1: a function's body), and the group that just closed
  const groups: number[] = [];
  let closed: SimpleCommand[] | null = null;
  const push = (w: string | null, quoted: boolean, prefix?: string) => {
    if (pendingRedir !== null) {
      const op = pendingRedir;
      pendingRedir = null;
      if (op.endsWith("<<") || op.endsWith("<<-")) {
        const name = w === null ? null : w.replace(/['"]/g, "");
        redirs.push({ op, target: name, heredoc: name !== null ? docs.get(name) ?? null : null });
      } else redirs.push({ op, target: w, heredoc: null });
      return;
    }
    if (!quoted && w !== null && w === "") return;
    words.push(w);
    pre.push(w === null ? prefix : undefined);
  };
  while (i < n) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\r") { i++; continue; }
    if (c === "\\" && text[i + 1] === "\n") { i += 2; continue; }
    if (c === "#" ) { while (i < n && text[i] !== "\n") i++; continue; }
    if (c === "\n" || c === ";") { finish(c === "\n" ? "\n" : ";"); i++; continue; }
    if (c === "&" && text[i + 1] === "&") { finish("&&"); i += 2; continue; }
    if (c === "|" && text[i + 1] === "|") { finish("||"); i += 2; continue; }
    if (c === "|") { finish("|"); i++; continue; }
    if (c === "&" && text[i + 1] !== ">") { finish("&"); i++; continue; }
    const redir = /^(?:[0-9]*>>|[0-9]*>\||&>>|&>|[0-9]*>&|[0-9]*>|[0-9]*<<-|[0-9]*<<<|[0-9]*<<|[0-9]*<&|[0-9]*<)/.exec(text.slice(i, i + 4));
    if (redir) {
      pendingRedir = redir[0];
      i += redir[0].length;
      continue;
    }
    // A word: up to an unquoted blank or operator.
    let word = "";
    let dynamic = false;
    let prefix: string | undefined;
    let quoted = false;
    while (i < n) {
      const ch = text[i]!;
      if (ch === " " || ch === "\t" || ch === "\n" || ch === ";" || ch === "|" || ch === "&" || ch === "<" || ch === ">" || ch === "\r") break;
      if (ch === "\\") {
        if (text[i + 1] === "\n") { i += 2; continue; }
        word += text[i + 1] ?? "";
        i += 2;
        continue;
      }
      if (ch === "'") {
        const end = text.indexOf("'", i + 1);
        word += text.slice(i + 1, end < 0 ? n : end);
        i = end < 0 ? n : end + 1;
        quoted = true;
        continue;
      }
      if (ch === '"') {
        i++;
        quoted = true;
        while (i < n && text[i] !== '"') {
          // inside double quotes a backslash escapes only $ ` " \ and a newline; before anything else it stays
          if (text[i] === "\\" && i + 1 < n) {
            const next = text[i + 1]!;
            if (next === "\n") { i += 2; continue; }
            word += "$`\"\\".includes(next) ? next : "\\" + next;
            i += 2;
            continue;
          }
          if (text[i] === "$" || text[i] === "`") {
            const r = dollar(text, i, vars);
            if (r.value === null) {
              if (!dynamic) prefix = word;
              dynamic = true;
            } else word += r.value;
            i = r.end;
            continue;
          }
          word += text[i];
          i++;
        }
        i++;
        continue;
      }
      if (ch === "$" || ch === "`") {
        const r = dollar(text, i, vars);
        if (r.value === null) {
          if (!dynamic) prefix = word;
          dynamic = true;
        } else word += r.value;
        i = r.end;
        continue;
      }
      word += ch;
      i++;
    }
    push(dynamic ? null : word, quoted, prefix);
  }
  finish("\n");
  return cmds;
}

/** `$NAME`, `${NAME}`, `$(…)`, `` `…` ``: the value when known, and where the expansion ends. */
function dollar(text: string, i: number, vars: { get(k: string): string | undefined }): { value: string | null; end: number } {
  if (text[i] === "`") {
    const end = text.indexOf("`", i + 1);
    return { value: null, end: end < 0 ? text.length : end + 1 };
  }
  const next = text[i + 1];
  if (next === "(") {
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === "(") depth++;
      else if (text[j] === ")" && --depth === 0) break;
    }
    return { value: null, end: j + 1 };
  }
  if (next === "{") {
    const end = text.indexOf("}", i + 2);
    const inner = text.slice(i + 2, end < 0 ? text.length : end);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::?-(.*))?$/.exec(inner);
    let value: string | null = null;
    if (m) value = vars.get(m[1]!) ?? (m[2] !== undefined && !/[$`]/.test(m[2]) ? m[2] : null);
    // `${NAME%pattern}`, `%%`, `#`, `##`: a suffix or prefix removed (a pattern of literal text, `*` and `?`)
    const cut = /^([A-Za-z_][A-Za-z0-9_]*)(%%|%|##|#)([^$`[\\'"]*)$/.exec(inner);
    if (cut) {
      const v = vars.get(cut[1]!);
      // (each cut tries every split of the value: a long one is left unknown rather than cost its square)
      value = v === undefined || v.length > 4096 ? null : removeMatch(v, cut[2]!, cut[3]!);
    }
    return { value, end: end < 0 ? text.length : end + 1 };
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
  if (m) return { value: vars.get(m[0]) ?? null, end: i + 1 + m[0].length };
  if (next !== undefined && /[0-9@*#?$!-]/.test(next)) return { value: null, end: i + 2 };
  return { value: "$", end: i + 1 };
}

/** `${v%p}` and its kin: the shortest (`%`, `#`) or longest (`%%`, `##`) suffix or prefix matching p removed. */
function removeMatch(v: string, op: string, pattern: string): string {
  const re = pattern.replace(/[.+^${}()|\\/]/g, "\\$&").replace(/\*/g, "[^]*").replace(/\?/g, "[^]");
  const test = (t: string) => new RegExp(`^${re}$`).test(t);
  const longest = op.length === 2;
  if (op[0] === "%") {
    for (let k = longest ? 0 : v.length; longest ? k <= v.length : k >= 0; k += longest ? 1 : -1) if (test(v.slice(k))) return v.slice(0, k);
  } else {
    for (let k = longest ? v.length : 0; longest ? k >= 0 : k <= v.length; k += longest ? -1 : 1) if (test(v.slice(0, k))) return v.slice(k);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------
// From a simple command to its effects on files.

const PREFIX = new Set(["sudo", "exec", "command", "nice", "nohup", "time", "doas", "builtin"]);

/** Shell builtins and keywords: running one says nothing about a program on the PATH. */
const NOT_PROGRAMS = new Set([
  ".", ":", "[", "[[", "alias", "bg", "break", "builtin", "cd", "command", "continue", "declare", "echo", "eval", "exec", "exit", "export", "false",
  "fg", "getopts", "hash", "jobs", "kill", "let", "local", "printf", "pwd", "read", "readonly", "return", "set", "shift", "source", "test", "times",
  "trap", "true", "type", "typeset", "ulimit", "umask", "unalias", "unset", "wait", "time", "nohup", "sudo", "doas", "nice",
]);

/** The program this command runs by name, when the RUN fails without it (`mustSucceed`, and not under a condition). */
function ranByName(cmd: SimpleCommand, mustSucceed: boolean, searchPath: string | null): RunEffect | null {
  if (!mustSucceed || cmd.conditional || cmd.sep === "|" || cmd.sep === "&" || cmd.sep === "||") return null;
  const name = cmd.words[0];
  if (typeof name !== "string" || !/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(name) || NOT_PROGRAMS.has(name)) return null;
  return { kind: "ran", name, searchPath };
}

function commandEffects(cmd: SimpleCommand, cwd: string, line: number): RunEffect[] {
  const out: RunEffect[] = [];
  const abs = (p: string) => joinAbs(cwd, p);
  // Redirections write files, whatever the command (`2>/dev/null` and `>&2` do not).
  for (const r of cmd.redirs) {
    if (!/>/.test(r.op) || /&$/.test(r.op) || r.target === null || r.target === "" || /^\/dev\//.test(r.target)) {
      if (/>/.test(r.op) && !/&$/.test(r.op) && r.target === null)
        out.push({ kind: "unknown", path: "/\u0000", how: "", under: false }); // a target only known at run time
      continue;
    }
    const append = r.op.includes(">>");
    out.push({ kind: "write", path: abs(r.target), content: append ? null : printed(cmd), how: `written by ${cmdName(cmd) ?? "a redirection"} at line ${line}`, append });
  }
  const words = [...cmd.words];
  while (words.length && typeof words[0] === "string" && PREFIX.has(words[0])) words.shift();
  if (words[0] === "env") {
    words.shift();
    while (words.length && typeof words[0] === "string" && (/^-/.test(words[0]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]))) words.shift();
  }
  const name = typeof words[0] === "string" ? basename(words[0]) : null;
  if (name === null) return out;
  const args = words.slice(1);
  const known = (ws: (string | null)[]): ws is string[] => ws.every((w) => w !== null);
  const split = (ws: (string | null)[], withValue: RegExp = /^$/) => {
    const opts: string[] = [];
    const operands: (string | null)[] = [];
    let end = false;
    for (let k = 0; k < ws.length; k++) {
      const w = ws[k]!;
      if (!end && w === "--") { end = true; continue; }
      if (!end && typeof w === "string" && /^-./.test(w)) {
        opts.push(w);
        if (withValue.test(w) && !w.includes("=")) opts.push(String(ws[++k] ?? ""));
        continue;
      }
      operands.push(w);
    }
    return { opts, operands };
  };
  const has = (opts: string[], short: string, long?: string) =>
    opts.some((o) => (/^-[^-]/.test(o) && o.slice(1).includes(short)) || (long !== undefined && (o === `--${long}` || o.startsWith(`--${long}=`))));
  const optValue = (opts: string[], short: string, long: string): string | null => {
    for (let k = 0; k < opts.length; k++) {
      const o = opts[k]!;
      if (o === `-${short}` || o === `--${long}`) return opts[k + 1] ?? null;
      if (o.startsWith(`--${long}=`)) return o.slice(long.length + 3);
      if (o.startsWith(`-${short}`) && o.length > 2 && !/^-[a-zA-Z]*$/.test(o)) return o.slice(2);
    }
    return null;
  };
  switch (name) {
    case "ln": {
      const { opts, operands } = split(args, /^-[^-]*[tS]$|^--(target-directory|suffix)$/);
      if (!known(operands) || operands.length === 0) break;
      const hard = !has(opts, "s", "symbolic");
      const noDeref = has(opts, "T", "no-target-directory") || has(opts, "n", "no-dereference");
      const tdir = optValue(opts, "t", "target-directory");
      if (tdir !== null) {
        for (const t of operands) out.push({ kind: "link", path: abs(`${tdir}/${basename(t)}`), target: t, into: false, hard });
        break;
      }
      if (operands.length === 1) {
        out.push({ kind: "link", path: abs(basename(operands[0]!)), target: operands[0]!, into: false, hard });
        break;
      }
      const dest = operands.at(-1)!;
      const many = operands.length > 2;
      for (const t of operands.slice(0, -1))
        out.push({ kind: "link", path: abs(dest), target: t, into: many || dest.endsWith("/") ? true : noDeref ? false : null, hard });
      break;
    }
    case "mv":
    case "cp":
    case "install": {
      const { opts, operands } = split(args, name === "install" ? /^-[^-]*[mogtS]$|^--(mode|owner|group|target-directory|suffix)$/ : /^-[^-]*[tS]$|^--(target-directory|suffix)$/);
      if (name === "install" && has(opts, "d", "directory")) {
        for (const d of operands) if (d !== null) out.push({ kind: "mkdir", path: abs(d) });
        break;
      }
      const kind = name === "mv" ? "move" : "copy";
      const mode = name === "install" ? optValue(opts, "m", "mode") ?? "755" : null;
      const tdir = optValue(opts, "t", "target-directory");
      const sources = tdir !== null ? operands : operands.slice(0, -1);
      const dest = tdir ?? operands.at(-1) ?? null;
      // (a destination only known at run time: nothing can be said of where it went)
      if (dest === null || sources.length === 0) break;
      const into = tdir !== null || sources.length > 1 || dest.endsWith("/") ? true : has(opts, "T", "no-target-directory") ? false : null;
      for (const s of sources) {
        if (s === null) {
          if (into) out.push({ kind: "unknown", path: abs(dest), how: `${name} at line ${line} puts a file only known at run time into it`, under: true });
          else out.push({ kind: "unknown", path: abs(dest), how: `${name} at line ${line} from a path only known at run time`, under: false });
          continue;
        }
        if (/[*?[]/.test(s)) {
          // A glob: which files is only known when it runs; they land in the destination directory.
          out.push({ kind: "unknown", path: abs(dest), how: `${name} ${s} at line ${line}`, under: true });
          if (kind === "move") out.push({ kind: "unknown", path: abs(s), how: `moved away by mv at line ${line}`, under: false });
          continue;
        }
        out.push({ kind, from: abs(s), to: abs(dest), into, mode });
      }
      break;
    }
    case "chmod": {
      const { opts, operands } = split(args.map((a) => (typeof a === "string" && /^[-+=][rwxXst]+$/.test(a) ? `\u0001${a}` : a)));
      const ops = operands.map((o) => (typeof o === "string" ? o.replace(/^\u0001/, "") : o));
      if (ops.length < 2 || typeof ops[0] !== "string") break;
      const paths = ops.slice(1).filter((p): p is string => typeof p === "string").map(abs);
      if (paths.length) out.push({ kind: "chmod", mode: ops[0], recursive: has(opts, "R", "recursive"), paths });
      break;
    }
    case "rm":
    case "rmdir":
    case "unlink": {
      const { operands } = split(args);
      for (const p of operands) if (p !== null && !/[*?[]/.test(p)) out.push({ kind: "remove", path: abs(p) });
      break;
    }
    case "mkdir": {
      const { operands } = split(args, /^-[^-]*m$|^--mode$/);
      for (const p of operands) if (p !== null) out.push({ kind: "mkdir", path: abs(p) });
      break;
    }
    case "touch": {
      const { operands } = split(args, /^-[^-]*[dtr]$|^--(date|reference)$/);
      if (has(split(args).opts, "c", "no-create")) break;
      for (const p of operands) if (p !== null) out.push({ kind: "touch", path: abs(p), how: `touched at line ${line}` });
      break;
    }
    case "tee": {
      const { opts, operands } = split(args);
      const append = has(opts, "a", "append");
      const content = !append && cmd.pipedFrom ? printed(cmd.pipedFrom) : null;
      for (const p of operands) if (p !== null && !/^\/dev\//.test(p)) out.push({ kind: "write", path: abs(p), content, how: `written by tee at line ${line}`, append });
      break;
    }
    case "sed":
    case "perl": {
      const { opts, operands } = split(args, /^-[^-]*[ef]$|^--(expression|file)$/);
      if (!opts.some((o) => /^-[^-]*i/.test(o) || o.startsWith("--in-place")) && !(name === "perl" && opts.some((o) => /^-[^-]*i/.test(o)))) break;
      const files = opts.some((o) => /^-[^-]*[ef]$|^--(expression|file)/.test(o)) || name === "perl" ? operands : operands.slice(1);
      // `sed -i 's/\r$//' f` (one expression, nothing else): the carriage returns at the ends of lines go.
      const given = opts.flatMap((o, k) => (/^-[^-]*e$|^--expression$/.test(o) ? [opts[k + 1]] : o.startsWith("--expression=") ? [o.slice(13)] : []));
      const script = opts.some((o) => /^-[^-]*f$|^--file/.test(o)) || name === "perl" ? [] : given.length ? given : [operands[0]];
      const exprs = script.length === 1 ? script[0] : null;
      const plain = typeof exprs === "string" && !opts.some((o) => /^-[^-]*z|^--null-data/.test(o));
      const stripCr = plain && /^s(.)\\r\$\1\1g?$/.test(exprs) ? { stripCr: "eol" as const } : plain && /^s(.)\\r\1\1g$/.test(exprs) ? { stripCr: "all" as const } : {};
      for (const p of files) if (p !== null) out.push({ kind: "edit", path: abs(p), how: `changed by ${name} -i at line ${line}`, ...stripCr });
      break;
    }
    case "dos2unix":
    case "fromdos": {
      // Converts each file in place (`-n IN OUT`: writes OUT from IN): the CRs are gone, the content is no
      // longer the copied file's. (`-c MODE` takes a value.)
      const { opts, operands } = split(args, /^-[^-]*c$|^--convmode$/);
      const paired = has(opts, "n", "newfile");
      operands.forEach((p, k) => {
        if (p === null || (paired && k % 2 === 0)) return;
        const how = `converted by ${name} at line ${line}`;
        out.push(paired ? { kind: "write", path: abs(p), content: null, how, append: false } : { kind: "edit", path: abs(p), how, stripCr: "crlf" });
      });
      break;
    }
    case "curl": {
      const { opts } = split(args, /^-[^-]*o$|^--output$|^-[^-]*[HXdAeuFTrwmCEKbcDxy]$|^--(header|request|data|data-raw|data-binary|user-agent|referer|user|form|upload-file|range|write-out|max-time|connect-timeout|retry|retry-delay|cookie|cookie-jar|dump-header|proxy|cacert|cert|key|config|output-dir|create-file-mode)$/);
      const o = optValue(opts, "o", "output");
      if (o !== null && o !== "-" && !/^\/dev\//.test(o)) out.push({ kind: "unknown", path: abs(o), how: `downloaded by curl at line ${line}`, under: false });
      break;
    }
    case "wget": {
      const { opts } = split(args, /^-[^-]*[OPoaUet]$|^--(output-document|directory-prefix|output-file|user-agent|header|tries|timeout)$/);
      const o = optValue(opts, "O", "output-document");
      if (o !== null && o !== "-" && !/^\/dev\//.test(o)) out.push({ kind: "unknown", path: abs(o), how: `downloaded by wget at line ${line}`, under: false });
      const pdir = optValue(opts, "P", "directory-prefix");
      if (pdir !== null) out.push({ kind: "unknown", path: abs(pdir), how: `downloaded by wget at line ${line}`, under: true });
      break;
    }
    case "tar":
    case "unzip":
    case "bsdtar": {
      const { opts } = split(args, /^-[^-]*[Cfd]$|^--(directory|file)$/);
      const dir = name === "unzip" ? optValue(opts, "d", "d") : optValue(opts, "C", "directory");
      const extracting = name === "unzip" || opts.some((o) => /^-?[a-zA-Z]*x/.test(o) || o === "--extract") || (typeof args[0] === "string" && /^[a-zA-Z]*x/.test(args[0]));
      if (extracting) out.push({ kind: "unknown", path: dir !== null ? abs(dir) : cwd, how: `unpacked by ${name} at line ${line}`, under: true });
      break;
    }
    case "git": {
      if (args[0] !== "clone") break;
      const { operands } = split(args.slice(1), /^-[^-]*[bcjo]$|^--(branch|depth|origin|config|jobs|reference|separate-git-dir|filter)$/);
      const url = operands[0];
      const dir = operands[1] ?? (typeof url === "string" ? basename(url).replace(/\.git$/, "") : null);
      if (typeof dir === "string") out.push({ kind: "unknown", path: abs(dir), how: `cloned by git at line ${line}`, under: true });
      break;
    }
    case "apt-get":
    case "apt":
    case "aptitude":
    case "apk":
    case "dnf":
    case "yum":
    case "microdnf":
    case "tdnf": {
      const manager: PackageManager = name === "apk" ? "apk" : /^apt/.test(name) ? "apt" : "dnf";
      const verb = args.find((a) => typeof a === "string" && !a.startsWith("-"));
      const installs = manager === "apk" ? verb === "add" : verb === "install";
      const removes = manager === "apk" ? verb === "del" : manager === "apt" ? verb === "purge" || verb === "remove" : verb === "remove" || verb === "erase";
      if (!installs && !removes) break;
      const { opts, operands } = split(args, /^-[^-]*[ortcX]$|^--(repository|root|option|target-release|cache-dir|virtual|setopt|installroot|releasever)$/);
      const words = operands.slice(operands.indexOf(verb ?? null) + 1);
      // a word built at run time may name any package: what it removes is not known
      if (removes && words.some((w) => w === null)) break;
      const pkgs = words
        .filter((p): p is string => typeof p === "string")
        .map((p) => p.replace(/[=<>~].*$/, "").replace(/:(amd64|arm64|i386|all)$/, ""))
        .filter((p) => (removes && manager === "apk" ? /^\.?[a-z0-9][a-z0-9.+_-]*$/i : /^[a-z0-9][a-z0-9.+_-]*$/i).test(p));
      if (!pkgs.length) break;
      if (removes) {
        out.push({ kind: "uninstall", manager, packages: pkgs, how: `${name} ${verb} at line ${line}` });
        break;
      }
      const virtual = manager === "apk" ? optValue(opts, "t", "virtual") : null;
      out.push({ kind: "install", manager, packages: pkgs, ...(virtual ? { virtual } : {}) });
      break;
    }
  }
  return out;
}

function cmdName(cmd: SimpleCommand): string | null {
  const w = cmd.words[0];
  return typeof w === "string" ? basename(w) : null;
}

/**
 * What a command prints, when it is a literal: `echo` (without options but -n), `printf` without `%` or
 * `\` in its format, `cat <<EOF`. Null otherwise.
 */
function printed(cmd: SimpleCommand): string | null {
  if (cmd.group) {
    // every command of the group prints to the group's output, in order (one that pipes, runs in the
    // background or redirects its own output is not followed)
    let out = "";
    for (const c of cmd.group) {
      const text = c.sep === "|" || c.sep === "&" || c.redirs.length ? null : printed(c);
      if (text === null) return null;
      out += text;
    }
    return out;
  }
  const name = cmdName(cmd);
  const args = cmd.words.slice(1);
  if (args.some((a) => a === null)) return null;
  const strs = args as string[];
  if (name === "echo") {
    let nl = "\n";
    let k = 0;
    if (strs[0] === "-n") { nl = ""; k = 1; }
    if (strs.slice(k).some((s) => s.includes("\\")) || (strs[k] ?? "").startsWith("-")) return null;
    return strs.slice(k).join(" ") + nl;
  }
  if (name === "printf") {
    if (strs.length !== 1 || /[%]/.test(strs[0]!)) return null;
    return strs[0]!.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\\\/g, "\\");
  }
  if (name === "cat" && strs.length === 0) {
    const doc = cmd.redirs.find((r) => /<<-?$/.test(r.op));
    if (doc?.heredoc) return doc.heredoc.expand && /[$`]/.test(doc.heredoc.content) ? null : doc.heredoc.content;
  }
  return null;
}

/** For tests and messages: the paths an effect is about. */
export function effectPaths(e: RunEffect): string[] {
  switch (e.kind) {
    case "move":
    case "copy":
      return [e.from, e.to];
    case "install":
    case "uninstall":
    case "ran":
      return [];
    case "chmod":
      return e.paths;
    default:
      return [cleanAbs(e.path)];
  }
}
