// Options a program takes from outside its command line: uWSGI reads every option from an ini file (named by
// --ini, by an operand ending in .ini, or by $UWSGI_INI) and from UWSGI_<OPTION> environment variables. The
// catalog entry's `optionsFrom` says where; the option words found are added to the command line's before the
// catalog's modes are chosen (`uwsgi app.ini` with `die-on-term` in the file behaves as `uwsgi --die-on-term`).
// A file that cannot be read, or a setting under a run-time condition, leaves the options unknown: the caller
// then treats the signals on which the modes differ as unknown, never as the default.
import type { ProgramEntry } from "../programs.js";
import { known } from "../values.js";
import { lookupVar } from "../shell/variables.js";
import { type Path, type World, sh } from "../world.js";
import { joinAbs } from "@audit-image/dockerfile";
import { imageFile } from "./config.js";

export interface OptionsFrom {
  /** UWSGI_DIE_ON_TERM=1 → --die-on-term (the prefix, upper case, `_` for `-`). */
  envPrefix?: string;
  /** Options whose value names the file (`--ini FILE`). */
  fileOptions?: string[];
  /** An operand ending in one of these is the file (`uwsgi app.ini`). */
  fileOperandSuffixes?: string[];
  /** Environment variables that name the file (UWSGI_INI). */
  fileEnv?: string[];
  syntax: "uwsgi-ini";
  /** The ini section the program reads (`[uwsgi]`); `FILE:section` on the command line names another. */
  section: string;
  /** Values that turn a flag off. */
  falseValues: string[];
  sources: string[];
}

export interface ExtraOptions {
  /** Option words as the command line would spell them (`--die-on-term`), in the order the program reads them. */
  words: string[];
  /** Where each came from, for the notes. */
  from: string[];
  /** Why the options are not all known (a file that cannot be read, a setting under a condition), or null. */
  unknown: string | null;
}

/** The exported environment the program starts with: the shell's that runs it, else the image's. */
function envOf(p: Path, name: string): string | null | undefined {
  const s = p.stack.length ? sh(p) : null;
  if (!s || !s.exported.has(name)) return undefined;
  const v = lookupVar(s, name);
  if (v === undefined) return undefined;
  return v === null ? null : known(v);
}

const optWord = (key: string) => `--${key}`;

interface Setting {
  key: string;
  value: string;
  from: string;
}

/** The settings of an ini file's section, in order (`key` alone is a flag that is on). */
function fromIni(text: string, file: string, section: string, relevant: ReadonlySet<string>): { settings: Setting[]; conditional: string | null; includes: string | null } {
  const settings: Setting[] = [];
  let current = "";
  let depth = 0;
  let conditional: string | null = null;
  let includes: string | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith(";") || line.startsWith("#")) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      current = sec[1]!.trim();
      continue;
    }
    if (current !== section) continue;
    const at = line.indexOf("=");
    const key = (at >= 0 ? line.slice(0, at) : line).trim().toLowerCase();
    const value = at >= 0 ? line.slice(at + 1).trim() : "";
    if (/^if-/.test(key)) {
      depth++;
      continue;
    }
    if (key === "endif" || key.startsWith("endif")) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (key === "ini" || key === "include" || key === "inherit" || key === "xml" || key === "yaml" || key === "json" || key === "config") {
      includes ??= `${file}:${i + 1} loads more options from ${value || "another file"}, which the analysis does not read`;
      continue;
    }
    if (depth > 0) {
      if (relevant.has(key)) conditional ??= `${key} at ${file}:${i + 1} is set only under a condition uWSGI checks at run time`;
      continue;
    }
    settings.push({ key, value: at >= 0 ? value : "", from: `${key}${at >= 0 ? ` = ${value}` : ""} in ${file}:${i + 1}` });
  }
  return { settings, conditional, includes };
}

/** The option word of a setting, or null when its value turns a flag off. */
function wordOf(key: string, value: string, falseValues: string[]): string | null {
  if (falseValues.includes(value.toLowerCase())) return null;
  return value === "" || /^(true|on|yes)$/i.test(value) ? optWord(key) : `${optWord(key)}=${value}`;
}

/**
 * The command line as `entry` reads it, with the options it takes from its environment and files: the
 * environment first, then each word in order, a config file's settings in the place of the word that names it;
 * the last value of an option wins (measured with uWSGI 2.0: `--die-on-term app.ini` where the file says
 * `die-on-term = false` does not die on TERM). Returns null when the program takes options only from its
 * command line.
 */
export function optionsFrom(w: World, p: Path, entry: ProgramEntry, kargs: readonly string[]): ExtraOptions | null {
  const spec = entry.optionsFrom;
  if (!spec) return null;
  const out: ExtraOptions = { words: [], from: [], unknown: null };
  const settings: Setting[] = [];
  // the options the catalog's modes are chosen by: a setting of another under a run-time condition changes nothing here
  const relevant = new Set((entry.modes ?? []).flatMap((m) => m.when.options ?? []).map((o) => o.replace(/^-+/, "").toLowerCase()));
  const workdir = w.model.config?.workingDir.value ?? "/";
  const readFile = (word: string, why: string) => {
    const m = /^(.*\.ini):([A-Za-z0-9_.-]+)$/.exec(word);
    const path = joinAbs(workdir, m ? m[1]! : word);
    const t = imageFile(w, path);
    if (!("text" in t)) {
      out.unknown ??= `${path} (${why}) could not be read: ${"absent" in t ? "it is not in the image" : t.unknown}`;
      return;
    }
    const r = fromIni(t.text, path, m ? m[2]! : spec.section, relevant);
    settings.push(...r.settings);
    out.unknown ??= r.conditional ?? r.includes;
  };
  const exported = p.stack.length ? [...sh(p).exported].sort() : [];
  if (spec.envPrefix) {
    for (const name of exported) {
      if (!name.startsWith(spec.envPrefix) || (spec.fileEnv ?? []).includes(name)) continue;
      const key = name.slice(spec.envPrefix.length).toLowerCase().replace(/_/g, "-");
      const v = envOf(p, name);
      if (v === null) out.unknown ??= `$${name} is only known at run time`;
      else if (v !== undefined) settings.push({ key, value: v, from: `${name}=${v} in its environment` });
    }
  }
  for (const name of spec.fileEnv ?? []) {
    const v = envOf(p, name);
    if (v === null) out.unknown ??= `$${name}, which names its config file, is only known at run time`;
    else if (v !== undefined && v !== "") readFile(v, `$${name}`);
  }
  for (let i = 0; i < kargs.length; i++) {
    const a = kargs[i]!;
    const opt = (spec.fileOptions ?? []).find((o) => a === o || a.startsWith(`${o}=`));
    if (opt) {
      const v = a === opt ? kargs[++i] : a.slice(opt.length + 1);
      if (v !== undefined) readFile(v, opt);
      continue;
    }
    const m = /^--([A-Za-z0-9][A-Za-z0-9-]*)(?:=(.*))?$/.exec(a);
    if (m) settings.push({ key: m[1]!.toLowerCase(), value: m[2] ?? "", from: `${a} on its command line` });
    else if (!a.startsWith("-") && (spec.fileOperandSuffixes ?? []).some((sfx) => a.replace(/:[A-Za-z0-9_.-]+$/, "").endsWith(sfx))) readFile(a, "its operand");
  }
  const last = new Map<string, Setting>();
  for (const st of settings) {
    last.delete(st.key);
    last.set(st.key, st);
  }
  for (const st of last.values()) {
    const word = wordOf(st.key, st.value, spec.falseValues);
    if (word === null) continue;
    out.words.push(word);
    out.from.push(st.from);
  }
  return out;
}

/**
 * The arguments with the options of `extra` in force: a `--key[=value]` word of the command line that a later
 * setting turns off is dropped, and what the environment and files turn on is added at the end.
 */
export function withOptions(kargs: readonly string[], extra: ExtraOptions): string[] {
  const keyOf = (a: string) => /^--([A-Za-z0-9][A-Za-z0-9-]*)(?:=|$)/.exec(a)?.[1]?.toLowerCase() ?? null;
  const on = new Set(extra.words.map(keyOf));
  const kept = kargs.filter((a) => {
    const k = keyOf(a);
    return k === null || on.has(k);
  });
  return [...kept, ...extra.words.filter((x) => !kept.includes(x))];
}
