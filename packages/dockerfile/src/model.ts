// From Dockerfile text (plus a read-only view of the build context) to the effective image config of a
// stage and the argv Docker will exec as PID 1. Pure: no I/O besides the ContextFS it is given, never
// throws for bad input (problems become diagnostics), never runs anything.
import { builtinCatalog, configFromInspect, factsOf, lookupCatalog, parseImageRef, type Catalog } from "./catalog.js";
import { chmodOpsFromRun, ContextView, findCopied, listCopied, parseDockerignore, type CopyOp, type FileOp } from "./context.js";
import { KNOWN_INSTRUCTIONS, parseDockerfile, splitFlags, type Instruction } from "./parse.js";
import { basename, cleanAbs, cleanRel, joinAbs } from "./paths.js";
import { normalizeSignal } from "./signals.js";
import type {
  BaseImage, BaseImageConfig, CommandPart, ContextFS, CopiedFile, Diagnostic, DockerfileModel, Effect,
  EffectiveConfig, Located, Origin, PathResolution, ResolvedCommand, Stage,
} from "./types.js";
import { expandWord, splitWordsKeepQuotes } from "./words.js";

export interface ModelOptions {
  /** Name of the Dockerfile, for messages. */
  file?: string;
  /** Target stage: name or 0-based index. Default: the last stage. */
  target?: string | number;
  buildArgs?: Record<string, string>;
  /** The build context. Default: an empty context. */
  context?: ContextFS;
  /** Text of the .dockerignore to use; default: `.dockerignore` read from the context. */
  dockerignore?: string | null;
  /** Extra catalogs, consulted before the built-in one. */
  catalogs?: Catalog[];
  /** `docker image inspect` JSON for base images, by reference as written in FROM. */
  baseConfigs?: Record<string, unknown>;
  /** Files larger than this are cut at a line boundary (default 2 MiB). */
  maxBytes?: number;
}

export const DEFAULT_SHELL = ["/bin/sh", "-c"];
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
/** Build args that BuildKit predefines in the global scope. */
const PREDEFINED_ARGS: Record<string, string> = {
  TARGETPLATFORM: "linux/amd64", TARGETOS: "linux", TARGETARCH: "amd64", TARGETVARIANT: "",
  BUILDPLATFORM: "linux/amd64", BUILDOS: "linux", BUILDARCH: "amd64", BUILDVARIANT: "",
};

const emptyFs: ContextFS = { stat: () => null, readFile: () => null, list: () => null };

interface StageState {
  stage: Stage;
  parent: StageState | null;
  config: EffectiveConfig;
  /** Variables for build-time expansion: ENV plus ARG. */
  vars: Map<string, string>;
  ops: FileOp[];
  hasRun: boolean;
  runText: string;
  /** The words of runText along the stage chain, computed when first needed. */
  runWords?: Set<string>;
  entrypointLines: number[];
  cmdLines: number[];
}

export function buildModel(text: string, options: ModelOptions = {}): DockerfileModel {
  const file = options.file ?? "Dockerfile";
  const diagnostics: Diagnostic[] = [];
  const effects: Effect[] = [];
  const diag = (severity: Diagnostic["severity"], code: string, message: string, line: number | null) =>
    diagnostics.push({ severity, code, message, line });

  // --- guard rails: binary input, huge input ------------------------------------------------------
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (text.includes("\u0000")) {
    const line = text.slice(0, text.indexOf("\u0000")).split("\n").length;
    diag("error", "binary-file", "this is a binary file (it contains NUL bytes), not a Dockerfile", line);
    return emptyModel(file, diagnostics);
  }
  if (text.length > max) {
    const cut = text.lastIndexOf("\n", max);
    text = text.slice(0, cut > 0 ? cut + 1 : max);
    const lines = text.split("\n").length - 1;
    diag("error", "file-too-large", `the file is larger than ${max} bytes; only its first ${lines} lines were read`, lines);
  }
  if (text.includes("\uFFFD")) diag("warning", "invalid-utf8", "the file is not valid UTF-8; invalid bytes were replaced", null);

  const parsed = parseDockerfile(text);
  diagnostics.push(...parsed.diagnostics);
  const escape = parsed.escape;
  const ctxFs = options.context ?? emptyFs;
  const ignoreText = options.dockerignore !== undefined ? options.dockerignore : ctxFs.readFile(".dockerignore");
  const ctx = new ContextView(ctxFs, parseDockerignore(ignoreText ?? ""));
  const catalogs = [...(options.catalogs ?? []), builtinCatalog];
  const buildArgs = new Map(Object.entries(options.buildArgs ?? {}));

  if (parsed.instructions.length === 0) {
    diag("error", "empty-dockerfile", "the Dockerfile has no instructions", null);
  }

  const globalArgs = new Map<string, string>(Object.entries(PREDEFINED_ARGS));
  const states: StageState[] = [];
  let cur: StageState | null = null;

  const expand = (word: string, vars: ReadonlyMap<string, string>, line: number) => {
    const r = expandWord(word, vars, escape);
    if (r.error) diag("error", "bad-substitution", `${r.error} in "${word}"`, line);
    return r.value;
  };

  for (const ins of parsed.instructions) {
    const { keyword, line } = ins;
    if (!KNOWN_INSTRUCTIONS.has(keyword)) {
      diag("error", "unknown-instruction", `unknown instruction: ${keyword.toLowerCase()}${looksLikeShell(ins) ? " (is this a continuation line missing its \\?)" : ""}`, line);
      continue;
    }
    if (keyword === "FROM") {
      if (cur) finishStage(cur, effects); // before a later stage can inherit its config
      cur = startStage(ins, states, globalArgs, buildArgs, catalogs, options.baseConfigs ?? {}, diag, effects, escape);
      states.push(cur);
      continue;
    }
    if (keyword === "ARG") {
      const target = cur ? cur.vars : globalArgs;
      for (const w of splitWordsKeepQuotes(ins.args, escape)) {
        const eq = w.indexOf("=");
        const name = eq >= 0 ? w.slice(0, eq) : w;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
          diag("error", "bad-arg", `ARG names must be letters, digits and _: "${name}"`, line);
          continue;
        }
        const override = buildArgs.get(name);
        const def = eq >= 0 ? expand(w.slice(eq + 1), target, line) : cur ? globalArgs.get(name) : undefined;
        const value = override ?? def;
        if (value !== undefined) target.set(name, value);
      }
      continue;
    }
    if (!cur) {
      diag("error", "no-stage", `${keyword} before the first FROM: only ARG may come before FROM`, line);
      continue;
    }
    const st: StageState = cur;
    const here: Origin = { kind: "instruction", line, stage: st.stage.index };
    switch (keyword) {
      case "ENV": {
        const pairs = parseEnvArgs(ins.args, escape);
        if (pairs === null) {
          diag("error", "bad-env", `ENV needs NAME=value pairs: "${ins.args}"`, line);
          break;
        }
        const before = new Map(st.vars);
        for (const [k, raw] of pairs) {
          const v = expand(raw, before, line);
          st.vars.set(k, v);
          st.config.env[k] = { value: v, origin: here };
        }
        break;
      }
      case "WORKDIR": {
        const v = expand(ins.args, st.vars, line);
        st.config.workingDir = { value: joinAbs(st.config.workingDir.value, v), origin: here };
        break;
      }
      case "USER":
        st.config.user = { value: expand(ins.args, st.vars, line), origin: here };
        break;
      case "STOPSIGNAL": {
        const raw = expand(ins.args, st.vars, line);
        const sig = normalizeSignal(raw);
        if (!sig) diag("error", "bad-stopsignal", `STOPSIGNAL: invalid signal "${raw}"`, line);
        else st.config.stopSignal = { value: sig, origin: here };
        break;
      }
      case "SHELL": {
        const arr = parseJsonArray(ins.args);
        if (arr.kind !== "ok" || arr.value.length === 0) {
          diag("error", "bad-shell", `SHELL requires the arguments to be a non-empty JSON array of strings, as in SHELL ["/bin/bash", "-c"]`, line);
        } else st.config.shell = { value: arr.value, origin: here };
        break;
      }
      case "ENTRYPOINT":
      case "CMD": {
        const part = commandPart(keyword, ins, st.config.shell, here, diag, effects);
        if (!part) break;
        if (keyword === "ENTRYPOINT") {
          st.config.entrypoint = part;
          st.entrypointLines.push(line);
        } else {
          st.config.cmd = part;
          st.cmdLines.push(line);
        }
        break;
      }
      case "COPY":
      case "ADD": {
        const op = copyOp(keyword, ins, st, states, escape, diag, ctx);
        if (op) st.ops.push(op);
        break;
      }
      case "RUN": {
        st.hasRun = true;
        const { rest } = splitFlags(ins.args);
        const json = parseJsonArray(rest);
        const body = json.kind === "ok" ? json.value.join(" ") : rest;
        const all = [body, ...ins.heredocs.map((h) => h.content)].join("\n");
        st.runText += all + "\n";
        st.ops.push(...chmodOpsFromRun(all, line, st.config.workingDir.value));
        break;
      }
      default:
        break; // LABEL, EXPOSE, VOLUME, HEALTHCHECK, ONBUILD, MAINTAINER: no effect on what runs
    }
  }

  if (cur) finishStage(cur, effects);

  // --- target stage -------------------------------------------------------------------------------
  let target: StageState | null = null;
  if (options.target === undefined) target = states.at(-1) ?? null;
  else if (typeof options.target === "number" || /^[0-9]+$/.test(options.target)) target = states[Number(options.target)] ?? null;
  else target = states.find((s) => s.stage.name === String(options.target).toLowerCase()) ?? null;
  if (!target && options.target !== undefined)
    diag("error", "no-such-target", `target stage "${options.target}" not found (stages: ${states.map((s, i) => s.stage.name ?? String(i)).join(", ") || "none"})`, null);
  if (!target && states.length === 0 && parsed.instructions.length > 0) diag("error", "no-from", "the Dockerfile has no FROM instruction", null);

  const command = target ? resolveCommand(target, effects, diag) : null;
  // The interpreter asks for the same words again and again (every command on every path, each through
  // every PATH directory and the stage chain's COPY operations): a model never changes, so each answer is
  // computed once. Answers are shared, and nobody may change them.
  const resolved = new Map<string, PathResolution>();
  const model: DockerfileModel = {
    file,
    stages: states.map((s) => s.stage),
    target: target?.stage ?? null,
    config: target?.config ?? null,
    command,
    effects,
    diagnostics,
    files: target ? stageFiles(target, ctx) : [],
    resolve: (word, opts = {}) => {
      if (!target) return { kind: "unknown", imagePath: null, reason: "no target stage" };
      const cwd = opts.cwd ?? target.config.workingDir.value;
      const path = opts.path ?? target.config.env.PATH?.value ?? DEFAULT_PATH;
      const key = `${word}\u0000${cwd}\u0000${path}`;
      let r = resolved.get(key);
      if (!r) {
        r = resolveWord(target, states, ctx, word, cwd, path);
        if (resolved.size < 10_000) resolved.set(key, r);
      }
      return r;
    },
  };
  return model;
}

/**
 * The end of a stage: ENTRYPOINT resets an inherited CMD unless the stage sets CMD too (BuildKit's cmdSet),
 * and earlier ENTRYPOINT/CMD lines are dead. Done when the stage ends, before a later stage inherits it.
 */
function finishStage(st: StageState, effects: Effect[]) {
  if (st.entrypointLines.length && !st.cmdLines.length && st.config.cmd) {
    effects.push({ kind: "inherited-cmd-reset", entrypointLine: st.entrypointLines.at(-1)!, cmd: st.config.cmd });
    st.config.cmd = null;
  }
  for (const lines of [st.entrypointLines, st.cmdLines]) {
    const kw = lines === st.entrypointLines ? "ENTRYPOINT" : "CMD";
    for (const l of lines.slice(0, -1)) effects.push({ kind: "dead-instruction", keyword: kw, line: l, supersededBy: lines.at(-1)! });
  }
}

function emptyModel(file: string, diagnostics: Diagnostic[]): DockerfileModel {
  return {
    file, stages: [], target: null, config: null, command: null, effects: [], diagnostics, files: [],
    resolve: () => ({ kind: "unknown", imagePath: null, reason: "no target stage" }),
  };
}

const looksLikeShell = (ins: Instruction) => /^[a-z]/.test(ins.keyword.toLowerCase()) && ins.keyword.length > 0 && /^(&&|\|\||-)/.test(ins.args);

// --- stages ------------------------------------------------------------------------------------------

function startStage(
  ins: Instruction, states: StageState[], globalArgs: Map<string, string>, buildArgs: Map<string, string>,
  catalogs: Catalog[], baseConfigs: Record<string, unknown>,
  diag: (s: Diagnostic["severity"], c: string, m: string, l: number | null) => void, effects: Effect[], escape: string,
): StageState {
  const { flags, rest } = splitFlags(ins.args);
  const words = rest.split(/\s+/).filter((w) => w !== "");
  const fromRaw = words[0] ?? "";
  let name: string | null = null;
  if (words.length >= 3 && words[1]!.toLowerCase() === "as") name = words[2]!.toLowerCase();
  else if (words.length !== 1) diag("error", "bad-from", `FROM takes an image and optionally "AS name": "${ins.args}"`, ins.line);
  const metaVars = new Map(globalArgs);
  for (const [k, v] of buildArgs) if (globalArgs.has(k)) metaVars.set(k, v);
  const r = expandWord(fromRaw, metaVars, escape);
  const from = r.value;
  if (r.unset.length) diag("warning", "unset-arg-in-from", `FROM uses ${r.unset.map((v) => "$" + v).join(", ")}, which is not set (declare it with ARG before the first FROM)`, ins.line);
  if (from === "") diag("error", "empty-from", "FROM names no image", ins.line);
  const index = states.length;
  const parent = states.find((s) => s.stage.name !== null && s.stage.name === from.toLowerCase()) ?? null;

  let base: BaseImage;
  let config: EffectiveConfig;
  if (parent) {
    base = { ...parent.stage.base, ref: from, kind: "stage", stage: parent.stage.index };
    config = inheritFromStage(parent);
  } else {
    const ref = parseImageRef(from);
    const baseOrigin = (kind: "base-image" | "base-config" | "unknown-base"): Origin => ({ kind, image: from });
    const common = { ref: from, repository: ref.repository, tag: ref.tag, digest: ref.digest, stage: null, root: from };
    const userJson = baseConfigs[from] ?? baseConfigs[`${ref.repository}:${ref.tag}`] ?? baseConfigs[ref.repository];
    const userConfig = userJson !== undefined ? configFromInspect(userJson) : null;
    if (from.toLowerCase() === "scratch") {
      base = { ...common, kind: "scratch", binSh: "none", shells: [], facts: null };
      config = configFrom(null, { kind: "default" });
    } else if (userConfig) {
      base = { ...common, kind: "user-config", binSh: "unknown", shells: null, facts: null };
      config = configFrom(userConfig, baseOrigin("base-config"));
    } else {
      const hit = from ? lookupCatalog(ref, catalogs) : null;
      if (hit) {
        const facts = factsOf(hit.variant);
        base = { ...common, kind: "catalog", binSh: facts.binSh, shells: facts.shells, facts };
        config = configFrom(facts.config, baseOrigin("base-image"));
      } else {
        base = { ...common, kind: "unknown", binSh: "unknown", shells: null, facts: null };
        config = configFrom(null, baseOrigin("unknown-base"));
        if (from) effects.push({ kind: "unknown-base-image", image: from, line: ins.line });
      }
    }
  }
  const vars = new Map<string, string>();
  for (const [k, v] of Object.entries(config.env)) vars.set(k, v.value);
  return {
    stage: { index, name, line: ins.line, fromRaw, from, platform: flags.get("platform") ?? null, base },
    parent, config, vars, ops: [], hasRun: false, runText: "", entrypointLines: [], cmdLines: [],
  };
}

function configFrom(c: BaseImageConfig | null, origin: Origin): EffectiveConfig {
  const def: Origin = { kind: "default" };
  const part = (keyword: "ENTRYPOINT" | "CMD", words: string[] | null): CommandPart | null =>
    words === null ? null : { keyword, form: "exec", words, text: null, shell: null, jsonFallback: null, origin };
  const env: Record<string, Located<string>> = {};
  for (const [k, v] of Object.entries(c?.env ?? {})) env[k] = { value: v, origin };
  if (!env.PATH) env.PATH = { value: DEFAULT_PATH, origin: def };
  return {
    entrypoint: part("ENTRYPOINT", c?.entrypoint ?? null),
    cmd: part("CMD", c?.cmd ?? null),
    shell: c?.shell ? { value: c.shell, origin } : { value: DEFAULT_SHELL, origin: def },
    stopSignal: c?.stopSignal ? { value: normalizeSignal(c.stopSignal) ?? c.stopSignal, origin } : { value: "SIGTERM", origin: def },
    user: c?.user ? { value: c.user, origin } : { value: "root", origin: def },
    workingDir: c?.workingDir ? { value: c.workingDir, origin } : { value: "/", origin: def },
    env,
  };
}

function inheritFromStage(parent: StageState): EffectiveConfig {
  const re = (o: Origin): Origin =>
    o.kind === "instruction" ? { kind: "stage", stage: parent.stage.index, stageName: parent.stage.name, line: o.line } : o;
  const loc = <T>(l: Located<T>): Located<T> => ({ value: l.value, origin: re(l.origin) });
  const part = (p: CommandPart | null): CommandPart | null =>
    p && { ...p, origin: re(p.origin), shell: p.shell && loc(p.shell) };
  const c = parent.config;
  const env: Record<string, Located<string>> = {};
  for (const [k, v] of Object.entries(c.env)) env[k] = loc(v);
  return {
    entrypoint: part(c.entrypoint), cmd: part(c.cmd), shell: loc(c.shell), stopSignal: loc(c.stopSignal),
    user: loc(c.user), workingDir: loc(c.workingDir), env,
  };
}

// --- ENTRYPOINT / CMD / SHELL forms --------------------------------------------------------------------

type JsonResult = { kind: "ok"; value: string[] } | { kind: "not-json"; error: string } | { kind: "not-strings"; error: string };

/** Docker's parseMaybeJSON: exec form iff the text starts with `[` and parses as a JSON array of strings. */
export function parseJsonArray(text: string): JsonResult {
  const t = text.replace(/^\s+/, "");
  if (!t.startsWith("[")) return { kind: "not-json", error: "does not start with [" };
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (e) {
    return { kind: "not-json", error: (e as Error).message };
  }
  if (!Array.isArray(v)) return { kind: "not-json", error: "not a JSON array" };
  if (!v.every((x) => typeof x === "string")) return { kind: "not-strings", error: "the JSON array holds a value that is not a string" };
  return { kind: "ok", value: v as string[] };
}

function commandPart(
  keyword: "ENTRYPOINT" | "CMD", ins: Instruction, shell: Located<string[]>, origin: Origin,
  diag: (s: Diagnostic["severity"], c: string, m: string, l: number | null) => void, effects: Effect[],
): CommandPart | null {
  const text = ins.args;
  const json = parseJsonArray(text);
  if (json.kind === "not-strings") {
    diag("error", "json-not-strings", `${keyword}: ${json.error}; Docker refuses to build this`, ins.line);
    return null;
  }
  if (json.kind === "ok") {
    for (const w of json.value)
      if (/\$(\{|[A-Za-z_@*#?0-9])/.test(w)) effects.push({ kind: "literal-dollar", keyword, line: ins.line, word: w });
    return { keyword, form: "exec", words: json.value, text: null, shell: null, jsonFallback: null, origin };
  }
  if (text === "") {
    diag("warning", "empty-command", `${keyword} has no arguments`, ins.line);
  }
  const fallback = text.replace(/^\s+/, "").startsWith("[") ? { error: json.error } : null;
  if (fallback) effects.push({ kind: "json-fallback", keyword, line: ins.line, error: fallback.error, text });
  return { keyword, form: "shell", words: [...shell.value, text], text, shell, jsonFallback: fallback, origin };
}

function resolveCommand(
  st: StageState, effects: Effect[], diag: (s: Diagnostic["severity"], c: string, m: string, l: number | null) => void,
): ResolvedCommand {
  const { entrypoint, cmd } = st.config;
  const reset = effects.find((e) => e.kind === "inherited-cmd-reset" && e.entrypointLine === st.entrypointLines.at(-1));
  const epWords = entrypoint?.words ?? [];
  const cmdWords = cmd?.words ?? [];
  const argv = [...epWords, ...cmdWords];
  const cmdIgnored = entrypoint?.form === "shell" && cmdWords.length > 0;
  if (cmdIgnored) effects.push({ kind: "cmd-ignored", entrypointLine: originLine(entrypoint!.origin), cmd: cmd! });
  for (const part of [entrypoint, cmd]) {
    if (part?.form === "shell" && st.stage.base.binSh === "none" && part.shell?.value[0] && !st.hasRun)
      effects.push({ kind: "shell-form-without-shell", keyword: part.keyword, line: originLine(part.origin) ?? st.stage.line, shell: part.shell.value[0] });
  }
  if (argv.length === 0) {
    effects.push({ kind: "no-command", line: st.stage.line });
    diag("error", "no-command", "no command: neither ENTRYPOINT nor CMD is set for this stage (docker run fails with \"no command specified\")", st.stage.line);
  }
  return {
    argv: argv.length ? argv : null,
    path: argv[0] ?? null,
    args: argv.slice(1),
    entrypoint,
    cmd,
    cmdIgnored,
    resetCmd: reset && reset.kind === "inherited-cmd-reset" ? reset.cmd : null,
  };
}

export function originLine(o: Origin): number | null {
  return o.kind === "instruction" || o.kind === "stage" ? o.line : null;
}

// --- ENV ---------------------------------------------------------------------------------------------

function parseEnvArgs(args: string, escape: string): [string, string][] | null {
  const words = splitWordsKeepQuotes(args, escape);
  if (words.length === 0) return null;
  if (!words[0]!.includes("=")) {
    // Legacy form: ENV NAME value words…
    const m = /^(\S+)\s+([\s\S]*)$/.exec(args);
    return m ? [[m[1]!, m[2]!]] : null;
  }
  const out: [string, string][] = [];
  for (const w of words) {
    const eq = w.indexOf("=");
    if (eq <= 0) return null;
    out.push([w.slice(0, eq), w.slice(eq + 1)]);
  }
  return out;
}

// --- COPY / ADD ----------------------------------------------------------------------------------------

function copyOp(
  keyword: "COPY" | "ADD", ins: Instruction, st: StageState, states: StageState[], escape: string,
  diag: (s: Diagnostic["severity"], c: string, m: string, l: number | null) => void, ctx: ContextView,
): CopyOp | null {
  const { flags, rest } = splitFlags(ins.args.split("\n")[0]!);
  const json = parseJsonArray(rest);
  const rawWords = json.kind === "ok" ? json.value : splitWordsKeepQuotes(rest, escape);
  const words = json.kind === "ok" ? rawWords : rawWords.map((w) => (/^\d*<</.test(w) ? w : expandWord(w, st.vars, escape).value));
  if (words.length < 2) {
    diag("error", "bad-copy", `${keyword} needs at least one source and a destination`, ins.line);
    return null;
  }
  const destWord = words.at(-1)!;
  const heredocs = new Map(ins.heredocs.map((h) => [h.name, h]));
  const fromFlag = flags.get("from") ?? null;
  let origin: CopyOp["origin"] = { kind: "context" };
  if (fromFlag !== null) {
    const f = expandWord(fromFlag, st.vars, escape).value;
    const byName = states.find((s) => s.stage.name === f.toLowerCase());
    const byIndex = /^[0-9]+$/.test(f) ? states[Number(f)] : undefined;
    const stage = byName ?? byIndex;
    origin = stage ? { kind: "stage", stage: stage.stage.index } : { kind: "image", image: f };
  }
  const sources: CopyOp["sources"] = [];
  for (const w of words.slice(0, -1)) {
    const hm = /^\d*<<-?(.*)$/.exec(w);
    if (hm && ins.heredocs.length) {
      const name = hm[1]!.replace(/['"]/g, "");
      const h = heredocs.get(name);
      if (h) {
        sources.push({ word: name, heredoc: h, url: false });
        continue;
      }
    }
    if (/^(https?|git):\/\//i.test(w) || /^git@/.test(w)) {
      if (keyword === "COPY") diag("error", "copy-url", `COPY cannot fetch URLs (use ADD): ${w}`, ins.line);
      sources.push({ word: w, heredoc: null, url: true });
      continue;
    }
    if (origin.kind !== "context") {
      sources.push({ word: cleanAbs(w), heredoc: null, url: false });
      continue;
    }
    const { path, clamped } = cleanRel(w);
    if (clamped) diag("warning", "copy-outside-context", `${keyword} source "${w}" points outside the build context; BuildKit reads "${path || "."}" inside it instead`, ins.line);
    if (!/[*?[]/.test(path) && !ctx.stat(path))
      diag("error", "copy-source-missing", `${keyword} source "${w}" is not in the build context${path && path !== w ? ` (as "${path}")` : ""} or is excluded by .dockerignore`, ins.line);
    else if (/[*?[]/.test(path) && ctx.glob(path, 1).length === 0)
      diag("error", "copy-source-missing", `${keyword} source pattern "${w}" matches no file of the build context`, ins.line);
    sources.push({ word: path, heredoc: null, url: false });
  }
  const multiple = sources.length > 1 || sources.some((s) => !s.heredoc && /[*?[]/.test(s.word));
  // BuildKit (dockerfile2llb dispatchCopy): a destination of ".", "" or ending in "/" is a directory, so
  // `COPY server.js .` puts /app/server.js under WORKDIR /app.
  const dirWord = destWord === "." || destWord === "" || destWord.endsWith("/");
  const destIsDir = dirWord || multiple;
  if (multiple && !dirWord)
    diag("error", "copy-dest-not-dir", `${keyword} with more than one source needs a destination that is a directory ending in /`, ins.line);
  const dest = joinAbs(st.config.workingDir.value, destWord);
  return {
    kind: "copy", keyword, line: ins.line, origin, sources, dest, destIsDir,
    chmod: flags.get("chmod") ?? null, chown: flags.get("chown") ?? null,
  };
}

// --- files and path resolution -------------------------------------------------------------------------

function stageFiles(st: StageState, ctx: ContextView): CopiedFile[] {
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

function resolveWord(st: StageState, states: StageState[], ctx: ContextView, word: string, cwd: string, path: string): PathResolution {
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
