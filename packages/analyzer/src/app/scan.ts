// The application an interpreter runs (`node app.js`, `python app.py`): a static scan of its entry file and
// of the local files it requires or imports, for the signal handlers it installs (process.on('SIGTERM'…),
// signal.signal(signal.SIGTERM…), loop.add_signal_handler…) and for the frameworks the catalog says install
// one (uvicorn, NestJS's enableShutdownHooks…). Files come through the image's file system (the model's
// resolve): only files COPYed from the build context can be read. The scan is bounded (files, bytes, depth),
// reads each file once, and runs only when an interpreter with an `app` entry in the catalog starts.
import { joinAbs } from "@audit-image/dockerfile";
import type { AppFrameworkEntry, AppSpec, ProgramEntry } from "../programs.js";
import type { AppFacts, AppHandler } from "../types.js";
import type { World } from "../world.js";
import stdlib from "../data/python-stdlib.json" with { type: "json" };

const PYTHON_STDLIB = new Set((stdlib as { names: string[] }).names);

export interface AppLimits {
  maxFiles: number;
  maxBytes: number;
  maxDepth: number;
}
export const APP_LIMITS: AppLimits = { maxFiles: 400, maxBytes: 8 * 1024 * 1024, maxDepth: 24 };

/** What the argv names for the interpreter to run. */
type Target =
  | { kind: "file"; path: string }
  | { kind: "module"; name: string }
  | { kind: "code"; text: string; option: string }
  | { kind: "none" }
  | { kind: "run-time"; word: string };

/** The interpreter's arguments (null: a word only known at run time). */
export function appTarget(spec: AppSpec, args: (string | null)[]): { target: Target; preload: string[] } {
  const preload: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === null) return { target: { kind: "run-time", word: `argument ${i + 1}` }, preload };
    if (a === "--") {
      const next = args[i + 1];
      if (next === undefined) return { target: { kind: "none" }, preload };
      return next === null ? { target: { kind: "run-time", word: `argument ${i + 2}` }, preload } : { target: { kind: "file", path: next }, preload };
    }
    if (!a.startsWith("-") || a === "-") {
      if (a === "-") return { target: { kind: "none" }, preload };
      return { target: { kind: "file", path: a }, preload };
    }
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const opt = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : null;
    const value = (): string | null | undefined => (inline !== null ? inline : args[++i]);
    if (spec.codeOptions.includes(opt)) {
      const v = value();
      return v === null || v === undefined ? { target: { kind: "run-time", word: opt }, preload } : { target: { kind: "code", text: v, option: opt }, preload };
    }
    if (spec.moduleOption && opt === spec.moduleOption) {
      const v = value();
      return v === null || v === undefined ? { target: { kind: "run-time", word: opt }, preload } : { target: { kind: "module", name: v }, preload };
    }
    // python -m (and -c) may be glued to the flags before them: -um app
    if (spec.moduleOption && /^-[A-Za-z]+$/.test(a) && a.length > 2 && !spec.optionsWithValue.includes(a)) {
      const flags = a.slice(1);
      const m = spec.moduleOption.slice(1);
      const c = spec.codeOptions.find((o) => o.length === 2)?.slice(1);
      // left to right: a flag that takes a value (-W, -X) takes the rest of the word (-Wonce, -Ximporttime)
      const takesValue = new Set(spec.optionsWithValue.filter((o) => o.length === 2).map((o) => o[1]!));
      let k = -1;
      for (let j = 0; j < flags.length; j++) {
        if (flags[j] === m || flags[j] === c) {
          k = j;
          break;
        }
        if (takesValue.has(flags[j]!)) {
          if (j === flags.length - 1) i++; // -uW once: the value is the next word
          break;
        }
      }
      if (k >= 0) {
        const rest = flags.slice(k + 1);
        const v = rest ? rest : args[++i];
        if (v === null || v === undefined) return { target: { kind: "run-time", word: a }, preload };
        return { target: flags[k] === m ? { kind: "module", name: v } : { kind: "code", text: v, option: `-${c}` }, preload };
      }
      continue;
    }
    if (spec.preloadOptions?.includes(opt)) {
      const v = value();
      if (v === null || v === undefined) return { target: { kind: "run-time", word: opt }, preload };
      preload.push(v);
      continue;
    }
    if (spec.optionsWithValue.includes(opt) && inline === null) i++;
  }
  return { target: { kind: "none" }, preload };
}

/** One file's facts, as the language's scanner reads them. */
interface FileFacts {
  imports: { spec: string; line: number; level?: number; names?: string[] }[];
  handlers: { signal: string; line: number; what: string }[];
  /** The text without its comments (where the catalog's frameworks' calls are looked for). */
  text: string;
  /** Whether anything but comments and blanks is left. */
  code: boolean;
}

interface ScanState {
  w: World;
  spec: AppSpec;
  files: Map<string, FileFacts>;
  bytes: number;
  handlers: AppHandler[];
  /** Third-party imports (packages, modules) and where. */
  packages: Map<string, { file: string; line: number }>;
  incomplete: string | null;
  /** Python's sys.path as far as the build context goes: the entry's directory (-m, -c: the working directory), PYTHONPATH. */
  roots: string[];
}

const cache = new WeakMap<World, Map<string, AppFacts>>();

/**
 * The scan of the application `entry` (an interpreter with an `app` entry in the catalog) runs with these
 * arguments. Memoised per analysis: paths that reach the same command share it.
 */
/** `cwd`: the process's working directory after a `cd` (null: only known at run time); absent: the WORKDIR. */
export function scanApp(w: World, entry: ProgramEntry, args: (string | null)[], limits: AppLimits = APP_LIMITS, cwd?: string | null): AppFacts | null {
  const spec = entry.app;
  if (!spec) return null;
  const workdir = cwd === undefined ? w.model.config?.workingDir.value || "/" : cwd;
  if (workdir === null)
    return { language: spec.language, files: 0, handlers: [], packages: [], entry: null, status: "unknown", why: "it is looked up from a working directory only known at run time (an earlier cd)" };
  const key = `${entry.name}\u0000${workdir}\u0000${args.map((a) => a ?? "\u0001").join("\u0000")}`;
  let m = cache.get(w);
  if (!m) cache.set(w, (m = new Map()));
  const hit = m.get(key);
  if (hit) return hit;
  const facts = scanInner(w, spec, args, limits, workdir);
  m.set(key, facts);
  return facts;
}

function scanInner(w: World, spec: AppSpec, args: (string | null)[], limits: AppLimits, workdir: string): AppFacts {
  const { target, preload } = appTarget(spec, args);
  const base = { language: spec.language, files: 0, handlers: [] as AppHandler[], packages: [] as string[] };
  const st: ScanState = { w, spec, files: new Map(), bytes: 0, handlers: [], packages: new Map(), incomplete: null, roots: [workdir, ...pythonPath(w)] };
  if (target.kind === "run-time") return { ...base, entry: null, status: "unknown", why: `what it runs (${target.word}) is only known at run time` };
  if (target.kind === "none") return { ...base, entry: null, status: "unknown", why: "it is given no program to run (it reads one from standard input or starts a REPL)" };

  // `python -m uvicorn …`, `python -m gunicorn …`: a framework run as a module.
  if (target.kind === "module") {
    const fw = spec.frameworks.find((f) => f.modules?.includes(target.name) || f.modules?.some((x) => target.name.startsWith(x + ".")));
    if (fw) {
      const sigs = frameworkSignals(fw);
      return { ...base, entry: `-m ${target.name}`, status: "seen", why: null, frameworks: [fw.name], handlers: sigs.map((s) => ({ signal: s, file: "", line: 0, what: `${fw.name} (run with -m ${target.name})`, framework: fw.name })) };
    }
  }

  let entryPath: string | null = null;
  const queue: { path: string; depth: number }[] = [];
  if (target.kind === "code") {
    const facts = scanText(spec.language, target.text);
    st.files.set(target.option, facts);
    entryPath = target.option;
    collect(st, target.option, facts, workdir, queue, 0);
  } else if (target.kind === "file") {
    const abs = joinAbs(workdir, target.path);
    const r = spec.language === "node" ? resolveNode(w, abs, true) : resolveFile(w, abs);
    if (r.kind !== "file") {
      const gen = generatedEntry(w, spec, abs);
      if (gen) return { ...base, entry: abs, ...gen };
      return { ...base, entry: abs, status: "unknown", why: `it is ${r.why}` };
    }
    entryPath = r.path;
    st.roots = [dirOf(r.path), ...pythonPath(w)];
    queue.push({ path: r.path, depth: 0 });
  } else {
    const found = resolvePythonModule(w, target.name, [workdir, ...pythonPath(w)]);
    if (!found || found.kind !== "file") return { ...base, entry: `-m ${target.name}`, status: "unknown", why: found ? found.why : `the module ${target.name} is not a file copied from the build context` };
    entryPath = found.path;
    for (const p of found.chain) queue.push({ path: p, depth: 0 });
  }
  for (const pre of preload) {
    if (spec.language !== "node") break;
    if (/^\.{0,2}\//.test(pre)) {
      const r = resolveNode(w, joinAbs(workdir, pre), true);
      if (r.kind === "file") queue.push({ path: r.path, depth: 0 });
      else st.incomplete ??= `the preloaded ${pre} is ${r.why}`;
    } else st.packages.set(packageName(pre), { file: "", line: 0 });
  }
  while (queue.length) {
    const { path, depth } = queue.shift()!;
    if (st.files.has(path)) continue;
    if (st.files.size >= limits.maxFiles || st.bytes >= limits.maxBytes || depth > limits.maxDepth) {
      st.incomplete ??= `the scan stopped after ${st.files.size} files (its limits)`;
      break;
    }
    const r = w.model.resolve(path);
    const text = r.kind === "context" ? r.content() : null;
    if (text === null) {
      st.incomplete ??= `${path} cannot be read from the build context`;
      continue;
    }
    if (text.length > limits.maxBytes - st.bytes) {
      // one file larger than what is left of the budget: not read, and the scan is incomplete (never a verdict)
      st.incomplete ??= `${path} is larger than the scan reads (${limits.maxBytes} bytes in all)`;
      break;
    }
    st.bytes += text.length;
    const facts = /\.(json|node)$/.test(path) ? { imports: [], handlers: [], text: "", code: true } : scanText(spec.language, text);
    st.files.set(path, facts);
    collect(st, path, facts, dirOf(path), queue, depth + 1);
  }
  // Frameworks: an import of the package, and (when the catalog names calls) one of its calls in a scanned file.
  const frameworks: string[] = [];
  for (const fw of spec.frameworks) {
    const imp = fw.imports.map((i) => [i, importedAs(st, i)] as const).find(([, at]) => at);
    if (!imp) continue;
    let at = imp[1]!;
    if (fw.calls?.length) {
      const call = findCall(st, fw.calls);
      if (!call) continue;
      at = call;
    }
    frameworks.push(fw.name);
    for (const s of frameworkSignals(fw)) st.handlers.push({ signal: s, file: at.file, line: at.line, what: fw.calls?.length ? `${fw.name} (${at.what})` : fw.name, framework: fw.name });
  }
  const handlers = [...st.handlers];
  if (!st.incomplete && st.files.size && ![...st.files.values()].some((f) => f.code))
    return { ...base, entry: entryPath, status: "unknown", why: "its source holds no code, only comments or nothing: it is not the application that runs", files: st.files.size };
  // A package the catalog does not know may install a handler on import or when it runs the app (aiohttp's
  // run_app does): then "none in the code read" is not sure, and the scan says which packages.
  const unknownPkgs = [...st.packages.keys()].filter((p) => !knownPackage(spec, p));
  const why = st.incomplete ?? (unknownPkgs.length ? `it imports packages the catalog does not know (${listText(unknownPkgs)}), which may install one` : null);
  return {
    ...base,
    entry: entryPath,
    status: why ? "partial" : "seen",
    why,
    files: st.files.size,
    handlers,
    frameworks,
    packages: [...st.packages.keys()].slice(0, 50),
  };
}

/**
 * An entry file that a framework's build generated in an earlier stage (Next.js's standalone server.js): not
 * read, but what it is known from the framework's source. Null when the file is not one (or, for node, when
 * neither the path nor the path with .js is).
 */
function generatedEntry(w: World, spec: AppSpec, abs: string): Pick<AppFacts, "status" | "why" | "handlers" | "frameworks" | "files"> | null {
  for (const path of spec.language === "node" && !/\.[cm]?js$/.test(abs) ? [abs, abs + ".js"] : [abs]) {
    const r = w.model.resolve(path);
    const built = r.kind === "unknown" || r.kind === "base-image" ? r.builtBy : undefined;
    if (!built) continue;
    const fw = spec.frameworks.find((f) => f.generated === built.how);
    if (!fw) continue;
    const stage = built.stageName ?? String(built.stage);
    const off = (fw.unlessEnv ?? []).filter((k) => w.model.config?.env[k] !== undefined);
    if (off.length)
      return { status: "unknown", why: `it is the ${fw.name}'s file, generated in stage ${stage}, which installs no handler when ${listText(off)} is set (the image sets it): whether the application installs one is not read`, handlers: [], files: 0 };
    const handlers = frameworkSignals(fw).map((sig) => ({ signal: sig, file: path, line: 0, what: `${fw.name} (generated by the build in stage ${stage})`, framework: fw.name }));
    return { status: "seen", why: null, handlers, frameworks: [fw.name], files: 0 };
  }
  return null;
}

/** The language's own modules (Python's standard library; node's builtins are not collected) or a framework of the catalog. */
function knownPackage(spec: AppSpec, p: string): boolean {
  if (spec.language === "python" && PYTHON_STDLIB.has(p.replace(/^\.+/, "").split(".")[0]!)) return true;
  return spec.frameworks.some((f) => f.imports.some((k) => p === k || p.startsWith(k + ".") || p.startsWith(k + "/") || k.startsWith(p + ".")));
}

function listText(xs: string[]): string {
  return xs.length > 4 ? `${xs.slice(0, 4).join(", ")} and ${xs.length - 4} more` : xs.join(", ");
}

function frameworkSignals(fw: AppFrameworkEntry): string[] {
  return Object.entries(fw.signals).filter(([, a]) => a === "graceful-stop" || a === "fast-stop").map(([s]) => s);
}

function importedAs(st: ScanState, name: string): { file: string; line: number; what: string } | null {
  for (const [pkg, at] of st.packages) if (pkg === name || pkg.startsWith(name + ".") || pkg.startsWith(name + "/")) return { ...at, what: `import of ${pkg}` };
  return null;
}

function findCall(st: ScanState, calls: string[]): { file: string; line: number; what: string } | null {
  for (const [file, f] of st.files) {
    for (const c of calls) {
      const i = f.text.indexOf(c);
      if (i >= 0) return { file, line: lineAt(f.text, i), what: c.replace(/\($/, "()") };
    }
  }
  return null;
}

/** The imports of a scanned file: local ones join the queue, third-party ones are noted. */
function collect(st: ScanState, file: string, facts: FileFacts, dir: string, queue: { path: string; depth: number }[], depth: number) {
  for (const h of facts.handlers) st.handlers.push({ signal: h.signal, file, line: h.line, what: h.what });
  for (const imp of facts.imports) {
    if (st.spec.language === "node") {
      if (/^\.{0,2}\//.test(imp.spec)) {
        const r = resolveNode(st.w, joinAbs(dir, imp.spec), false);
        if (r.kind === "file") queue.push({ path: r.path, depth });
        else st.incomplete ??= `${imp.spec}, imported at ${file}:${imp.line}, is ${r.why}`;
      } else if (!imp.spec.startsWith("node:") && !NODE_BUILTINS.has(imp.spec.split("/")[0]!)) {
        const name = packageName(imp.spec);
        if (!st.packages.has(name)) st.packages.set(name, { file, line: imp.line });
      }
      continue;
    }
    // python
    if (imp.level) {
      let base = dir;
      for (let k = 1; k < imp.level; k++) base = dirOf(base);
      const names = imp.spec ? [imp.spec, ...(imp.names ?? []).map((n) => `${imp.spec}.${n}`)] : (imp.names ?? []);
      for (const n of names) {
        const r = resolvePythonModule(st.w, n, [base], true);
        if (r?.kind === "file") for (const p of r.chain) queue.push({ path: p, depth });
      }
      continue;
    }
    const r = resolvePythonModule(st.w, imp.spec, st.roots, true);
    if (r?.kind === "file") {
      for (const p of r.chain) queue.push({ path: p, depth });
      for (const n of imp.names ?? []) {
        const sub = resolvePythonModule(st.w, `${imp.spec}.${n}`, [r.root], true);
        if (sub?.kind === "file") for (const p of sub.chain) queue.push({ path: p, depth });
      }
    } else if (r?.kind === "missing") st.incomplete ??= `${imp.spec}, imported at ${file}:${imp.line}, may be ${r.at}, which is ${r.why}`;
    else if (!st.packages.has(imp.spec)) st.packages.set(imp.spec, { file, line: imp.line });
  }
}

function dirOf(p: string): string {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}

function pythonPath(w: World): string[] {
  const v = w.model.config?.env.PYTHONPATH?.value ?? "";
  return v.split(":").filter((x) => x.startsWith("/"));
}

function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

type Resolved = { kind: "file"; path: string } | { kind: "missing"; why: string };

/** A file of the build context at this image path (not a directory, not a file made by RUN). */
function resolveFile(w: World, abs: string): Resolved {
  const r = w.model.resolve(abs);
  if (r.kind === "context" && r.file.type === "file") return { kind: "file", path: abs };
  if (r.kind === "not-found") return { kind: "missing", why: "not in the image" };
  if (r.kind === "context") return { kind: "missing", why: "not a file copied from the build context" };
  return { kind: "missing", why: `not copied from the build context: ${r.kind === "unknown" ? r.reason : "a RUN step or the base image makes it"}` };
}

/** Node's resolution of a path: the file, with .js/.mjs/.cjs/.json, a directory's package.json main or index. */
function resolveNode(w: World, abs: string, isMain: boolean): Resolved {
  const first = resolveFile(w, abs);
  if (first.kind === "file") return first;
  for (const ext of [".js", ".mjs", ".cjs", ".json", ".node"]) {
    const r = resolveFile(w, abs + ext);
    if (r.kind === "file") return r;
  }
  const pkg = w.model.resolve(abs + "/package.json");
  if (pkg.kind === "context") {
    const text = pkg.content();
    let main: unknown = null;
    try {
      main = text ? (JSON.parse(text) as { main?: unknown }).main : null;
    } catch {
      main = null;
    }
    if (typeof main === "string" && main) {
      const r = resolveNode(w, joinAbs(abs, main), isMain);
      if (r.kind === "file") return r;
    }
  }
  for (const idx of ["/index.js", "/index.mjs", "/index.cjs"]) {
    const r = resolveFile(w, abs + idx);
    if (r.kind === "file") return r;
  }
  return first;
}

/**
 * A Python module by its dotted name, under one of the roots: `a.b` is a/b.py or a/b/__init__.py, and importing
 * it runs a/__init__.py first. Null when no root holds it (a package of the base image, pip's, or the stdlib).
 */
function resolvePythonModule(w: World, name: string, roots: string[], quiet = false): ({ kind: "file"; path: string; chain: string[]; root: string } | { kind: "missing"; why: string; at: string }) | null {
  const parts = name.split(".").filter(Boolean);
  if (!parts.length) return null;
  for (const root of roots) {
    const rel = parts.join("/");
    const leaf = [joinAbs(root, rel + ".py"), joinAbs(root, rel + "/__init__.py"), joinAbs(root, rel + "/__main__.py")];
    const hit = leaf.find((p) => resolveFile(w, p).kind === "file");
    if (!hit) {
      // A COPY the tool cannot read covers it (COPY --from an image, ADD of an archive): a module may be there.
      const opaque = leaf.find((p) => w.model.resolve(p).kind === "unknown");
      if (opaque) return { kind: "missing", why: `not copied from the build context: ${(w.model.resolve(opaque) as { reason: string }).reason}`, at: opaque };
      continue;
    }
    const chain: string[] = [];
    for (let k = 1; k < parts.length; k++) {
      const init = joinAbs(root, parts.slice(0, k).join("/") + "/__init__.py");
      if (resolveFile(w, init).kind === "file") chain.push(init);
    }
    // `python -m pkg` runs pkg/__main__.py (after pkg/__init__.py); an import runs __init__.py only.
    if (hit.endsWith("/__init__.py")) {
      chain.push(hit);
      const main = joinAbs(root, rel + "/__main__.py");
      if (!quiet && resolveFile(w, main).kind === "file") chain.push(main);
    } else if (!hit.endsWith("/__main__.py") || !quiet) chain.push(hit);
    if (!chain.length) continue;
    return { kind: "file", path: chain[chain.length - 1]!, chain, root };
  }
  return null;
}

const NODE_BUILTINS = new Set([
  "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants", "crypto", "dgram", "diagnostics_channel", "dns", "domain", "events", "fs", "http", "http2", "https", "inspector", "module", "net", "os", "path", "perf_hooks", "process", "punycode", "querystring", "readline", "repl", "stream", "string_decoder", "sys", "timers", "tls", "trace_events", "tty", "url", "util", "v8", "vm", "wasi", "worker_threads", "zlib",
]);

function lineAt(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Line numbers of a text's offsets, computed once (offsets asked in increasing order are cheap). */
function lineIndex(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (off) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

export function scanText(language: AppSpec["language"], text: string): FileFacts {
  return language === "node" ? scanJs(text) : scanPython(text);
}

/** Comments replaced by blanks (newlines kept, so offsets keep their line): a commented-out handler is not one. */
function stripComments(text: string, lang: "js" | "py"): string {
  const out: string[] = [];
  let i = 0;
  let last = 0;
  const blank = (from: number, to: number) => {
    out.push(text.slice(last, from), text.slice(from, to).replace(/[^\n]/g, " "));
    last = to;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (lang === "js" && c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      blank(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    } else if (lang === "js" && c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      blank(i, end < 0 ? text.length : end + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (lang === "py" && c === "#") {
      const end = text.indexOf("\n", i);
      blank(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    } else if (lang === "py" && (text.startsWith('"""', i) || text.startsWith("'''", i))) {
      const q = text.slice(i, i + 3);
      const end = text.indexOf(q, i + 3);
      blank(i, end < 0 ? text.length : end + 3);
      i = end < 0 ? text.length : end + 3;
    } else if (c === '"' || c === "'" || c === "`") {
      // skip a string literal (a template literal may span lines; others end at the line's end)
      let j = i + 1;
      while (j < text.length && text[j] !== c && (c === "`" || text[j] !== "\n")) j += text[j] === "\\" ? 2 : 1;
      i = j + 1;
    } else i++;
  }
  out.push(text.slice(last));
  return out.join("");
}

const SIG = "SIG[A-Z0-9]+";

/** Signals named as string literals ('SIGTERM') or attributes (signal.SIGTERM) in lines [from, to]. */
function signalsNear(lines: string[], from: number, to: number): string[] {
  const out = new Set<string>();
  for (let k = Math.max(0, from); k <= Math.min(lines.length - 1, to); k++) {
    for (const m of lines[k]!.matchAll(/\b(SIG[A-Z0-9]+)\b/g)) if (!/^SIG_/.test(m[1]!) && m[1] !== "SIGKILL" && m[1] !== "SIGSTOP") out.add(m[1]!);
  }
  return [...out];
}

const JS_LISTEN = "process\\s*\\.\\s*(on|once|addListener|prependListener|prependOnceListener)\\s*\\(\\s*";

function scanJs(raw: string): FileFacts {
  const text = stripComments(raw, "js");
  const line = lineIndex(text);
  const imports: FileFacts["imports"] = [];
  const handlers: FileFacts["handlers"] = [];
  // No nested quantifiers: `import … from 'x'` scans at most 1,000 characters of its clause, which holds no
  // quote, semicolon or parenthesis (a nested `(words\s*)+?` backtracked exponentially on prose after "import").
  for (const m of text.matchAll(/\brequire\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)|\bimport\s*\(\s*(['"`])([^'"`\n]+)\3\s*\)|\b(?:import|export)\b[^'";()]{0,1000}?\bfrom\s*(['"])([^'"\n]+)\5|\bimport\s*(['"])([^'"\n]+)\7/g)) {
    imports.push({ spec: m[2] ?? m[4] ?? m[6] ?? m[8]!, line: line(m.index!) });
  }
  for (const m of text.matchAll(new RegExp(`\\b${JS_LISTEN}(['"\`])(${SIG})\\2`, "g"))) {
    handlers.push({ signal: m[3]!, line: line(m.index!), what: `process.${m[1]}('${m[3]}')` });
  }
  // process.on(sig, …) with the signal names in a list nearby: for (const s of ['SIGINT','SIGTERM']) process.on(s, …)
  const lines = text.split("\n");
  for (const m of text.matchAll(new RegExp(`\\b${JS_LISTEN}([A-Za-z_$][\\w$]*)\\s*,`, "g"))) {
    const l = line(m.index!);
    for (const s of signalsNear(lines, l - 11, l - 1)) handlers.push({ signal: s, line: l, what: `process.${m[1]}(${m[2]}) with ${m[2]} = '${s}'` });
  }
  return { imports, handlers, text, code: /\S/.test(text) };
}

function scanPython(raw: string): FileFacts {
  const text = stripComments(raw, "py");
  const line = lineIndex(text);
  const imports: FileFacts["imports"] = [];
  const handlers: FileFacts["handlers"] = [];
  for (const m of text.matchAll(/^[ \t]*import[ \t]+([\w. \t,]+)/gm)) {
    for (const part of m[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+|\s+/)[0]!;
      if (name) imports.push({ spec: name, line: line(m.index!) });
    }
  }
  for (const m of text.matchAll(/^[ \t]*from[ \t]+(\.*)(\w[\w.]*|)[ \t]+import[ \t]+\(?([\w \t,\n]*?)(?:\)|$)/gm)) {
    const names = m[3]!.split(",").map((s) => s.trim().split(/\s+/)[0]!).filter((s) => s && s !== "*");
    imports.push({ spec: m[2]!, level: m[1]!.length, names, line: line(m.index!) });
  }
  const NAME = `(?:signal\\s*\\.\\s*)?(?:Signals\\s*\\.\\s*)?(${SIG})`;
  for (const m of text.matchAll(new RegExp(`(?<![\\w.])(?:signal\\s*\\.\\s*)?signal\\s*\\(\\s*${NAME}\\s*,\\s*([^\\n)]*)`, "g"))) {
    const handler = m[2]!.trim();
    if (/^(?:signal\s*\.\s*)?(?:Handlers\s*\.\s*)?SIG_(DFL|IGN)\b/.test(handler)) continue;
    handlers.push({ signal: m[1]!, line: line(m.index!), what: `signal.signal(${m[1]}, …)` });
  }
  for (const m of text.matchAll(new RegExp(`\\.\\s*add_signal_handler\\s*\\(\\s*${NAME}`, "g"))) {
    handlers.push({ signal: m[1]!, line: line(m.index!), what: `add_signal_handler(${m[1]}, …)` });
  }
  const lines = text.split("\n");
  for (const m of text.matchAll(/(?:(?<![\w.])(?:signal\s*\.\s*)?signal|\.\s*add_signal_handler)\s*\(\s*([A-Za-z_]\w*)\s*,/g)) {
    if (/^SIG/.test(m[1]!) || m[1] === "signal" || m[1] === "Signals") continue;
    const l = line(m.index!);
    for (const s of signalsNear(lines, l - 11, l - 1)) handlers.push({ signal: s, line: l, what: `${m[0].includes("add_signal_handler") ? "add_signal_handler" : "signal.signal"}(${m[1]}, …) with ${m[1]} = ${s}` });
  }
  return { imports, handlers, text, code: /\S/.test(text) };
}

/** The handler the application installs for `signal`, or null. */
export function appHandlerFor(app: AppFacts, signal: string): AppHandler | null {
  return app.handlers.find((h) => h.signal === signal) ?? null;
}
