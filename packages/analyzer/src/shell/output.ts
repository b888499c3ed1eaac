// The output of the few commands whose output a command substitution can know without running them:
// id/whoami (the user), echo/printf of known words, basename/dirname, cat of a file of the build context,
// and the command lookups `command -v`, `which` and `type -p` (the image's PATH, through the model).
// Anything else is unknown. The trailing newlines that $(…) removes are removed by the caller.
import { resolveIn } from "../exec/become.js";
import type { ShellKind } from "../syntax/parse.js";
import { type Word, lit, lookup } from "../values.js";
import type { Path, World } from "../world.js";
import { sh } from "../world.js";

/** Larger files are not read into a word (a config file, not a list of arguments). */
const MAX_CAT_BYTES = 64 * 1024;

/**
 * Builtins and keywords that `command -v` names by their name (POSIX: "the command name" for builtins,
 * functions and reserved words). The union of what bash, dash and BusyBox ash have.
 */
const BUILTIN_NAMES = new Set([
  ":", ".", "[", "alias", "bg", "break", "cd", "command", "continue", "echo", "eval", "exec", "exit", "export", "false", "fg",
  "getopts", "hash", "jobs", "kill", "local", "printf", "pwd", "read", "readonly", "return", "set", "shift", "test", "times",
  "trap", "true", "type", "ulimit", "umask", "unalias", "unset", "wait", "source", "declare", "typeset", "let", "shopt",
  "if", "then", "else", "elif", "fi", "case", "esac", "for", "while", "until", "do", "done", "in", "!", "{", "}",
]);

/** The output of `argv` (each word known, or null) when the analyzer can know it; null otherwise. */
export function knownOutput(w: World, p: Path, argv: (string | null)[]): Word | null {
  const s = sh(p);
  const [cmd, ...args] = argv;
  const allKnown = args.every((a) => a !== null) ? (args as string[]) : null;
  switch (cmd) {
    case "id":
      return idOutput(s.proc.user, args[0] ?? null);
    case "whoami":
      return lit(s.proc.user === "" || s.proc.user === "0" ? "root" : s.proc.user.split(":")[0]!);
    case "echo":
      return allKnown ? echoOutput(s.kind, allKnown) : null;
    case "printf":
      return allKnown && allKnown.length ? printfOutput(allKnown, s.kind) : null;
    case "basename":
      return allKnown ? basenameOutput(allKnown) : null;
    case "dirname":
      return allKnown && allKnown.length === 1 && !allKnown[0]!.startsWith("-") ? lit(dirname(allKnown[0]!) + "\n") : null;
    case "cat":
      return allKnown ? catOutput(w, allKnown) : null;
    case "command":
      if (args[0] === "-v" && args.length === 2 && args[1] !== null) return lookupOutput(w, p, args[1]!, `$(command -v ${args[1]})`, true);
      return null;
    case "which":
      if (args.length === 1 && args[0] !== null && !args[0]!.startsWith("-")) return lookupOutput(w, p, args[0]!, `$(which ${args[0]})`, false);
      return null;
    case "type":
      if (args[0] === "-p" && args.length === 2 && args[1] !== null) return lookupOutput(w, p, args[1]!, `$(type -p ${args[1]})`, false);
      return null;
    default:
      return null;
  }
}

function idOutput(user: string, opt: string | null): Word | null {
  if (opt !== "-u" && opt !== "-un" && opt !== "-nu") return null;
  const numeric = opt === "-u";
  if (user === "root" || user === "0" || user === "" || user.startsWith("0:") || user.startsWith("root:")) return lit(numeric ? "0" : "root");
  if (/^\d+/.test(user)) return lit(numeric ? user.split(":")[0]! : `<user ${user}>`);
  return lit(numeric ? `<uid of ${user}>` : user.split(":")[0]!);
}

/**
 * echo: bash and BusyBox take -n/-e/-E and leave backslashes alone without -e; dash takes only -n and
 * always reads backslash escapes (measured in test/expand.diff.test.ts). An escape it cannot render: null.
 */
function echoOutput(kind: ShellKind, args: string[]): Word | null {
  let escapes = kind === "dash";
  let newline = true;
  let i = 0;
  const flags = kind === "dash" ? /^-n+$/ : /^-[neE]+$/;
  while (i < args.length && flags.test(args[i]!)) {
    for (const c of args[i]!.slice(1)) {
      if (c === "n") newline = false;
      else escapes = c === "e";
    }
    i++;
  }
  let text = args.slice(i).join(" ");
  if (escapes || kind === "sh-unknown") {
    if (kind === "sh-unknown" && text.includes("\\")) return null;
    const r = renderEscapes(text, false);
    if (r === null) return null;
    text = r.text;
    if (r.stop) newline = false;
  }
  return lit(newline ? text + "\n" : text);
}

/** Backslash escapes of echo and printf (\n \t \\ …, \c ends the output); null for the ones not rendered. */
function renderEscapes(s: string, printf: boolean): { text: string; stop: boolean } | null {
  const simple: Record<string, string> = { n: "\n", t: "\t", "\\": "\\", a: "\x07", b: "\b", f: "\f", r: "\r", v: "\v" };
  if (printf) simple['"'] = '"';
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\" || i === s.length - 1) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    if (simple[n] !== undefined) out += simple[n];
    else if (n === "c") return { text: out, stop: true };
    else if (/[0-7xu]/.test(n)) return null;
    else out += "\\" + n;
  }
  return { text: out, stop: false };
}

/**
 * Words bash's printf %q leaves as they are (measured, bash 5.2: letters, digits and _ . / : @ % + = -); any other
 * character is quoted with a backslash or quotes, which is not rendered here.
 */
const Q_PLAIN = /^[A-Za-z0-9_./:@%+=-]+$/;

/**
 * printf FORMAT ARGS: %s, %d and %% (and the escapes); the format is reused while arguments remain. %q (bash's
 * builtin; dash's printf rejects it) of a word that needs no quoting is the word.
 */
function printfOutput(args: string[], kind: ShellKind): Word | null {
  const [format, ...rest] = args;
  if (format!.startsWith("-")) return null;
  let out = "";
  let k = 0;
  do {
    const start = k;
    for (let i = 0; i < format!.length; i++) {
      const c = format![i]!;
      if (c !== "%") {
        out += c;
        continue;
      }
      const d = format![++i];
      if (d === "%") out += "%";
      else if (d === "s") out += rest[k++] ?? "";
      else if (d === "q" && kind === "bash") {
        const v = rest[k++];
        if (v === undefined || !Q_PLAIN.test(v)) return null;
        out += v;
      } else if (d === "d") {
        const v = rest[k++] ?? "0";
        if (!/^[-+]?\d+$/.test(v)) return null;
        out += String(Number(v));
      } else return null;
    }
    if (k === start) break;
  } while (k < rest.length);
  const r = renderEscapes(out, true);
  return r ? lit(r.text) : null;
}

function basenameOutput(args: string[]): Word | null {
  const a = args[0] === "--" ? args.slice(1) : args;
  if (a.length === 0 || a.length > 2 || a[0]!.startsWith("-")) return null;
  const name = a[0]!;
  const trimmed = name.replace(/\/+$/, "");
  if (trimmed === "") return lit(name === "" ? "\n" : "/\n");
  let base = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  const suffix = a[1];
  if (suffix && base !== suffix && base.endsWith(suffix)) base = base.slice(0, -suffix.length);
  return lit(base + "\n");
}

/** POSIX dirname: trailing slashes, then the last component, then the slashes before it go. */
export function dirname(path: string): string {
  if (/^\/+$/.test(path)) return "/";
  const trimmed = path.replace(/\/+$/, "");
  const slash = trimmed.lastIndexOf("/");
  if (slash < 0) return ".";
  const dir = trimmed.slice(0, slash).replace(/\/+$/, "");
  return dir === "" ? "/" : dir;
}

/** cat of files the build context puts in the image (the text it had at build time); null otherwise. */
function catOutput(w: World, files: string[]): Word | null {
  if (files.length === 0 || files.some((f) => f.startsWith("-"))) return null;
  let out = "";
  for (const f of files) {
    const r = w.model.resolve(f.includes("/") ? f : "./" + f);
    if (r.kind !== "context" || r.file.type !== "file") return null;
    const text = r.content();
    if (text === null || text.includes("\0") || out.length + text.length > MAX_CAT_BYTES) return null;
    out += text;
  }
  return lit(out);
}

/**
 * `command -v NAME`, `which NAME`, `type -p NAME`: the path the image's PATH gives (the model's lookup, as
 * execve does); empty when the image has no such program. When the image's files are not known, the path
 * is unknown, but it still names the program: exec'ing it runs NAME (values.ts, lookup()).
 */
function lookupOutput(w: World, p: Path, name: string, desc: string, builtins: boolean): Word {
  const s = sh(p);
  if (builtins && (s.funcs.has(name) || BUILTIN_NAMES.has(name))) return lit(name + "\n");
  if (name === "") return lit("");
  const r = resolveIn(w, p, name);
  if (r.kind === "not-found" || (r.kind === "context" && r.executable === false)) return lit("");
  if ((r.kind === "context" || (r.kind === "base-image" && r.certain)) && r.imagePath) return lit(r.imagePath + "\n");
  // found, in a directory of the PATH not known (a RUN that fails without it ran it by name): not empty
  return lookup(desc, name, r.kind === "unknown" && r.onPath === true);
}
