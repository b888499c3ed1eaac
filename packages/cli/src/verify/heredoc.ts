// Dockerfile heredocs (`COPY <<EOF /x`) need BuildKit's Dockerfile frontend 1.4+, and `# syntax=` would
// fetch a frontend from a registry. Neither is available to an offline 20.10 engine. Workaround: build from
// a temporary copy of the context in which every heredoc body is a file and the instruction copies that
// file instead. ENTRYPOINT/CMD/SHELL/STOPSIGNAL are left alone, so the runtime facts being checked stay the
// same. The rewritten Dockerfile is part of the verification result (`rewritten`), so a failure can be
// traced back.
//
// Which lines form an instruction, where its heredoc bodies start and end, their names, `<<-` and quoting
// all come from the analyzer's own BuildKit-faithful parser (parseDockerfile), so the engine builds the
// Dockerfile the analyzer read: the escape directive, continuation lines, several heredocs on one line and
// CRLF are handled there. This file only locates each heredoc's word in the instruction's arguments to
// replace it.
import { append } from "../append.js";
import fs from "node:fs";
import path from "node:path";
import { isIgnored, parseDockerfile, parseDockerignore, splitFlags, splitWordsKeepQuotes, type Heredoc, type IgnorePattern } from "@audit-image/dockerfile";
import { readBounded } from "../read.js";

export const HEREDOC_DIR = ".audit-image-heredoc";

export interface Rewrite {
  /** The Dockerfile to build. */
  text: string;
  /** True when anything was rewritten (the build must then use the temporary context). */
  changed: boolean;
  notes: string[];
  /** Files to write into the temporary context: relative path → content and mode. */
  files: { rel: string; content: string; mode: number }[];
}

// BuildKit's parser directives (frontend/dockerfile/parser/directives.go): `# key=value` lines at the top of
// the file; the first line that is not one of the known directives ends them.
const DIRECTIVE = /^#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
const DIRECTIVE_KEYS = new Set(["syntax", "escape", "check"]);

/** 0-based line numbers of the `# syntax=` parser directives. */
function syntaxDirectives(lines: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!.replace(/\r$/, "").replace(/^[ \t]+/, ""));
    if (!m || !DIRECTIVE_KEYS.has(m[1]!.toLowerCase())) break;
    if (m[1]!.toLowerCase() === "syntax") out.push(i);
  }
  return out;
}

const unquote = (s: string) => s.replace(/'([^']*)'|"([^"]*)"/g, "$1$2");

/**
 * Where each heredoc's word (`<<EOF`, `<<-'EOF'`, `3<<EOF`) is in `args`: the next word, in order, whose
 * delimiter is the heredoc's name. null when one cannot be found (the instruction is then left alone).
 */
function locate(args: string, heredocs: Heredoc[]): { start: number; end: number; fd: string }[] | null {
  const words: { text: string; start: number }[] = [];
  let at = 0;
  // the same word split as parseDockerfile's heredoc detection (heredocsFromArgs, default escape)
  for (const w of splitWordsKeepQuotes(args)) {
    const start = args.indexOf(w, at);
    if (start < 0) return null;
    words.push({ text: w, start });
    at = start + w.length;
  }
  const out: { start: number; end: number; fd: string }[] = [];
  let k = 0;
  for (const h of heredocs) {
    for (; k < words.length; k++) {
      const m = /^(\d*)<<(-?)(.+)$/.exec(words[k]!.text);
      if (m && (m[2] === "-") === h.chomp && unquote(m[3]!) === h.name) break;
    }
    if (k === words.length) return null;
    const w = words[k++]!;
    out.push({ start: w.start, end: w.start + w.text.length, fd: /^\d*/.exec(w.text)![0] });
  }
  return out;
}

/** Replace the located words of `args`, from the end so that earlier positions stay valid. */
function replaceWords(args: string, at: { start: number; end: number }[], by: string[]): string {
  let s = args;
  for (let i = at.length - 1; i >= 0; i--) s = s.slice(0, at[i]!.start) + by[i]! + s.slice(at[i]!.end);
  return s;
}

/** Rewrite heredocs and `# syntax=` directives. Pure: the caller writes the files. */
export function rewriteHeredocs(text: string): Rewrite {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // BuildKit (and parseDockerfile) break lines at LF only; a CR before it stays part of the line here and is
  // written back unchanged, so untouched lines keep their line endings.
  const lines = src.split("\n");
  const notes: string[] = [];
  const files: Rewrite["files"] = [];
  /** 0-based physical line → what replaces it ([] to drop it); lines not in the map are kept verbatim. */
  const replaced = new Map<number, string[]>();

  for (const i of syntaxDirectives(lines)) {
    notes.push(`removed "${lines[i]!.trim()}": the frontend it names cannot be fetched offline; the daemon's built-in frontend builds instead`);
    replaced.set(i, []);
  }

  const parsed = parseDockerfile(src);
  for (const d of parsed.diagnostics)
    if (d.code === "unterminated-heredoc") notes.push(`line ${d.line}: ${d.message}; its body is taken to the end of the file`);
  let n = 0;
  for (const ins of parsed.instructions) {
    if (ins.heredocs.length === 0) continue;
    const { rest } = splitFlags(ins.args);
    const flagText = ins.args.slice(0, ins.args.length - rest.length).trim();
    const at = locate(rest, ins.heredocs);
    if (!at) {
      notes.push(`line ${ins.line}: could not find the heredoc words of ${ins.keyword} in its arguments; left as it is`);
      continue;
    }
    n++;
    for (const h of ins.heredocs)
      if (h.expand && /\$/.test(h.content))
        notes.push(`line ${ins.line}: <<${h.name} is unquoted, so BuildKit would expand build-time variables in its body; the rewrite copies it verbatim`);
    const eol = lines[ins.line - 1]!.endsWith("\r") ? "\r" : "";
    const instr = (kw: string, args: string) => `${kw} ${flagText ? flagText + " " : ""}${args}`;
    const out: string[] = [];
    if (ins.keyword === "RUN") {
      // RUN <<EOF (a script) or RUN cmd <<EOF (the body is stdin, or the fd named before <<): copy the bodies
      // in, then run.
      const tmp = (h: Heredoc) => `/tmp/${HEREDOC_DIR}-${n}-${h.name}`;
      for (const h of ins.heredocs) {
        const rel = `${HEREDOC_DIR}/${n}/${h.name}`;
        files.push({ rel, content: h.content, mode: 0o755 });
        out.push(`COPY ${rel} ${tmp(h)}`);
      }
      const only = ins.heredocs.length === 1 && at[0]!.start === 0 && at[0]!.end === rest.length;
      out.push(only ? instr("RUN", `/bin/sh ${tmp(ins.heredocs[0]!)}`) : instr("RUN", replaceWords(rest, at, ins.heredocs.map((h, i) => `${at[i]!.fd}< ${tmp(h)}`))));
      notes.push(`line ${ins.line}: RUN heredoc rewritten to a COPY of its body plus ${only ? "a script run" : "a redirect"}`);
    } else {
      const rels = ins.heredocs.map((h) => `${HEREDOC_DIR}/${n}/${h.name}`);
      ins.heredocs.forEach((h, i) => files.push({ rel: rels[i]!, content: h.content, mode: 0o644 }));
      out.push(instr(ins.keyword, replaceWords(rest, at, rels)));
      const many = ins.heredocs.length > 1;
      notes.push(`line ${ins.line}: ${ins.keyword} heredoc${many ? "s" : ""} ${ins.heredocs.map((h) => h.name).join(", ")} rewritten to ${ins.keyword} of context file${many ? "s" : ""} (flags such as --chmod kept)`);
    }
    replaced.set(ins.line - 1, out.map((l) => l + eol));
    for (let k = ins.line; k < ins.endLine; k++) replaced.set(k, []);
  }

  const changed = replaced.size > 0;
  if (!changed) return { text, changed, notes, files };
  const out: string[] = [];
  lines.forEach((l, i) => append(out, (replaced.get(i) ?? [l])));
  return { text: out.join("\n"), changed, notes, files };
}

/** Copy the context into `dest` and apply the rewrite there. Returns the path of the Dockerfile to build. */
/**
 * Copy the build context to dest as the builder would receive it, then add the heredoc files and the
 * rewritten Dockerfile. Faithful to the context: .dockerignore is applied (what it excludes is not copied;
 * the file itself is kept, with the heredoc directory un-ignored), symlinks are copied as links with their
 * target unchanged (a relative link stays relative), modes and times are kept, and FIFOs, sockets and
 * devices are skipped with a note (reading a FIFO would block; the builder cannot send them either).
 * Returns the rewritten Dockerfile's path and the notes.
 */
export function materialize(contextDir: string, rw: Rewrite, dest: string): string;
export function materialize(contextDir: string, rw: Rewrite, dest: string, notes: string[]): string;
export function materialize(contextDir: string, rw: Rewrite, dest: string, notes: string[] = []): string {
  let patterns: IgnorePattern[] = [];
  const ign = readBounded(path.join(contextDir, ".dockerignore"), 1024 * 1024);
  if (ign.ok) patterns = parseDockerignore(ign.text);
  const reincludes = patterns.some((p) => p.exclusion);
  const skipped: string[] = [];
  let ignored = 0;
  fs.mkdirSync(dest, { recursive: true });
  const walk = (rel: string, depth: number): void => {
    const abs = rel ? path.join(contextDir, rel) : contextDir;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const src = path.join(contextDir, r);
      const out = path.join(dest, r);
      const isIgn = r !== ".dockerignore" && isIgnored(r, patterns);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(src);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (isIgn && !reincludes) {
          ignored++;
          continue;
        }
        if (depth > 200) continue;
        fs.mkdirSync(out, { recursive: true });
        walk(r, depth + 1);
        fs.chmodSync(out, st.mode & 0o7777);
        fs.utimesSync(out, st.atime, st.mtime);
        continue;
      }
      if (isIgn) {
        ignored++;
        continue;
      }
      fs.mkdirSync(path.dirname(out), { recursive: true });
      if (st.isSymbolicLink()) {
        fs.symlinkSync(fs.readlinkSync(src), out);
      } else if (st.isFile()) {
        fs.copyFileSync(src, out);
        fs.chmodSync(out, st.mode & 0o7777);
        fs.utimesSync(out, st.atime, st.mtime);
      } else {
        skipped.push(`${r} (${st.isFIFO() ? "a FIFO" : st.isSocket() ? "a socket" : "a device"})`);
      }
    }
  };
  walk("", 0);
  if (skipped.length) notes.push(`the build context's ${skipped.slice(0, 5).join(", ")}${skipped.length > 5 ? ` and ${skipped.length - 5} more` : ""} ${skipped.length === 1 ? "was" : "were"} not copied into the rewritten context (not a file, a directory or a link)`);
  if (ignored) notes.push(`.dockerignore excluded ${ignored} path${ignored === 1 ? "" : "s"} of the context from the rewritten context, as the builder would`);
  for (const f of rw.files) {
    const p = path.join(dest, f.rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.content, { mode: f.mode });
    fs.chmodSync(p, f.mode);
  }
  const ignore = path.join(dest, ".dockerignore");
  if (fs.existsSync(ignore)) fs.appendFileSync(ignore, `\n!${HEREDOC_DIR}\n!${HEREDOC_DIR}/**\n`);
  const df = path.join(dest, ".audit-image.Dockerfile");
  fs.writeFileSync(df, rw.text);
  return df;
}
