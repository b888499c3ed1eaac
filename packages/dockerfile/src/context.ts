// The build-context map: which image path comes from which context file, with which mode.
// Nothing here reads outside the context: every path is cleaned (and clamped at the root, as BuildKit
// does) before it reaches the ContextFS, and the ContextFS implementation refuses links that leave it.
import type { Heredoc } from "./parse.js";
import type { RunOp } from "./run-effects.js";
import { basename, cleanAbs, cleanRel, globMatcher, hasGlob, joinAbs, under } from "./paths.js";
import type { ContextFS, ContextStat, CopiedFile } from "./types.js";

// ---------------------------------------------------------------------------------------------------
// .dockerignore (moby/patternmatcher semantics: last matching pattern wins, `!` re-includes, a pattern
// that matches a parent directory excludes everything below it)

export interface IgnorePattern {
  re: { test(s: string): boolean };
  exclusion: boolean;
  /** The literal text the pattern starts with (up to its first wildcard): a path it matches starts with it. */
  lead: string;
  /** The literal text it ends with (after its last wildcard): a path it matches ends with it. */
  tail: string;
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
    const special = /[*?[\]\\]/g;
    const first = cleaned.search(special);
    let last = -1;
    for (let m = special.exec(cleaned); m; m = special.exec(cleaned)) last = m.index;
    out.push({
      re: globMatcher(cleaned, { doubleStar: true }),
      exclusion,
      lead: first < 0 ? cleaned : cleaned.slice(0, first),
      tail: first < 0 ? cleaned : cleaned.includes("\\") ? "" : cleaned.slice(last + 1),
    });
  }
  return out;
}

export function isIgnored(path: string, patterns: readonly IgnorePattern[]): boolean {
  return new IgnoreIndex(patterns).ignored(path);
}

/** How many pattern tests a context may take in all; past it, what the rest would exclude is not known. */
const MAX_IGNORE_TESTS = 1_000_000;

/**
 * The patterns of a .dockerignore, indexed once. The last pattern that matches a path (or a parent of it)
 * decides, so the candidates are tried from the last one back and the first match ends the search. The
 * candidates of a path are found by the literal text patterns start with (`node_modules/`, `build/x`) or
 * end with (`*.log`), looked up for the path and each parent; only patterns with wildcards at both ends
 * are tried on every path. Each path's answer is kept. (Every pattern tried in order on every path,
 * 100,000 patterns × 3,000 files took minutes.) The tests are bounded: past MAX_IGNORE_TESTS the
 * remaining paths count as not excluded, and `truncated` says so.
 */
class IgnoreIndex {
  private readonly byLead = new Map<string, number[]>();
  private readonly byTail = new Map<string, number[]>();
  private readonly leadLengths: number[];
  private readonly tailLengths: number[];
  private readonly general: number[] = [];
  private readonly memo = new Map<string, boolean>();
  private tests = 0;
  truncated: string | null = null;
  constructor(private readonly patterns: readonly IgnorePattern[]) {
    const add = (m: Map<string, number[]>, k: string, i: number) => {
      const l = m.get(k);
      if (l) l.push(i);
      else m.set(k, [i]);
    };
    patterns.forEach((p, i) => {
      if (p.lead) add(this.byLead, p.lead, i);
      else if (p.tail) add(this.byTail, p.tail, i);
      else this.general.push(i);
    });
    this.leadLengths = [...new Set([...this.byLead.keys()].map((k) => k.length))];
    this.tailLengths = [...new Set([...this.byTail.keys()].map((k) => k.length))];
  }

  ignored(path: string): boolean {
    if (path === "" || this.patterns.length === 0) return false;
    const known = this.memo.get(path);
    if (known !== undefined) return known;
    const parts = path.split("/");
    const parents: string[] = [];
    for (let i = 0, q = ""; i < parts.length; i++) parents.push((q = i ? `${q}/${parts[i]}` : parts[0]!));
    const found = new Set<number>();
    for (const q of parents) {
      for (const n of this.leadLengths) if (n <= q.length) for (const i of this.byLead.get(q.slice(0, n)) ?? NONE) found.add(i);
      for (const n of this.tailLengths) if (n <= q.length) for (const i of this.byTail.get(q.slice(q.length - n)) ?? NONE) found.add(i);
    }
    const cands = [...found].sort((x, y) => y - x);
    const b = this.general;
    let result = false;
    for (let i = 0, j = b.length - 1; i < cands.length || j >= 0; ) {
      const k = j < 0 || (i < cands.length && cands[i]! > b[j]!) ? cands[i++]! : b[j--]!;
      const p = this.patterns[k]!;
      if (++this.tests > MAX_IGNORE_TESTS) {
        this.truncated ??= `the .dockerignore has too many patterns to test on every file (more than ${MAX_IGNORE_TESTS} tests): what it leaves out of the context past that is not known`;
        break;
      }
      if (parents.some((q) => p.re.test(q))) {
        result = !p.exclusion;
        break;
      }
    }
    if (this.memo.size >= 100_000) this.memo.clear();
    this.memo.set(path, result);
    return result;
  }
}

const NONE: readonly number[] = [];

/** The context as the builder sees it: .dockerignore applied. */
export class ContextView {
  private readonly ignore: IgnoreIndex;
  /** A bound was hit reading the context (the .dockerignore's patterns): the view is partial. */
  get truncated(): string | null {
    return this.ignore.truncated;
  }
  constructor(
    private readonly fs: ContextFS,
    patterns: readonly IgnorePattern[],
  ) {
    this.ignore = new IgnoreIndex(patterns);
  }

  stat(path: string): ContextStat | null {
    if (this.ignore.ignored(path)) return null;
    return this.fs.stat(path === "" ? "." : path);
  }

  /** Whether `path` is in the context on disk but excluded by .dockerignore. */
  excluded(path: string): boolean {
    return this.ignore.ignored(path) && this.fs.stat(path === "" ? "." : path) !== null;
  }

  readFile(path: string): string | null {
    if (this.ignore.ignored(path)) return null;
    return this.fs.readFile(path);
  }

  list(path: string): string[] | null {
    if (this.ignore.ignored(path)) return null;
    const names = this.fs.list(path === "" ? "." : path);
    return names ? names.filter((n) => !this.ignore.ignored(path === "" ? n : `${path}/${n}`)) : null;
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
  /** Source words after expansion: context-relative (cleaned) paths, URLs, or heredoc names. `missing`: a
   * context source that is not there (`absent` from the context, `excluded` by .dockerignore, a pattern that
   * matches nothing), with the word as written. */
  sources: { word: string; heredoc: Heredoc | null; url: boolean; missing?: { how: "absent" | "excluded" | "no-match"; written: string } }[];
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

export type FileOp = CopyOp | ChmodOp | RunOp;

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

function chmodApplies(op: ChmodOp, imagePath: string): boolean {
  return op.paths.some((p) => {
    if (hasGlob(p) ? globMatcher(p).test(imagePath) : p === imagePath) return true;
    return op.recursive && under(p, imagePath) !== null;
  });
}

/**
 * What one COPY/ADD says about an image path, before stage recursion. A COPY only ever adds to the tree:
 * `file`, `stage` and `unknown` say the path is that COPY's (the last one wins); `stage-maybe` and `maybe`
 * say it is there if the source (a directory of another stage or image, a glob, an archive, a build
 * artifact) holds it, and otherwise what was there before stays.
 */
export type Hit =
  | { kind: "file"; file: CopiedFile; content: () => string | null }
  | { kind: "stage"; op: CopyOp; stage: number; path: string }
  | { kind: "stage-maybe"; op: CopyOp; stage: number; path: string }
  | { kind: "unknown"; op: CopyOp; reason: string; artifact?: Artifact }
  | { kind: "maybe"; op: CopyOp; reason: string; artifact?: Artifact };

/** A COPY source that is not in the build context: most often made before `docker build` runs. */
export interface Artifact {
  line: number;
  source: string;
}

export function artifactReason(a: Artifact, keyword = "COPY"): string {
  return `it comes from "${a.source}", which is not in the build context (${keyword} at line ${a.line}): a build artifact made before docker build, whose content is not known`;
}

export function chmodAppliesTo(op: ChmodOp, imagePath: string): boolean {
  return chmodApplies(op, imagePath);
}

export function matchCopy(op: CopyOp, imagePath: string, ctx: ContextView): Hit | null {
  const target = (name: string) => (op.destIsDir ? cleanAbs(`${op.dest}/${name}`) : op.dest);
  const withChmod = (mode: number | null, isDir = false) =>
    op.chmod === null ? mode : applyMode(mode ?? 0o644, op.chmod, isDir) ?? mode;
  let maybe: Hit | null = null;
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
      const rel = under(op.dest, imagePath);
      if (hasGlob(srcPath)) {
        // A pattern copied to a file destination (`COPY --from=build /src/target/*.jar /app.jar`): the
        // destination is that COPY's file, one of the pattern's matches there, which is not known.
        if (!op.destIsDir && imagePath === op.dest)
          return { kind: "unknown", op, reason: `copied from the pattern ${srcPath} of ${op.origin.kind === "stage" ? `stage ${op.origin.stage}` : `image ${op.origin.image}`} (${op.keyword} at line ${op.line}), whose matches are not known` };
        // Each match lands under the destination by its name: the path is there if the pattern matches it.
        const srcDir = srcPath.slice(0, srcPath.lastIndexOf("/")) || "/";
        if (rel !== null && rel !== "" && globMatcher(srcPath).test(cleanAbs(`${srcDir}/${rel.split("/")[0]}`))) {
          const there = cleanAbs(`${srcDir}/${rel}`);
          maybe ??= op.origin.kind === "stage"
            ? { kind: "stage-maybe", op, stage: op.origin.stage, path: there }
            : { kind: "maybe", op, reason: `it may come from image ${op.origin.image} (${op.keyword} at line ${op.line}), whose files are not known` };
        }
        continue;
      }
      if (target(basename(srcPath)) === imagePath && srcPath !== "/") {
        if (op.origin.kind === "stage") return { kind: "stage", op, stage: op.origin.stage, path: srcPath };
        return { kind: "unknown", op, reason: `copied from image ${op.origin.image}, whose files are not known` };
      }
      // A directory source puts its content under the destination; a file source does not touch other paths.
      if (rel !== null && rel !== "" && (op.destIsDir || op.sources.length === 1)) {
        const there = cleanAbs(`${srcPath}/${rel}`);
        maybe ??= op.origin.kind === "stage"
          ? { kind: "stage-maybe", op, stage: op.origin.stage, path: there }
          : { kind: "maybe", op, reason: `it may come from image ${op.origin.image} (${op.keyword} at line ${op.line}), whose files are not known` };
      }
      continue;
    }
    if (src.missing) {
      // Not in the context: a build artifact of unknown content (a binary, a directory such as dist/).
      const artifact: Artifact = { line: op.line, source: src.missing.written };
      const name = basename(src.word);
      // (a pattern copied to a file destination names the file it makes: `COPY target/*.jar app.jar`)
      if ((!hasGlob(src.word) || !op.destIsDir) && target(name) === imagePath) return { kind: "unknown", op, reason: artifactReason(artifact, op.keyword), artifact };
      const rel = under(op.dest, imagePath);
      if (rel !== null && rel !== "") maybe ??= { kind: "maybe", op, reason: artifactReason(artifact, op.keyword), artifact };
      continue;
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
        if (isArchive) {
          maybe ??= { kind: "maybe", op, reason: `ADD extracts the archive ${path} here, whose contents are not read` };
          continue;
        }
        const inner = rel === "" ? path : path === "" ? rel : `${path}/${rel}`;
        const ist = ctx.stat(inner);
        if (!ist) continue;
        return fileHit(op, imagePath, inner, ist, ctx, withChmod);
      }
      if (target(basename(path)) !== imagePath) continue;
      return fileHit(op, imagePath, path, st, ctx, withChmod);
    }
  }
  return maybe;
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
    if (op.kind !== "copy") continue;
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
