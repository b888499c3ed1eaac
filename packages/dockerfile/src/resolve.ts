// Where a command word is found in the image of a stage: a file some COPY/ADD put there (following
// COPY --from into other stages), a file of a catalogued base image, or not there at all; and the list of
// files the stage chain copies in.
import { findCopied, listCopied, type ContextView } from "./context.js";
import { basename, joinAbs } from "./paths.js";
import type { StageState } from "./state.js";
import type { CopiedFile, PathResolution } from "./types.js";

export function stageFiles(st: StageState, ctx: ContextView): CopiedFile[] {
  const chain: StageState[] = [];
  for (let s: StageState | null = st; s; s = s.parent) chain.unshift(s);
  return listCopied(chain.flatMap((s) => s.ops), ctx);
}

/** Where base images keep their programs: a file there may come from the image even if we do not list it. */
const SYSTEM_DIRS = /^\/(usr|bin|sbin|lib|lib32|lib64|libx32|etc|opt|var|nix|busybox|nodejs)(\/|$)/;
/** Characters that no program name has: such a word is a quoting mistake, not a command. */
const NOT_A_PROGRAM = /[[\]{},'"\s]/;

const SHELL_NAMES = new Set(["sh", "bash", "dash", "ash", "zsh", "mksh", "ksh", "busybox"]);

/** /bin/x and /usr/bin/x are the same file on merged-/usr distributions (Debian 12, Ubuntu, Fedora…). */
function mergedUsrTwin(p: string): string | null {
  const m = /^\/(usr\/)?(s?bin)\/([^/]+)$/.exec(p);
  if (!m) return null;
  return m[1] ? `/${m[2]}/${m[3]}` : `/usr/${m[2]}/${m[3]}`;
}

function resolveAbs(st: StageState, states: StageState[], ctx: ContextView, abs: string, depth = 0): PathResolution {
  if (depth > 16) return { kind: "unknown", imagePath: abs, reason: "COPY --from chain too deep" };
  for (let s: StageState | null = st; s; s = s.parent) {
    const hit = findCopied(s.ops, abs, ctx);
    if (!hit) continue;
    if (hit.kind === "file") {
      const mode = hit.file.mode;
      return { kind: "context", imagePath: abs, file: hit.file, executable: mode === null ? null : (mode & 0o111) !== 0, content: hit.content };
    }
    if (hit.kind === "unknown") return { kind: "unknown", imagePath: abs, reason: hit.reason };
    const other = states[hit.stage];
    if (!other) return { kind: "unknown", imagePath: abs, reason: `no stage ${hit.stage}` };
    const r = resolveAbs(other, states, ctx, hit.path, depth + 1);
    // Made by a RUN of that stage: `go build -o <that path>` says it is a Go program.
    if ((r.kind === "unknown" || r.kind === "base-image") && !r.builtBy && goBuilds(other, hit.path))
      return { ...r, imagePath: abs, builtBy: { tool: "go", stage: other.stage.index, stageName: other.stage.name } };
    return { ...r, imagePath: abs } as PathResolution;
  }
  const base = st.stage.base;
  const hasRun = chainHasRun(st);
  const facts = base.facts;
  const twin = base.binSh === "busybox" ? null : mergedUsrTwin(abs);
  if (facts) {
    const f = facts.files[abs] ?? (twin ? facts.files[twin] : undefined);
    if (f) return { kind: "base-image", imagePath: abs, certain: true, file: f };
    if (facts.shells.includes(abs) || (twin && facts.shells.includes(twin))) return { kind: "base-image", imagePath: abs, certain: true, file: null };
    const name = basename(abs);
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
  return false;
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

export function resolveWord(st: StageState, states: StageState[], ctx: ContextView, word: string, cwd: string, path: string): PathResolution {
  if (word === "") return { kind: "not-found", imagePath: null, searched: [] };
  if (NOT_A_PROGRAM.test(word) && !word.includes("/")) return { kind: "not-found", imagePath: null, searched: [] };
  if (word.includes("/")) return resolveAbs(st, states, ctx, joinAbs(cwd, word));
  const searched: string[] = [];
  let fallback: PathResolution | null = null;
  for (const dir of path.split(":")) {
    if (dir === "") continue;
    const abs = joinAbs(dir, word);
    searched.push(abs);
    const r = resolveAbs(st, states, ctx, abs);
    if (r.kind === "context" || (r.kind === "base-image" && r.certain)) return r;
    // a COPY --from put a built program there: it is found, whatever else the PATH may hold later
    if ((r.kind === "unknown" || r.kind === "base-image") && r.builtBy) return r;
    if (r.kind === "unknown" && !fallback) fallback = r;
  }
  const facts = st.stage.base.facts;
  if (facts) {
    const known = [facts.config.entrypoint?.[0], facts.config.cmd?.[0], ...Object.keys(facts.files)].filter((x): x is string => !!x);
    if (known.some((k) => basename(k) === word)) return { kind: "base-image", imagePath: null, certain: true, file: facts.files[known.find((k) => basename(k) === word)!] ?? null };
    if (SHELL_NAMES.has(word)) {
      const shell = facts.shells.find((s) => basename(s) === word);
      if (shell) return { kind: "base-image", imagePath: shell, certain: true, file: null };
      if (!(chainHasRun(st) && chainRunWords(st).has(word))) return { kind: "not-found", imagePath: null, searched };
    }
    return { kind: "base-image", imagePath: null, certain: false, file: null };
  }
  if (st.stage.base.kind === "scratch" && !chainHasRun(st)) return { kind: "not-found", imagePath: null, searched };
  return fallback ?? { kind: "unknown", imagePath: null, reason: `the base image ${st.stage.base.root} is not in the catalog` };
}
