// The build-context map: which image path comes from which context file, with which mode.
// Nothing here reads outside the context: every path is cleaned (and clamped at the root, as BuildKit
// does) before it reaches the ContextFS, and the ContextFS implementation refuses links that leave it.
import type { Heredoc } from "./parse.js";
import { basename, cleanAbs, cleanRel, globMatcher, hasGlob, joinAbs, under } from "./paths.js";
import type { ContextFS, ContextStat, CopiedFile } from "./types.js";

// ---------------------------------------------------------------------------------------------------
// .dockerignore (moby/patternmatcher semantics: last matching pattern wins, `!` re-includes, a pattern
// that matches a parent directory excludes everything below it)

interface IgnorePattern {
  re: { test(s: string): boolean };
  exclusion: boolean;
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (let line of text.split(/\r?\n/)) {
    line = line.trim();
    if (line === "" || line.startsWith("#")) continue;
    let exclusion = false;
    if (line.startsWith("!")) {
      exclusion = true;
      line = line.slice(1).trim();
    }
    const cleaned = cleanRel(line).path;
    if (cleaned === "") continue;
    out.push({ re: globMatcher(cleaned, { doubleStar: true }), exclusion });
  }
  return out;
}

export function isIgnored(path: string, patterns: readonly IgnorePattern[]): boolean {
  if (path === "" || patterns.length === 0) return false;
  const parents: string[] = [];
  const parts = path.split("/");
  for (let i = 1; i <= parts.length; i++) parents.push(parts.slice(0, i).join("/"));
  let ignored = false;
  for (const p of patterns) {
    if (parents.some((q) => p.re.test(q))) ignored = !p.exclusion;
  }
  return ignored;
}

/** The context as the builder sees it: .dockerignore applied. */
export class ContextView {
  constructor(
    private readonly fs: ContextFS,
    private readonly ignore: readonly IgnorePattern[],
  ) {}

  stat(path: string): ContextStat | null {
    if (isIgnored(path, this.ignore)) return null;
    return this.fs.stat(path === "" ? "." : path);
  }

  readFile(path: string): string | null {
    if (isIgnored(path, this.ignore)) return null;
    return this.fs.readFile(path);
  }

  list(path: string): string[] | null {
    if (isIgnored(path, this.ignore)) return null;
    const names = this.fs.list(path === "" ? "." : path);
    return names ? names.filter((n) => !isIgnored(path === "" ? n : `${path}/${n}`, this.ignore)) : null;
  }

  /** Expands a context glob (component by component, Go filepath.Match per component). Bounded. */
  glob(pattern: string, limit = 10000): string[] {
    const parts = pattern.split("/").filter((p) => p !== "");
    let current = [""];
    for (const part of parts) {
      const next: string[] = [];
      for (const dir of current) {
        if (!hasGlob(part)) {
          const p = dir === "" ? part : `${dir}/${part}`;
          if (this.stat(p)) next.push(p);
          continue;
        }
        const re = globMatcher(part);
        for (const name of (this.list(dir) ?? []).sort()) {
          if (re.test(name)) next.push(dir === "" ? name : `${dir}/${name}`);
          if (next.length >= limit) break;
        }
      }
      current = next;
      if (current.length === 0) break;
    }
    return current;
  }
}

// ---------------------------------------------------------------------------------------------------
// Operations of a stage that put files into the image or change their mode.

export type SourceOrigin = { kind: "context" } | { kind: "stage"; stage: number } | { kind: "image"; image: string };

export interface CopyOp {
  kind: "copy";
  keyword: "COPY" | "ADD";
  line: number;
  origin: SourceOrigin;
  /** Source words after expansion: context-relative (cleaned) paths, URLs, or heredoc names. */
  sources: { word: string; heredoc: Heredoc | null; url: boolean }[];
  dest: string;
  destIsDir: boolean;
  chmod: string | null;
  chown: string | null;
}

export interface ChmodOp {
  kind: "chmod";
  line: number;
  mode: string;
  recursive: boolean;
  /** Absolute image paths or glob patterns. */
  paths: string[];
}

export type FileOp = CopyOp | ChmodOp;

export function applyMode(mode: number, spec: string, isDir = false): number | null {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let m = mode;
  for (const clause of spec.split(",")) {
    const cm = /^([ugoa]*)((?:[-+=][rwxXst]*)+)$/.exec(clause);
    if (!cm) return null;
    const who = cm[1] === "" || cm[1]!.includes("a") ? "ugo" : cm[1]!;
    for (const op of cm[2]!.match(/[-+=][rwxXst]*/g) ?? []) {
      let bits = 0;
      for (const p of op.slice(1)) {
        const v = p === "r" ? 4 : p === "w" ? 2 : p === "x" ? 1 : p === "X" ? (isDir || (mode & 0o111) !== 0 ? 1 : 0) : 0;
        for (const w of who) bits |= v << (w === "u" ? 6 : w === "g" ? 3 : 0);
      }
      if (op[0] === "+") m |= bits;
      else if (op[0] === "-") m &= ~bits;
      else {
        let mask = 0;
        for (const w of who) mask |= 7 << (w === "u" ? 6 : w === "g" ? 3 : 0);
        m = (m & ~mask) | bits;
      }
    }
  }
  return m;
}

/** The file name ADD gives a URL source: its last path component, without query or fragment. */
const urlFileName = (url: string) => basename(url.replace(/[?#].*$/, "")) || "index.html";

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/i;

/** `chmod` commands in the text of a RUN (shell form or heredoc body). Best effort; variables are skipped. */
export function chmodOpsFromRun(text: string, line: number, workdir: string): ChmodOp[] {
  const ops: ChmodOp[] = [];
  for (const segment of text.split(/&&|\|\||[;|\n]/)) {
    const words = segment.trim().split(/\s+/).filter((w) => w !== "");
    while (words.length && /^(sudo|exec|command)$/.test(words[0]!)) words.shift();
    if (!words.length || !/(^|\/)chmod$/.test(words[0]!)) continue;
    let recursive = false;
    let mode: string | null = null;
    const paths: string[] = [];
    for (const w of words.slice(1)) {
      if (mode === null && /^-[RfvcH]+$|^--(recursive|verbose|silent|quiet|changes)$/.test(w)) {
        if (/R|recursive/.test(w)) recursive = true;
        continue;
      }
      if (mode === null) {
        mode = w.replace(/^["']|["']$/g, "");
        continue;
      }
      const p = w.replace(/^["']|["']$/g, "");
      if (p.includes("$") || p.includes("`")) continue;
      paths.push(joinAbs(workdir, p));
    }
    if (mode !== null && paths.length) ops.push({ kind: "chmod", line, mode, recursive, paths });
  }
  return ops;
}

function chmodApplies(op: ChmodOp, imagePath: string): boolean {
  return op.paths.some((p) => {
    if (hasGlob(p) ? globMatcher(p).test(imagePath) : p === imagePath) return true;
    return op.recursive && under(p, imagePath) !== null;
  });
}

/** A copied file found for an image path, before stage recursion. */
export type Hit =
  | { kind: "file"; file: CopiedFile; content: () => string | null }
  | { kind: "stage"; op: CopyOp; stage: number; path: string }
  | { kind: "unknown"; op: CopyOp; reason: string };

/** Finds which operation put `imagePath` into the image (the last one wins). */
export function findCopied(ops: readonly FileOp[], imagePath: string, ctx: ContextView): Hit | null {
  const chmods: ChmodOp[] = [];
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    if (op.kind === "chmod") {
      if (chmodApplies(op, imagePath)) chmods.unshift(op);
      continue;
    }
    const hit = matchCopy(op, imagePath, ctx);
    if (!hit) continue;
    if (hit.kind === "file") {
      for (const c of chmods) {
        if (hit.file.mode === null) break;
        const m = applyMode(hit.file.mode, c.mode);
        if (m !== null) {
          hit.file.mode = m;
          hit.file.chmodLine = c.line;
        }
      }
    }
    return hit;
  }
  return null;
}

function matchCopy(op: CopyOp, imagePath: string, ctx: ContextView): Hit | null {
  const target = (name: string) => (op.destIsDir ? cleanAbs(`${op.dest}/${name}`) : op.dest);
  const withChmod = (mode: number | null, isDir = false) =>
    op.chmod === null ? mode : applyMode(mode ?? 0o644, op.chmod, isDir) ?? mode;
  for (let s = op.sources.length - 1; s >= 0; s--) {
    const src = op.sources[s]!;
    if (src.heredoc) {
      if (target(src.heredoc.name) !== imagePath) continue;
      const content = src.heredoc.content;
      return {
        kind: "file",
        file: {
          imagePath,
          source: { kind: "heredoc", name: src.heredoc.name, content, line: src.heredoc.line },
          type: "file",
          mode: withChmod(0o644),
          chown: op.chown,
          line: op.line,
        },
        content: () => content,
      };
    }
    if (src.url) {
      if (target(urlFileName(src.word)) !== imagePath) continue;
      return {
        kind: "file",
        file: { imagePath, source: { kind: "url", url: src.word }, type: "file", mode: withChmod(0o600), chown: op.chown, line: op.line },
        content: () => null,
      };
    }
    if (op.origin.kind !== "context") {
      // Paths in another stage or image: map the image path back to a path there.
      const srcPath = cleanAbs(src.word);
      let there: string | null = null;
      if (hasGlob(srcPath)) {
        const rel = under(op.dest, imagePath);
        if (rel !== null && globMatcher(srcPath).test(cleanAbs(`${srcPath.slice(0, srcPath.lastIndexOf("/"))}/${rel.split("/")[0]}`)))
          there = cleanAbs(`${srcPath.slice(0, srcPath.lastIndexOf("/"))}/${rel}`);
      } else if (target(basename(srcPath)) === imagePath) there = srcPath;
      else {
        const rel = under(op.dest, imagePath);
        if (rel !== null && rel !== "" && (op.destIsDir || op.sources.length === 1)) there = cleanAbs(`${srcPath}/${rel}`);
      }
      if (there === null) continue;
      if (op.origin.kind === "stage") return { kind: "stage", op, stage: op.origin.stage, path: there };
      return { kind: "unknown", op, reason: `copied from image ${op.origin.image}, whose files are not known` };
    }
    const matches = hasGlob(src.word) ? ctx.glob(src.word) : [src.word];
    for (let m = matches.length - 1; m >= 0; m--) {
      const path = matches[m]!;
      const st = ctx.stat(path);
      if (!st) continue;
      const isArchive = op.keyword === "ADD" && st.type === "file" && ARCHIVE.test(path);
      if (st.type === "dir" || isArchive) {
        const dest = hasGlob(src.word) && st.type === "dir" ? cleanAbs(`${op.dest}/${basename(path)}`) : op.dest;
        const rel = under(dest, imagePath);
        if (rel === null) continue;
        if (isArchive) return { kind: "unknown", op, reason: `ADD extracts the archive ${path}, whose contents are not read` };
        const inner = rel === "" ? path : path === "" ? rel : `${path}/${rel}`;
        const ist = ctx.stat(inner);
        if (!ist) continue;
        return fileHit(op, imagePath, inner, ist, ctx, withChmod);
      }
      if (target(basename(path)) !== imagePath) continue;
      return fileHit(op, imagePath, path, st, ctx, withChmod);
    }
  }
  return null;
}

function fileHit(
  op: CopyOp,
  imagePath: string,
  path: string,
  st: ContextStat,
  ctx: ContextView,
  withChmod: (m: number | null, isDir?: boolean) => number | null,
): Hit {
  return {
    kind: "file",
    file: {
      imagePath,
      source: { kind: "context", path },
      type: st.type === "dir" ? "dir" : st.type === "file" ? "file" : "unknown",
      mode: withChmod(st.mode & 0o7777, st.type === "dir"),
      chown: op.chown,
      line: op.line,
    },
    content: () => (st.type === "file" ? ctx.readFile(path) : null),
  };
}

/** The listing of what each COPY/ADD put where (directories are listed as one entry). */
export function listCopied(ops: readonly FileOp[], ctx: ContextView): CopiedFile[] {
  const out: CopiedFile[] = [];
  for (const op of ops) {
    if (op.kind === "chmod") {
      for (const f of out) {
        if (f.mode !== null && chmodApplies(op, f.imagePath)) {
          const m = applyMode(f.mode, op.mode, f.type === "dir");
          if (m !== null) {
            f.mode = m;
            f.chmodLine = op.line;
          }
        }
      }
      continue;
    }
    const target = (name: string) => (op.destIsDir ? cleanAbs(`${op.dest}/${name}`) : op.dest);
    const chmod = (m: number | null, dir = false) => (op.chmod === null ? m : applyMode(m ?? 0o644, op.chmod, dir) ?? m);
    for (const src of op.sources) {
      const base = { chown: op.chown, line: op.line };
      if (src.heredoc) {
        out.push({ ...base, imagePath: target(src.heredoc.name), source: { kind: "heredoc", name: src.heredoc.name, content: src.heredoc.content, line: src.heredoc.line }, type: "file", mode: chmod(0o644) });
      } else if (src.url) {
        out.push({ ...base, imagePath: target(urlFileName(src.word)), source: { kind: "url", url: src.word }, type: "file", mode: chmod(0o600) });
      } else if (op.origin.kind === "stage") {
        out.push({ ...base, imagePath: target(basename(src.word)), source: { kind: "stage", stage: op.origin.stage, path: cleanAbs(src.word) }, type: "unknown", mode: null });
      } else if (op.origin.kind === "image") {
        out.push({ ...base, imagePath: target(basename(src.word)), source: { kind: "image", image: op.origin.image, path: cleanAbs(src.word) }, type: "unknown", mode: null });
      } else {
        for (const path of hasGlob(src.word) ? ctx.glob(src.word) : [src.word]) {
          const st = ctx.stat(path);
          if (!st) continue;
          const isDir = st.type === "dir";
          const imagePath = isDir ? (hasGlob(src.word) ? cleanAbs(`${op.dest}/${basename(path)}`) : op.dest) : target(basename(path));
          out.push({ ...base, imagePath, source: { kind: "context", path }, type: isDir ? "dir" : st.type === "file" ? "file" : "unknown", mode: chmod(st.mode & 0o7777, isDir) });
        }
      }
    }
  }
  return out;
}
