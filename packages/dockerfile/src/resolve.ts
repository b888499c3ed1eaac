// Where a command word is found in the image of a stage. The image is its base plus the stage chain's
// operations, in order: COPY/ADD (following COPY --from into other stages), and what RUN does to files
// (run-effects.ts: links, moves, removals, writes, downloads, packages). A path is looked up from the
// last operation down: the first one that decides it wins; a COPY of a directory, a glob, an archive or
// a build artifact only *may* hold the path, and then what was there before stays. Below the operations
// is the base image (the catalog's files and shells). And the list of files the stage chain copies in.
import packageData from "./data/packages.json" with { type: "json" };
import { artifactReason, chmodAppliesTo, listCopied, matchCopy, applyMode, type Artifact, type ChmodOp, type ContextView, type FileOp } from "./context.js";
import { basename, cleanAbs, globMatcher, hasGlob, joinAbs, under } from "./paths.js";
import type { PackageManager, RunOp } from "./run-effects.js";
import type { StageState } from "./state.js";
import { DEFAULT_PATH } from "./stages.js";
import type { CopiedFile, PathResolution } from "./types.js";

export function stageFiles(st: StageState, ctx: ContextView): CopiedFile[] {
  return listCopied(chainOps(st), ctx);
}

/** Where base images keep their programs: a file there may come from the image even if we do not list it. */
const SYSTEM_DIRS = /^\/(usr|bin|sbin|lib|lib32|lib64|libx32|etc|opt|var|nix|busybox|nodejs)(\/|$)/;
/** Characters that no program name has: such a word is a quoting mistake, not a command. */
const NOT_A_PROGRAM = /[[\]{},'"\s]/;

const SHELL_NAMES = new Set(["sh", "bash", "dash", "ash", "zsh", "mksh", "ksh", "busybox"]);

/**
 * Directories every Linux distribution image has: the Filesystem Hierarchy Standard 3.0's required
 * directories of `/`, `/usr` and `/usr/local` (https://refspecs.linuxfoundation.org/FHS_3.0/fhs-3.0.html,
 * sections 3.2, 4.2 and 4.9.2), plus /root and /home, which Debian, Alpine, Fedora and Ubuntu images all have.
 */
const DISTRO_DIRS = new Set([
  "/", "/bin", "/boot", "/dev", "/etc", "/lib", "/media", "/mnt", "/opt", "/run", "/sbin", "/srv", "/tmp", "/usr", "/var",
  "/usr/bin", "/usr/lib", "/usr/local", "/usr/sbin", "/usr/share",
  "/usr/local/bin", "/usr/local/etc", "/usr/local/games", "/usr/local/include", "/usr/local/lib", "/usr/local/man", "/usr/local/sbin", "/usr/local/share", "/usr/local/src",
  "/root", "/home",
]);

interface PackageEntry { manager: PackageManager; name: string; provides: string[]; configs?: Record<string, string>; source: string }
const PACKAGES = (packageData as { packages: PackageEntry[] }).packages;

/** /bin/x and /usr/bin/x are the same file on merged-/usr distributions (Debian 12, Ubuntu, Fedora…). */
function mergedUsrTwin(p: string): string | null {
  const m = /^\/(usr\/)?(s?bin)\/([^/]+)$/.exec(p);
  if (!m) return null;
  return m[1] ? `/${m[2]}/${m[3]}` : `/usr/${m[2]}/${m[3]}`;
}

/** Every file operation of the stage chain, the root stage's first. */
export function chainOps(st: StageState): FileOp[] {
  let n = 0;
  for (let s: StageState | null = st; s; s = s.parent) n += s.ops.length;
  // Asked for on every lookup: kept until an operation is added (only while the Dockerfile is walked).
  if (st.chainOps?.length !== n) {
    const chain: StageState[] = [];
    for (let s: StageState | null = st; s; s = s.parent) chain.push(s); // not unshift: 50,000 stages
    const ops: FileOp[] = [];
    for (let i = chain.length - 1; i >= 0; i--) for (const op of chain[i]!.ops) ops.push(op);
    st.chainOps = ops;
  }
  return st.chainOps;
}

interface Lookup {
  st: StageState;
  states: StageState[];
  ctx: ContextView;
  ops: FileOp[];
}

function resolveAbs(st: StageState, states: StageState[], ctx: ContextView, abs: string, depth = 0): PathResolution {
  const ops = chainOps(st);
  return resolveBefore({ st, states, ctx, ops }, abs, ops.length, depth);
}

const unknown = (imagePath: string, reason: string, artifact?: Artifact): PathResolution =>
  artifact ? { kind: "unknown", imagePath, reason, artifact } : { kind: "unknown", imagePath, reason };

/** The path as the operations `ops[0..end)` of the stage chain, over the base image, leave it. */
function resolveBefore(l: Lookup, abs: string, end: number, depth: number): PathResolution {
  if (depth > 16) return unknown(abs, "COPY --from, links and moves nest too deeply");
  const chmods: ChmodOp[] = [];
  let maybe: { reason: string; artifact?: Artifact } | null = null;
  const done = (r: PathResolution): PathResolution => withChmods(r, chmods);
  for (let i = end - 1; i >= 0; i--) {
    const op = l.ops[i]!;
    if (op.kind === "chmod") {
      if (chmodAppliesTo(op, abs)) chmods.unshift(op);
      continue;
    }
    if (op.kind === "copy") {
      const hit = matchCopy(op, abs, l.ctx);
      if (!hit) continue;
      if (hit.kind === "file") {
        const mode = hit.file.mode;
        return done({ kind: "context", imagePath: abs, file: hit.file, executable: mode === null ? null : (mode & 0o111) !== 0, content: hit.content });
      }
      if (hit.kind === "unknown") return unknown(abs, hit.reason, hit.artifact);
      if (hit.kind === "maybe") {
        maybe ??= hit.artifact ? { reason: hit.reason, artifact: hit.artifact } : { reason: hit.reason };
        continue;
      }
      const other = l.states[hit.stage];
      if (!other) return unknown(abs, `no stage ${hit.stage}`);
      const r = resolveAbs(other, l.states, l.ctx, hit.path, depth + 1);
      // Made by a RUN of that stage: `go build -o <that path>` says it is a Go program.
      // Or by any RUN of a stage on the golang image (`RUN make app`, `./build.sh`): the file a COPY names from there
      // is a Go program (not a pattern's or a directory's files, which may be anything the stage holds).
      if ((r.kind === "unknown" || r.kind === "base-image") && !r.builtBy) {
        const how = goBuilds(other, hit.path) ? "go-build" : hit.kind === "stage" && (r.kind === "unknown" || (r.kind === "base-image" && !r.certain)) && goStage(other) ? "golang-stage" : null;
        if (how) return done({ ...r, imagePath: abs, builtBy: { tool: "go", how, stage: other.stage.index, stageName: other.stage.name } } as PathResolution);
        // What `next build` writes into .next/standalone of a project whose next.config sets output: 'standalone'.
        const next = nextStandalone(other, l.states, l.ctx, hit.path, depth);
        if (next?.kind === "server") return done({ ...r, imagePath: abs, builtBy: { tool: "next", how: "next-standalone", stage: other.stage.index, stageName: other.stage.name } } as PathResolution);
        if (next?.kind === "copied") return done({ ...next.r, imagePath: abs } as PathResolution);
      }
      if (hit.kind === "stage") return done({ ...r, imagePath: abs } as PathResolution);
      // A directory or glob of another stage: the path is there only if that stage has it.
      if (r.kind === "context" || (r.kind === "base-image" && r.certain)) return done({ ...r, imagePath: abs } as PathResolution);
      if (r.kind !== "not-found") maybe ??= { reason: `it may come from stage ${other.stage.name ?? other.stage.index} (COPY --from at line ${op.line}), where ${r.kind === "unknown" ? r.reason : "it is not known"}` };
      continue;
    }
    const r = runOp(l, op, abs, i, depth);
    if (r === null) continue;
    if (r === "maybe") {
      maybe ??= { reason: `a RUN at line ${op.line} may change it (only under a condition)` };
      continue;
    }
    if ("possibly" in r) {
      maybe ??= { reason: r.possibly };
      continue;
    }
    return done(r);
  }
  const base = fromBase(l.st, abs);
  if (maybe && !(base.kind === "base-image" && base.certain)) return { ...unknown(abs, maybe.reason, maybe.artifact), maybe: true } as PathResolution;
  return base;
}

/** What one RUN operation says about `abs`: null when nothing, "maybe" when a conditional one may change it. */
function runOp(l: Lookup, op: RunOp, abs: string, i: number, depth: number): PathResolution | "maybe" | { possibly: string } | null {
  const e = op.effect;
  const cond = op.conditional;
  switch (e.kind) {
    case "link": {
      if (under(e.path, abs) === null) return null; // both places it may be are at or below e.path
      const loc = e.into === true || (e.into === null && isDirBefore(l, e.path, i)) ? cleanAbs(`${e.path}/${basename(e.target)}`) : e.path;
      const rest = under(loc, abs);
      if (rest === null) return null;
      if (cond) return "maybe";
      const target = joinAbs(loc.slice(0, loc.lastIndexOf("/")) || "/", e.target);
      const there = rest === "" ? target : cleanAbs(`${target}/${rest}`);
      if (there === abs) return unknown(abs, `a link to itself (RUN at line ${op.line})`);
      // A symbolic link is followed when the container runs, in the finished image; a hard link is the file as it was.
      const r = e.hard ? resolveBefore(l, there, i, depth + 1) : resolveAbs(l.st, l.states, l.ctx, there, depth + 1);
      if (r.kind === "not-found") return { kind: "not-found", imagePath: abs, searched: [abs, there] };
      return r;
    }
    case "move":
    case "copy": {
      const below = under(e.to, abs) !== null;
      const dest = !below ? e.to : e.into === true || (e.into === null && isDirBefore(l, e.to, i)) ? cleanAbs(`${e.to}/${basename(e.from)}`) : e.to;
      const rest = below ? under(dest, abs) : null;
      if (rest !== null) {
        if (cond) return "maybe";
        const from = rest === "" ? e.from : cleanAbs(`${e.from}/${rest}`);
        const r = resolveBefore(l, from, i, depth + 1);
        if (r.kind === "not-found") return unknown(abs, `${e.kind === "move" ? "mv" : "cp"} at line ${op.line} from ${from}, which is not known to be there`);
        if (r.kind === "context") {
          const mode = e.mode !== null && r.file.mode !== null ? applyMode(r.file.mode, e.mode) : r.file.mode;
          return { ...r, imagePath: abs, file: { ...r.file, mode }, executable: mode === null ? null : (mode & 0o111) !== 0 };
        }
        return { ...r, imagePath: abs } as PathResolution;
      }
      if (e.kind === "move" && under(e.from, abs) !== null) return cond ? "maybe" : { kind: "not-found", imagePath: abs, searched: [abs] };
      return null;
    }
    case "remove":
      if (under(e.path, abs) === null) return null;
      return cond ? "maybe" : { kind: "not-found", imagePath: abs, searched: [abs] };
    case "mkdir":
      return null;
    case "write": {
      if (e.path !== abs) return null;
      if (cond) return "maybe";
      if (e.content === null) return unknown(abs, `${e.how}, with content that is not known`);
      const before = resolveBefore(l, abs, i, depth + 1);
      // A redirection keeps the mode of a file that is there; a new file gets 0644 (umask 022).
      const mode = before.kind === "context" ? before.file.mode : before.kind === "base-image" && before.certain ? null : 0o644;
      const content = e.content;
      const file: CopiedFile = { imagePath: abs, source: { kind: "run", line: op.line, how: e.how, content }, type: "file", mode, chown: null, line: op.line };
      return { kind: "context", imagePath: abs, file, executable: mode === null ? null : (mode & 0o111) !== 0, content: () => content };
    }
    case "touch": {
      if (e.path !== abs) return null;
      if (cond) return "maybe";
      const before = resolveBefore(l, abs, i, depth + 1);
      if (before.kind === "not-found") {
        const file: CopiedFile = { imagePath: abs, source: { kind: "run", line: op.line, how: `created empty: ${e.how}`, content: "" }, type: "file", mode: 0o644, chown: null, line: op.line };
        return { kind: "context", imagePath: abs, file, executable: false, content: () => "" };
      }
      // A file that was there keeps its content; one that may not have been is there now.
      if (before.kind === "base-image" && !before.certain) return unknown(abs, `${e.how}: there now, its content is not known`);
      if (before.kind === "unknown" && before.maybe) return unknown(abs, `${e.how}: there now, its content is not known`);
      return before;
    }
    case "edit":
      if (e.path !== abs) {
        // A pattern (`dos2unix /docker-entrypoint.d/*.sh`) edits the files there that it matches.
        if (!hasGlob(e.path) || !globMatcher(e.path).test(abs) || resolveBefore(l, abs, i, depth + 1).kind === "not-found") return null;
      }
      if (cond) return "maybe";
      if (e.stripCr) {
        // Only the carriage returns go: a file whose content is known stays known, without them (mode kept).
        const before = resolveBefore(l, abs, i, depth + 1);
        const text = before.kind === "context" ? before.content() : null;
        // (dos2unix implementations differ on a CR that ends no line, BusyBox's drops it too; a byte order
        // mark or a binary byte may change or skip more: then not known)
        if (before.kind === "context" && text !== null && !(e.stripCr === "crlf" && /\r(?!\n)|^\uFEFF|\u0000/.test(text))) {
          const content = text.replace(e.stripCr === "crlf" ? /\r(?=\n)/g : e.stripCr === "eol" ? /\r(?=\n|$)/g : /\r/g, "");
          const file: CopiedFile = { ...before.file, source: { kind: "run", line: op.line, how: e.how, content }, line: op.line };
          return { ...before, file, content: () => content };
        }
      }
      return unknown(abs, `${e.how}: its content is no longer known`);
    case "unknown": {
      const rest = under(e.path, abs);
      if (rest === null || (rest !== "" && !e.under)) return null;
      if (e.under || cond) return { possibly: `${e.how}, which may have put it there` };
      return unknown(abs, `${e.how}: its content is not known`);
    }
    case "install": {
      const twin = mergedUsrTwin(abs);
      for (const name of e.packages) {
        const pkg = PACKAGES.find((p) => p.manager === e.manager && p.name === name);
        if (!pkg) continue;
        // A config file the package installs, with the settings the table records (Debian supervisor's include).
        const config = pkg.configs?.[abs];
        if (config !== undefined) {
          if (cond) return { possibly: `the package ${name} may be installed (RUN at line ${op.line}, under a condition)` };
          return { kind: "base-image", imagePath: abs, certain: true, file: { kind: "config", content: config }, package: { name, manager: e.manager, line: op.line, source: pkg.source } };
        }
        if (!pkg.provides.includes(abs) && !(twin && l.st.stage.base.binSh !== "busybox" && pkg.provides.includes(twin))) continue;
        if (cond) return { possibly: `the package ${name} may be installed (RUN at line ${op.line}, under a condition)` };
        return { kind: "base-image", imagePath: abs, certain: true, file: null, package: { name, manager: e.manager, line: op.line, source: pkg.source } };
      }
      return null;
    }
    case "uninstall":
      return uninstalled(l, op, e, abs, i, depth);
    case "chmod":
      return null; // turned into ChmodOps by the dispatcher
    case "ran":
      return null; // says a program is on the PATH, not where (ranOnPath)
  }
}

/** The latest `install` operation before `end` that installs `name` (as a package, or as the virtual group `name`). */
function installOp(l: Lookup, end: number, manager: string, name: string, asGroup: boolean): number {
  for (let j = end - 1; j >= 0; j--) {
    const o = l.ops[j]!;
    if (o.kind !== "run" || o.effect.kind !== "install" || o.effect.manager !== manager) continue;
    if (asGroup ? o.effect.virtual === name : o.effect.packages.includes(name)) return j;
  }
  return -1;
}

/**
 * A package removal (`apk del .deps`, `apt-get purge tini`) and `abs`: a file a removed package provides is not
 * there any more. The members of an apk virtual group go with it, except a package another `apk add` (outside the
 * groups removed) also asked for, which apk keeps. A file that was there before the package was installed (the
 * base image's, a COPY) may stay: unknown.
 */
function uninstalled(l: Lookup, op: RunOp, e: Extract<RunOp["effect"], { kind: "uninstall" }>, abs: string, i: number, depth: number): PathResolution | "maybe" | null {
  const twin = mergedUsrTwin(abs);
  const removed = new Map<string, number>(); // package -> the install op that put it there (-1: none seen)
  const viaGroup = new Map<string, number>(); // the members of the virtual groups removed
  const groups = new Set<string>();
  for (const n of e.packages) {
    const g = e.manager === "apk" ? installOp(l, i, e.manager, n, true) : -1;
    if (g >= 0) {
      groups.add(n);
      const inst = l.ops[g] as RunOp & { effect: { kind: "install"; packages: string[] } };
      for (const m of inst.effect.packages) if (!removed.has(m)) viaGroup.set(m, g);
    } else removed.set(n, installOp(l, i, e.manager, n, false));
  }
  for (const [m, g] of viaGroup) if (!removed.has(m)) removed.set(m, g);
  if (e.manager === "apk") {
    // apk keeps what its world still asks for: a group's member that an `apk add` outside the groups being removed added
    for (const [name] of viaGroup) {
      if (e.packages.includes(name)) continue;
      for (let j = i - 1; j >= 0; j--) {
        const o = l.ops[j]!;
        if (o.kind === "run" && o.effect.kind === "install" && o.effect.manager === "apk" && o.effect.packages.includes(name) && !(o.effect.virtual && groups.has(o.effect.virtual))) {
          removed.delete(name);
          break;
        }
      }
    }
  }
  for (const [name, at] of removed) {
    const pkg = PACKAGES.find((p) => p.manager === e.manager && p.name === name);
    if (!pkg) continue;
    if (!pkg.provides.includes(abs) && !(twin && l.st.stage.base.binSh !== "busybox" && pkg.provides.includes(twin))) continue;
    if (op.conditional) return "maybe";
    if (at >= 0) {
      const before = resolveBefore(l, abs, at, depth + 1);
      if (before.kind === "context" || (before.kind === "base-image" && before.certain && !before.package))
        return unknown(abs, `${e.how} removes the package ${name}, but ${abs} was there before it was installed: whether it stays is not known`);
    }
    return { kind: "not-found", imagePath: abs, searched: [abs], removedBy: `${e.how} removes the package ${name}` };
  }
  return null;
}

/** Is `dir` a directory in the image once the operations `ops[0..end)` have run? */
function isDirBefore(l: Lookup, dir: string, end: number): boolean {
  for (let i = end - 1; i >= 0; i--) {
    const op = l.ops[i]!;
    if (op.kind === "copy") {
      if ((op.destIsDir && under(dir, op.dest) !== null) || (under(dir, op.dest) ?? "") !== "") return true;
      continue;
    }
    if (op.kind !== "run") continue;
    const e = op.effect;
    if (e.kind === "mkdir" && under(dir, e.path) !== null) return true;
    if ((e.kind === "write" || e.kind === "link" || e.kind === "touch") && (under(dir, e.path) ?? "") !== "") return true;
    if ((e.kind === "move" || e.kind === "copy") && (under(dir, e.to) ?? "") !== "") return true;
  }
  return baseHasDir(l.st, dir);
}

/** Whether the base image of a stage chain has this directory: a distribution's standard ones, a catalogued file's. */
function baseHasDir(st: StageState, dir: string): boolean {
  const base = st.stage.base;
  if (base.kind === "scratch") return false;
  if (base.facts && base.binSh === "none") return Object.keys(base.facts.files).some((f) => (under(dir, f) ?? "") !== "");
  if (DISTRO_DIRS.has(dir)) return true;
  return !!base.facts && Object.keys(base.facts.files).some((f) => (under(dir, f) ?? "") !== "");
}

/** For COPY at dispatch time: is the destination an existing directory of the stage so far? */
export function stageHasDir(st: StageState, states: StageState[], ctx: ContextView, dir: string): boolean {
  const ops = chainOps(st);
  return isDirBefore({ st, states, ctx, ops }, dir, ops.length);
}

function withChmods(r: PathResolution, chmods: ChmodOp[]): PathResolution {
  if (r.kind !== "context" || chmods.length === 0) return r;
  let mode = r.file.mode;
  let chmodLine = r.file.chmodLine;
  for (const c of chmods) {
    if (mode === null) break;
    const m = applyMode(mode, c.mode, r.file.type === "dir");
    if (m !== null) {
      mode = m;
      chmodLine = c.line;
    }
  }
  if (mode === r.file.mode) return r;
  return { ...r, file: { ...r.file, mode, ...(chmodLine !== undefined ? { chmodLine } : {}) }, executable: mode === null ? null : (mode & 0o111) !== 0 };
}

/** A path no operation of the stage chain decides: what the base image has there. */
function fromBase(st: StageState, abs: string): PathResolution {
  const base = st.stage.base;
  const hasRun = chainHasRun(st);
  const facts = base.facts;
  const twin = base.binSh === "busybox" ? null : mergedUsrTwin(abs);
  if (facts) {
    const f = facts.files[abs] ?? (twin ? facts.files[twin] : undefined);
    if (f) return { kind: "base-image", imagePath: abs, certain: true, file: f };
    if (facts.shells.includes(abs) || (twin && facts.shells.includes(twin))) return { kind: "base-image", imagePath: abs, certain: true, file: null };
    const name = basename(abs);
    // An image whose /bin/sh is BusyBox has the busybox binary it links to.
    if (base.binSh === "busybox" && abs === "/bin/busybox") return { kind: "base-image", imagePath: abs, certain: true, file: null };
    if (SHELL_NAMES.has(name) && !(hasRun && chainRunWords(st).has(name)))
      return { kind: "not-found", imagePath: abs, searched: [abs] };
    // Outside the system directories, a file that no COPY brings and no RUN can have made is not there.
    if (!hasRun && !SYSTEM_DIRS.test(abs)) return { kind: "not-found", imagePath: abs, searched: [abs] };
    return { kind: "base-image", imagePath: abs, certain: false, file: null };
  }
  if (base.kind === "scratch" && !hasRun) return { kind: "not-found", imagePath: abs, searched: [abs] };
  if (base.kind === "scratch") return { kind: "unknown", imagePath: abs, reason: "not copied from the build context; a RUN step may have created it" };
  return { kind: "unknown", imagePath: abs, reason: `the base image ${base.root} is not in the catalog` };
}

/**
 * Does a RUN of the stage chain write `path` with the Go toolchain? `go build … -o OUT` (OUT the file, relative to the
 * stage's WORKDIR, or a directory ending in / that holds it), or `go install` into /go/bin (GOPATH of the golang
 * images). An output named through a variable is not followed.
 */
function goBuilds(st: StageState, path: string): boolean {
  let text = "";
  for (let s: StageState | null = st; s; s = s.parent) text += s.runText + "\n";
  if (!text.includes("go ")) return false;
  const wd = st.config.workingDir.value;
  for (const m of text.replace(/\\\n/g, " ").matchAll(/\bgo\s+(build|install)\b([^\n;&|]*)/g)) {
    if (m[1] === "install") {
      if (path.startsWith("/go/bin/")) return true;
      continue;
    }
    const o = /(?:^|\s)-o(?:\s+|=)("[^"]*"|'[^']*'|\S+)/.exec(m[2]!);
    if (!o) continue;
    const out = o[1]!.replace(/^["']|["']$/g, "");
    if (out.includes("$")) continue;
    const abs = joinAbs(wd, out);
    if (abs === path || (out.endsWith("/") && path.startsWith(abs.endsWith("/") ? abs : `${abs}/`))) return true;
  }
  // A stage that runs the Go toolchain, whose RUN names the file's path as a whole word (the output a Makefile
  // target is given: `make OUTPUT=/target/app/server build`, `./build.sh -o /out/app`): its build wrote it.
  if (/\bgo\s+(?:build|install|test|generate|mod)\b/.test(text)) {
    const esc = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (new RegExp(`(?:^|[\\s=])${esc}(?=$|[\\s;&|])`, "m").test(text)) return true;
  }
  return false;
}

/**
 * The line of the last RUN of the stage chain that ran `name` by its name where the build fails without it, with a
 * PATH whose every directory is on `path` too; null when there is none, or when a later RUN may have taken it away
 * (an rm of `<dir>/name` or of a directory of the PATH, or the removal of a package, when a package may have
 * installed it: one of the chain's package installs names it, or provides a file of that name).
 */
function ranOnPath(st: StageState, name: string, path: string): number | null {
  const ops = chainOps(st);
  const dirs = new Set(path.split(":").filter(Boolean).map(cleanAbs));
  // A removed package may hold it: the table says it provides a file of that name, or (a package the table does
  // not know) the names overlap (nodejs and node). An apk virtual group stands for the packages added under it.
  const mayHold = (manager: string, pkg: string): boolean => {
    const known = PACKAGES.find((e) => e.name === pkg && e.manager === manager);
    if (known) return known.provides.some((f) => basename(f) === name);
    return pkg.includes(name) || name.includes(pkg);
  };
  const removes = (e: { manager: string; packages: string[] }): boolean =>
    e.packages.some((p) => {
      const group = ops.filter((o) => o.kind === "run" && o.effect.kind === "install" && o.effect.virtual === p);
      if (!group.length) return mayHold(e.manager, p);
      return group.some((o) => o.kind === "run" && o.effect.kind === "install" && o.effect.packages.some((q) => mayHold(e.manager, q)));
    });
  for (let i = ops.length - 1; i >= 0; i--) {
    const o = ops[i]!;
    if (o.kind !== "run") continue;
    const e = o.effect;
    if (e.kind === "uninstall" && removes(e)) return null;
    if (e.kind === "remove" && (basename(e.path) === name || [...dirs].some((d) => under(e.path, d) !== null))) return null;
    if (e.kind === "move" && basename(e.from) === name) return null;
    if (e.kind !== "ran" || e.name !== name) continue;
    const runDirs = (e.searchPath ?? DEFAULT_PATH).split(":").filter(Boolean).map(cleanAbs);
    return runDirs.every((d) => dirs.has(d)) ? o.line : null;
  }
  return null;
}

/** The names Next.js loads its configuration from (next/dist/shared/lib/constants.js CONFIG_FILES, next@16.2.6). */
const NEXT_CONFIG_FILES = ["next.config.js", "next.config.mjs", "next.config.ts", "next.config.mts"];

/**
 * A file of `<project>/.next/standalone/` in a stage that ran a build of a Next.js project whose next.config (a
 * file of the build context) sets `output: 'standalone'`. `next build` writes there the server it generates
 * (`server.js`, which calls next's startServer) and a copy of the project's package.json (next@16.2.6,
 * dist/build/utils.js, copyTracedFiles: "we always copy the package.json to the standalone folder"). Only the
 * standalone folder's top (a project at the root of the tracing root, the common case) is recognised.
 */
function nextStandalone(st: StageState, states: StageState[], ctx: ContextView, path: string, depth: number): { kind: "server" } | { kind: "copied"; r: PathResolution } | null {
  const m = /^(.*)\/\.next\/standalone\/(server\.js|package\.json)$/.exec(path);
  if (!m || !chainHasRun(st)) return null;
  const project = m[1] || "/";
  const config = NEXT_CONFIG_FILES.map((f) => resolveAbs(st, states, ctx, joinAbs(project, f), depth + 1)).find((r) => r.kind === "context");
  const text = config?.kind === "context" ? config.content() : null;
  // a line that sets it, not one commented out (`// output: 'standalone'`)
  if (!text || !text.split("\n").some((line) => !/^\s*(\/\/|\/?\*)/.test(line) && /(^|[\s,{])output\s*:\s*(['"`])standalone\2/.test(line))) return null;
  if (m[2] === "server.js") return { kind: "server" };
  const pkg = resolveAbs(st, states, ctx, joinAbs(project, "package.json"), depth + 1);
  return pkg.kind === "context" ? { kind: "copied", r: pkg } : null;
}

/** A stage on the official Go toolchain image (golang:*, also through stages built on it) with a RUN of its own chain. */
function goStage(st: StageState): boolean {
  const repo = (st.stage.base.repository ?? "").replace(/^(docker\.io\/)?(library\/)?/, "");
  return repo === "golang" && chainHasRun(st);
}

function chainHasRun(st: StageState): boolean {
  for (let s: StageState | null = st; s; s = s.parent) if (s.hasRun) return true;
  return false;
}
/** The words of every RUN in the stage chain (`apk add bash` installs bash; `publish` does not mean sh). */
function chainRunWords(st: StageState): Set<string> {
  if (!st.runWords) {
    let t = "";
    for (let s: StageState | null = st; s; s = s.parent) t += s.runText + "\n";
    st.runWords = new Set(t.split(/[^A-Za-z0-9_.+-]+/).filter(Boolean));
  }
  return st.runWords;
}

/**
 * Which program /bin/sh is once the stage chain's RUNs have run: a RUN that relinks it (`ln -sf bash
 * /bin/sh`) decides; otherwise the base image's. null when no RUN touches it.
 */
export function relinkedSh(st: StageState): { binSh: "dash" | "bash" | "busybox" | "unknown"; line: number } | null {
  const ops = chainOps(st);
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    if (op.kind !== "run") continue;
    const e = op.effect;
    const touches =
      (e.kind === "link" && (e.path === "/bin/sh" || e.path === "/usr/bin/sh")) ||
      ((e.kind === "move" || e.kind === "copy") && (e.to === "/bin/sh" || e.to === "/usr/bin/sh")) ||
      (e.kind === "remove" && (e.path === "/bin/sh" || e.path === "/usr/bin/sh"));
    if (!touches) continue;
    if (op.conditional || e.kind !== "link") return { binSh: "unknown", line: op.line };
    const name = basename(e.target);
    const kind = name === "bash" ? "bash" : name === "dash" ? "dash" : name === "busybox" ? "busybox" : "unknown";
    return { binSh: kind, line: op.line };
  }
  return null;
}

export function resolveWord(st: StageState, states: StageState[], ctx: ContextView, word: string, cwd: string, path: string): PathResolution {
  if (word === "") return { kind: "not-found", imagePath: null, searched: [] };
  if (NOT_A_PROGRAM.test(word) && !word.includes("/")) return { kind: "not-found", imagePath: null, searched: [] };
  if (word.includes("/")) return resolveAbs(st, states, ctx, joinAbs(cwd, word));
  const searched: string[] = [];
  let fallback: PathResolution | null = null;
  // a program the build installed and then removed (apk del .deps): not taken for one the base image may hold
  let removed: string | undefined;
  for (const dir of path.split(":")) {
    if (dir === "") continue;
    const abs = joinAbs(dir, word);
    searched.push(abs);
    const r = resolveAbs(st, states, ctx, abs);
    if (r.kind === "context" || (r.kind === "base-image" && r.certain)) return r;
    // a COPY --from put a built program there: it is found, whatever else the PATH may hold later
    if ((r.kind === "unknown" || r.kind === "base-image") && r.builtBy) return r;
    if (r.kind === "unknown" && (!fallback || (fallback.kind === "unknown" && fallback.maybe && !r.maybe))) fallback = r;
    if (r.kind === "not-found" && r.removedBy) removed ??= r.removedBy;
  }
  // A file that a RUN or COPY made somewhere on the PATH but whose content is not known: it is there.
  if (fallback && fallback.kind === "unknown" && fallback.imagePath && !fallback.maybe && !/is not in the catalog/.test(fallback.reason)) return fallback;
  // A RUN that fails without it ran it by this name (`&& node --version`): a lookup finds it, where is not known.
  const ran = removed ? null : ranOnPath(st, word, path);
  if (ran !== null)
    return { kind: "unknown", imagePath: null, reason: `a RUN at line ${ran} that fails without it runs ${word} by name: it is on the PATH, where is not known`, onPath: true };
  const facts = st.stage.base.facts;
  if (facts) {
    const byPath = Object.keys(facts.files).find((k) => basename(k) === word);
    if (byPath) return { kind: "base-image", imagePath: byPath, certain: true, file: facts.files[byPath]! };
    const known = [facts.config.entrypoint?.[0], facts.config.cmd?.[0]].filter((x): x is string => !!x);
    if (known.some((k) => basename(k) === word)) return { kind: "base-image", imagePath: null, certain: true, file: null };
    if (SHELL_NAMES.has(word)) {
      const shell = facts.shells.find((s) => basename(s) === word);
      if (shell) return { kind: "base-image", imagePath: shell, certain: true, file: null };
      // Not in the base image: there only if something the build added may hold it (an archive, a directory).
      if (!(chainHasRun(st) && chainRunWords(st).has(word))) return fallback ?? { kind: "not-found", imagePath: null, searched };
    }
    if (removed) return { kind: "not-found", imagePath: null, searched, removedBy: removed };
    return { kind: "base-image", imagePath: null, certain: false, file: null };
  }
  if (st.stage.base.kind === "scratch" && !chainHasRun(st)) return fallback ?? { kind: "not-found", imagePath: null, searched };
  return fallback ?? { kind: "unknown", imagePath: null, reason: `the base image ${st.stage.base.root} is not in the catalog` };
}
