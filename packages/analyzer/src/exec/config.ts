// A program's config file as the program itself finds and reads it: the file an option names (or the first of
// its default locations that exists), the files its include directive adds (globs, in sorted order), and the
// setting that keeps it in the foreground (supervisord's nodaemon, php-fpm's daemonize, nginx's daemon, redis's
// daemonize). The catalog entry's `config` says where and how (programs.json); files come from the image as the
// Dockerfile model sees it (COPY/ADD from the context, heredocs, config files the base-image catalog records).
// A file that exists but cannot be read, or a default location only a RUN step could fill, leaves the decision
// unknown: never a guess.
import { append } from "@audit-image/dockerfile";
import { cleanAbs, globImage, joinAbs } from "@audit-image/dockerfile";
import type { ProgramConfig, ProgramEntry } from "../programs.js";
import type { World } from "../world.js";

/** What reading a config needs of the interpreter's world: the image model (and a cache). Rules pass the model. */
export type ConfigWorld = Pick<World, "model"> & { configCache?: Map<string, unknown> };

/** One `key = value` (or directive) read from a config file, with where it was read. */
export interface ConfigEntry {
  /** ini: the section it is in ("" before any header); nginx and redis: "". */
  section: string;
  key: string;
  value: string;
  file: string;
  line: number;
}

export interface ConfigRead {
  /** The main config file, when one was found. */
  main: string | null;
  /** Every entry of every file read, in the order the program reads them. */
  entries: ConfigEntry[];
  /** Files the program reads whose content is not known, each with why (in reading order, with the number of entries read before them). */
  unread: { path: string; why: string; at: number }[];
  /** Why no main file was read (when `main` is null). */
  missing: string | null;
}

export type Decision =
  | { kind: "foreground"; why: string }
  | { kind: "background"; why: string }
  | { kind: "unknown"; why: string }
  | { kind: "fails"; why: string };

type FileText = { text: string } | { unknown: string } | { absent: true };

/** The content of an image file, as far as the build tells. */
export function imageFile(w: ConfigWorld, path: string): FileText {
  const r = w.model.resolve(path);
  if (r.kind === "context") {
    const text = r.content();
    if (text !== null && r.file.type !== "dir") return { text };
    return { unknown: r.file.source.kind === "url" ? `downloaded by ADD from ${r.file.source.url}` : `its content is not known` };
  }
  if (r.kind === "base-image") {
    if (r.file?.kind === "config" && r.file.content !== undefined) return { text: r.file.content };
    if (r.certain) return { unknown: "it comes from the base image, whose copy of it the catalog does not record" };
    return { unknown: "no COPY puts it there; a RUN step may have written it (a package's default, or a file the build makes)" };
  }
  if (r.kind === "not-found") return { absent: true };
  return { unknown: r.reason };
}

/** The paths of a search entry: `{prefix}` for each possible prefix, `{version}`; none when it cannot be expanded. */
function expandSearch(pattern: string, prefixes: string[], version: string): string[] {
  if (pattern.includes("{version}")) {
    if (version === "") return [];
    pattern = pattern.replace(/\{version\}/g, version);
  }
  if (!pattern.includes("{prefix}")) return [pattern];
  return prefixes.map((p) => cleanAbs(pattern.replace(/\{prefix\}/g, p)));
}

/**
 * The directories above the executable's own (`/usr` for /usr/bin/supervisord): the one of its path when the
 * image shows where it is, else one for each PATH directory it may be in, in PATH order.
 */
export function exePrefixes(w: ConfigWorld, argv0: string): string[] {
  const parent = (d: string) => (d === "/" ? "/" : d.slice(0, d.lastIndexOf("/")) || "/");
  let path: string | null = argv0.includes("/") ? joinAbs(w.model.config?.workingDir.value ?? "/", argv0) : null;
  if (path === null) path = w.model.resolve(argv0).imagePath;
  if (path) return [parent(parent(path))];
  const dirs = (w.model.config?.env.PATH?.value ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(":").filter((d) => d.startsWith("/"));
  return [...new Set(dirs.map((d) => parent(cleanAbs(d))))];
}

/** The value of one of `options` in the arguments: `-c FILE`, `-cFILE`, `--configuration=FILE`. */
export function optionValue(options: readonly string[], args: readonly string[]): string | null {
  let out: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") break;
    if (options.includes(a)) {
      out = args[i + 1] ?? null;
      i++;
      continue;
    }
    const long = options.find((f) => f.startsWith("--") && a.startsWith(f + "="));
    if (long) out = a.slice(long.length + 1);
    const short = options.find((f) => /^-[^-]$/.test(f) && a.length > 2 && a.startsWith(f) && !a.startsWith("--"));
    if (short) out = a.slice(2);
  }
  return out;
}

/** Parses one file into entries (include directives are entries too). */
function parse(syntax: ProgramConfig["syntax"], text: string, file: string, section: string): { entries: ConfigEntry[]; section: string } {
  const entries: ConfigEntry[] = [];
  const lines = text.split(/\r?\n/);
  if (syntax === "ini") {
    lines.forEach((raw, i) => {
      if (/^\s*[;#]/.test(raw)) return;
      const line = raw.replace(/\s[;#].*$/, "").trim();
      const sec = /^\[(.+)\]$/.exec(line);
      if (sec) {
        section = sec[1]!.trim();
        return;
      }
      // key = value (or key: value), split at the first = or : (a regex here backtracked on long lines)
      const at = line.search(/[=:]/);
      if (at > 0 && !/\s/.test(line[0]!)) entries.push({ section, key: line.slice(0, at).trim(), value: line.slice(at + 1).trim().replace(/^"(.*)"$/, "$1"), file, line: i + 1 });
    });
    return { entries, section };
  }
  if (syntax === "redis") {
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith("#")) return;
      const m = /^(\S+)\s*(.*)$/.exec(line)!;
      entries.push({ section: "", key: m[1]!.toLowerCase(), value: m[2]!.trim().replace(/^"(.*)"$/, "$1"), file, line: i + 1 });
    });
    return { entries, section };
  }
  // nginx: directives of the main context (depth 0) only; blocks are skipped.
  let depth = 0;
  let words: string[] = [];
  let start = 1;
  let word = "";
  let quote: string | null = null;
  let line = 1;
  const flush = () => {
    if (word !== "") words.push(word);
    word = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") line++;
    if (quote) {
      if (c === "\\" && i + 1 < text.length) word += text[++i];
      else if (c === quote) quote = null;
      else word += c;
      continue;
    }
    if (c === "#") {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    if (/\s/.test(c)) {
      flush();
      continue;
    }
    if (c === ";" || c === "{" || c === "}") {
      flush();
      if (c === ";" && depth === 0 && words.length) entries.push({ section: "", key: words[0]!, value: words.slice(1).join(" "), file, line: start });
      if (c === "{") depth++;
      if (c === "}") depth = Math.max(0, depth - 1);
      words = [];
      continue;
    }
    if (word === "" && words.length === 0) start = line;
    word += c;
  }
  return { entries, section };
}

const MAX_FILES = 64;

/**
 * Reads the program's config: the main file (named by an option or operand, else the first of the catalog's
 * search list that exists), then the files its include directives name.
 */
export function readConfig(w: ConfigWorld, entry: ProgramEntry, name: string, argv0: string, kargs: readonly string[]): ConfigRead {
  // Every run that starts the program reads the same files: read once per program and argv. Callers only read.
  const key = `${entry.name}\u0000${name}\u0000${argv0}\u0000${kargs.join("\u0000")}`;
  const cache = (w.configCache ??= new Map());
  const hit = cache.get(key) as ConfigRead | undefined;
  if (hit) return hit;
  const read = readConfigOnce(w, entry, name, argv0, kargs);
  cache.set(key, read);
  return read;
}

function readConfigOnce(w: ConfigWorld, entry: ProgramEntry, name: string, argv0: string, kargs: readonly string[]): ConfigRead {
  const cfg = entry.config!;
  const out: ConfigRead = { main: null, entries: [], unread: [], missing: null };
  const workdir = w.model.config?.workingDir.value ?? "/";
  const prefixes = exePrefixes(w, argv0);
  const prefix = prefixes.length === 1 ? prefixes[0]! : null;
  const version = name.startsWith(entry.name) ? name.slice(entry.name.length) : "";
  let named = cfg.fileOptions ? optionValue(cfg.fileOptions, kargs) : null;
  if (named === null && cfg.fileOperand) {
    const first = kargs[0];
    if (first !== undefined && !first.startsWith("-")) named = first;
  }
  let main: string | null = null;
  let text: string | null = null;
  if (named !== null) {
    main = joinAbs(workdir, named);
    const f = imageFile(w, main);
    if ("text" in f) text = f.text;
    else if ("absent" in f) out.missing = `${main}, which the command line names, is not in the image`;
    else out.missing = `${main} could not be read: ${f.unknown}`;
  } else {
    const skipped: string[] = [];
    const tried: string[] = [];
    for (const abs of cfg.search.flatMap((pat) => expandSearch(pat, prefixes, version)).map((p) => joinAbs(workdir, p))) {
      if (tried.includes(abs)) continue;
      tried.push(abs);
      const f = imageFile(w, abs);
      if ("absent" in f) continue;
      if ("text" in f) {
        main = abs;
        text = f.text;
        break;
      }
      // A default location that only a RUN step could fill is passed over (taken as absent, as the program's
      // executable lookups take such paths); one that exists but cannot be read stops the search.
      if (/RUN step may have written/.test(f.unknown)) {
        skipped.push(abs);
        continue;
      }
      out.missing = `${abs} could not be read: ${f.unknown}`;
      main = null;
      break;
    }
    if (text === null && out.missing === null) {
      out.missing = cfg.search.length
        ? `none of its default config files is known to be in the image${skipped.length ? ` (${skipped.join(", ")}: only a RUN step could have written them)` : ""}`
        : null;
    }
  }
  if (text === null || main === null) return out;
  out.main = main;
  const mainDir = main.slice(0, main.lastIndexOf("/")) || "/";
  let files = 0;
  const inc = cfg.include;
  const incOf = (e: ConfigEntry) => !!inc && e.key.toLowerCase() === inc.key && (inc.section === undefined || e.section === inc.section);
  const patternsOf = (e: ConfigEntry) => (inc!.list ? e.value.split(/\s+/).filter(Boolean) : [e.value]);
  const baseFor = (file: string): string | null => {
    switch (inc!.relativeTo) {
      case "file-dir": return file.slice(0, file.lastIndexOf("/")) || "/";
      case "main-dir": return mainDir;
      case "prefix": return prefix;
      case "workdir": return workdir;
    }
  };
  const readOne = (path: string, section: string, depth: number): string => {
    if (++files > MAX_FILES) {
      out.unread.push({ path, why: "too many included files", at: out.entries.length });
      return section;
    }
    const f = path === main ? { text: text! } : imageFile(w, path);
    if (!("text" in f)) {
      out.unread.push({ path, why: "absent" in f ? "not in the image" : f.unknown, at: out.entries.length });
      return section;
    }
    const parsed = parse(cfg.syntax, f.text, path, section);
    const later: ConfigEntry[] = [];
    for (const e of parsed.entries) {
      out.entries.push(e);
      if (!incOf(e)) continue;
      if (inc!.at === "end") {
        if (depth === 0) later.push(e);
        continue;
      }
      if (depth > 0 && !inc!.nested) continue;
      includeAll(e, depth);
    }
    for (const e of later) includeAll(e, depth);
    return parsed.section;
  };
  const includeAll = (e: ConfigEntry, depth: number) => {
    for (const pat of patternsOf(e)) {
      const base = pat.startsWith("/") ? "/" : baseFor(e.file);
      if (base === null) {
        out.unread.push({ path: pat, why: `a relative include whose base directory is not known`, at: out.entries.length });
        continue;
      }
      const abs = cleanAbs(joinAbs(base, pat));
      const g = globImage((d) => w.model.list(d), abs);
      for (const why of g.unknown) out.unread.push({ path: abs, why, at: out.entries.length });
      let section = e.section;
      for (const path of g.names) section = readOne(path, inc!.at === "end" ? "" : section, depth + 1);
    }
  };
  readOne(main, "", 0);
  return out;
}

const lower = (s: string) => s.trim().toLowerCase();

/** The command line's own settings (nginx -g 'daemon off;', redis-server --daemonize yes). */
function argvEntries(cfg: ProgramConfig, kargs: readonly string[]): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  if (cfg.argvSettings === "nginx-g") {
    for (let i = 0; i < kargs.length; i++) {
      if (kargs[i] === "-g" && kargs[i + 1] !== undefined) append(out, parse("nginx", kargs[++i]!, "the command line", "").entries);
    }
  } else if (cfg.argvSettings === "redis-options") {
    for (let i = 0; i < kargs.length; i++) {
      const a = kargs[i]!;
      if (!a.startsWith("--") || a.length < 3) continue;
      const vals: string[] = [];
      while (i + 1 < kargs.length && !kargs[i + 1]!.startsWith("--")) vals.push(kargs[++i]!);
      out.push({ section: "", key: a.slice(2).toLowerCase(), value: vals.join(" "), file: "the command line", line: 0 });
    }
  }
  return out;
}

/**
 * Whether the program daemonizes, from its command line and then its config: a foreground flag, a background
 * flag or a setting on the command line wins; else the last value of the setting in the files it reads; else its
 * default. Unknown when a file it reads could not be, and the answer depends on it.
 */
export function decideDaemon(w: World, entry: ProgramEntry, name: string, argv0: string, kargs: readonly string[], argvForeground: boolean): Decision {
  const cfg = entry.config!;
  const st = cfg.setting!;
  const bg = (cfg.backgroundFlags ?? []).find((f) => kargs.includes(f));
  const fromArgv = argvEntries(cfg, kargs).filter((e) => lower(e.key) === lower(st.key)).at(-1);
  const needsFile = !(argvForeground || bg) || !!fromArgv;
  const read = needsFile || st.duplicateFails ? readConfig(w, entry, name, argv0, kargs) : null;
  const matches = (e: ConfigEntry) => lower(e.key) === lower(st.key) && (st.section === undefined || e.section === st.section);
  const inFile = read?.entries.filter(matches).at(-1);
  if (fromArgv && inFile && st.duplicateFails) {
    return { kind: "fails", why: `${name} exits 1 at once: "${st.key}" is set both on the command line and in ${inFile.file}:${inFile.line} ("directive is duplicate")` };
  }
  if (argvForeground) return { kind: "foreground", why: "" };
  if (bg) return { kind: "background", why: `${bg} on its command line sends it to the background, whatever its config says` };
  if (fromArgv) {
    const v = lower(fromArgv.value.replace(/;$/, ""));
    if (st.foreground.includes(v)) return { kind: "foreground", why: `${st.key} ${fromArgv.value} on its command line` };
    if (st.background.includes(v)) return { kind: "background", why: `${st.key} ${fromArgv.value} on its command line` };
  }
  const where = (e: ConfigEntry) => `${e.key} = ${e.value} in ${e.file}:${e.line}`;
  if (!read || read.main === null) {
    if (read?.missing === null && !cfg.search.length) {
      const byDefault = entry.daemonizes?.byDefault ?? false;
      return byDefault ? { kind: "background", why: `no config file: ${name} daemonizes by default` } : { kind: "foreground", why: "no config file: it stays in the foreground by default" };
    }
    return { kind: "unknown", why: `whether ${name} daemonizes depends on its config, which could not be read: ${read?.missing ?? "no config file known"}` };
  }
  const idx = inFile ? read.entries.indexOf(inFile) : -1;
  const unreadAfter = read.unread.filter((u) => u.at > idx);
  if (unreadAfter.length) {
    const u = unreadAfter[0]!;
    return { kind: "unknown", why: `whether ${name} daemonizes depends on its config, and ${u.path}, which it reads${inFile ? ` after ${where(inFile)}` : ""}, could not be read (${u.why})` };
  }
  if (inFile) {
    const v = lower(inFile.value);
    if (st.foreground.includes(v)) return { kind: "foreground", why: `stays in the foreground: ${where(inFile)}` };
    if (st.background.includes(v)) return { kind: "background", why: `daemonizes: ${where(inFile)}` };
    return { kind: "unknown", why: `${where(inFile)} is not a value ${name} is known to take` };
  }
  const byDefault = entry.daemonizes?.byDefault ?? false;
  return byDefault
    ? { kind: "background", why: `its config (${read.main}) does not set ${st.key}, so it daemonizes by default` }
    : { kind: "foreground", why: `its config (${read.main}) does not set ${st.key}` };
}

/** How long the program takes to stop, from the directive of its config that sets it (`stopTakes.fromConfig`). */
export type StopTime =
  | { kind: "set"; seconds: number; where: string }
  | { kind: "default"; where: string }
  | { kind: "unknown"; why: string };

/** A `N unit` value in seconds (`5 seconds`, `1 minute`), or null when it is not one the units table knows. */
export function timeValue(value: string, units: Readonly<Record<string, number>>): number | null {
  const m = /^(\d+(?:\.\d+)?)\s+([A-Za-z]+)$/.exec(value.trim());
  if (!m) return null;
  const u = m[2]!.toLowerCase();
  const per = units[u] ?? (u.endsWith("s") ? units[u.slice(0, -1)] : undefined);
  return per === undefined ? null : Number(m[1]) * per;
}

/**
 * The stop time its config sets: the last value of the directive in the files it reads, or its default when
 * they do not set it. Unknown when a file it reads could not be (after the last value found), or the value is
 * not one it is known to take.
 */
export function configStopTime(w: ConfigWorld, entry: ProgramEntry, argv0: string, kargs: readonly string[]): StopTime {
  const fc = entry.stopTakes?.fromConfig;
  if (!fc || !entry.config) return { kind: "unknown", why: "no config directive is known to set it" };
  const name = argv0.slice(argv0.lastIndexOf("/") + 1);
  const read = readConfig(w, entry, name, argv0, kargs);
  if (read.main === null) return { kind: "unknown", why: `its config could not be read: ${read.missing ?? "no config file known"}` };
  const found = read.entries.filter((e) => e.key.toLowerCase() === fc.key.toLowerCase()).at(-1);
  const idx = found ? read.entries.indexOf(found) : -1;
  const unread = read.unread.find((u) => u.at > idx);
  if (unread) return { kind: "unknown", why: `${unread.path}, which it reads${found ? ` after ${found.file}:${found.line}` : ""}, could not be read (${unread.why})` };
  if (!found) return { kind: "default", where: `not set in ${read.main}` };
  const secs = timeValue(found.value, fc.units);
  const where = `${fc.key} ${found.value} in ${found.file}:${found.line}`;
  if (secs === null) return { kind: "unknown", why: `${where} is not a value with a unit it is known to take` };
  return { kind: "set", seconds: secs + fc.extraSeconds, where };
}
