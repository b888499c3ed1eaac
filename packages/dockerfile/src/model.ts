// From Dockerfile text (plus a read-only view of the build context) to the effective image config of a
// stage and the argv Docker will exec as PID 1. Pure: no I/O besides the ContextFS it is given, never
// throws for bad input (problems become diagnostics), never runs anything.
// This module walks the instructions and picks the target stage; what each instruction does is in
// dispatch.ts, FROM and stage inheritance in stages.ts, COPY/ADD in copy.ts, ENTRYPOINT/CMD in command.ts,
// and how a command word is found in the image in resolve.ts.
import { builtinCatalog, type Catalog } from "./catalog.js";
import { resolveCommand } from "./command.js";
import { ContextView, parseDockerignore } from "./context.js";
import { DISPATCH } from "./dispatch.js";
import { parseDockerfile, type Instruction } from "./parse.js";
import { listImageDir } from "./listing.js";
import { relinkedSh, resolveWord, stageFiles } from "./resolve.js";
import { DEFAULT_PATH, finishStage } from "./stages.js";
import type { Diag, StageState, Walk } from "./state.js";
import type { ContextFS, Diagnostic, DockerfileModel, Effect, PathResolution } from "./types.js";
import { expandWord } from "./words.js";

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
  /** Files larger than this are cut at a line boundary and unparseable (`file-too-large`; default 2 MiB). */
  maxBytes?: number;
  /**
   * Of a larger file only this much is parsed (cut at a line boundary; default 768 KiB: at 1 MiB a whole run took 1.9–2.0 s of CPU on a loaded machine, at the 2 s bound), and the model says
   * it is partial (`truncated`): parsing costs about a second per MiB, and a Dockerfile this large is
   * generated, not written.
   */
  maxParseBytes?: number;
  /** Bound on the total size of build-time expansions (ARG, ENV, …); past it values are unknown. */
  maxExpansionBytes?: number;
}

const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
const DEFAULT_MAX_PARSE_BYTES = 768 * 1024;
const DEFAULT_MAX_EXPANSION = 4 * 1024 * 1024;
const MAX_DIAGNOSTICS = 1000;
/** Build args that BuildKit predefines in the global scope. */
const PREDEFINED_ARGS: Record<string, string> = {
  TARGETPLATFORM: "linux/amd64", TARGETOS: "linux", TARGETARCH: "amd64", TARGETVARIANT: "",
  BUILDPLATFORM: "linux/amd64", BUILDOS: "linux", BUILDARCH: "amd64", BUILDVARIANT: "",
};

const emptyFs: ContextFS = { stat: () => null, readFile: () => null, list: () => null };

export function buildModel(text: string, options: ModelOptions = {}): DockerfileModel {
  const file = options.file ?? "Dockerfile";
  const diagnostics: Diagnostic[] = [];
  const effects: Effect[] = [];
  // At most MAX_DIAGNOSTICS: 130,000 unknown instructions would otherwise be 130,000 findings in every
  // format. The ones left out are counted, and the model says it is partial (`truncated`).
  let dropped = 0;
  let firstDropped = 0;
  const keep = (d: Diagnostic) => {
    if (diagnostics.length < MAX_DIAGNOSTICS) diagnostics.push(d);
    else if (dropped++ === 0) firstDropped = d.line ?? 0;
  };
  const diag: Diag = (severity, code, message, line) => keep({ severity, code, message, line });

  const maxParse = options.maxParseBytes ?? DEFAULT_MAX_PARSE_BYTES;
  const checked = checkInput(text, options.maxBytes ?? DEFAULT_MAX_BYTES, maxParse, diag);
  if (checked === null) return emptyModel(file, diagnostics);
  const cutShort = checked.length < text.length ? checked.split("\n").length - 1 : null;
  text = checked;

  const parsed = parseDockerfile(text);
  for (const d of parsed.diagnostics) keep(d);
  const escape = parsed.escape;
  const ctxFs = options.context ?? emptyFs;
  const ignoreText = options.dockerignore !== undefined ? options.dockerignore : ctxFs.readFile(".dockerignore");
  // A .dockerignore that is there but cannot be read (over the bound on files read): which files it
  // leaves out is not known, and the model says it is partial.
  const ignoreUnread = ignoreText === null && options.dockerignore === undefined && ctxFs.stat(".dockerignore")?.type === "file";
  const ctx = new ContextView(ctxFs, parseDockerignore(ignoreText ?? ""));

  if (parsed.instructions.length === 0) {
    diag("error", "empty-dockerfile", "the Dockerfile has no instructions", null);
  }

  // The budget on what build-time expansions produce in all (ARG A2=$A1$A1, sixty times, is 2^60 bytes).
  const maxExpansion = options.maxExpansionBytes ?? DEFAULT_MAX_EXPANSION;
  let room = maxExpansion;
  const walk: Walk = {
    escape, ctx, effects, diag,
    catalogs: [...(options.catalogs ?? []), builtinCatalog],
    baseConfigs: options.baseConfigs ?? {},
    buildArgs: new Map(Object.entries(options.buildArgs ?? {})),
    globalArgs: new Map<string, string>(Object.entries(PREDEFINED_ARGS)),
    states: [],
    cur: null,
    byName: new Map(),
    truncated: cutShort !== null
      ? { reason: `the Dockerfile is larger than ${maxParse} bytes: only its first ${cutShort} lines were analyzed`, line: cutShort }
      : ignoreUnread ? { reason: "the .dockerignore could not be read (larger than the bound on files read, or unreadable): the files it leaves out of the context are not known", line: 0 } : null,
    expand: (word, vars, line) => walk.expandValue(word, vars, line) ?? "",
    expandValue: (word, vars, line) => {
      // the first KiB of each word is free: the budget is for values that grow, not for long Dockerfiles
      const r = expandWord(word, vars, escape, room + 1024);
      if (r.over) {
        walk.truncated ??= { reason: `the values of ARG and ENV grew past ${maxExpansion} bytes (a variable that doubles); larger values were taken as unknown`, line };
        return null;
      }
      room -= Math.max(0, r.value.length - 1024);
      if (r.error) diag("error", "bad-substitution", `${r.error} in "${word}"`, line);
      return r.value;
    },
  };

  for (const ins of parsed.instructions) {
    const dispatch = DISPATCH.get(ins.keyword);
    if (!dispatch) {
      diag("error", "unknown-instruction", `unknown instruction: ${ins.keyword.toLowerCase()}${looksLikeShell(ins) ? " (is this a continuation line missing its \\?)" : ""}`, ins.line);
      continue;
    }
    dispatch(walk, ins);
  }

  if (walk.cur) finishStage(walk.cur, effects);

  const states = walk.states;
  const target = pickTarget(states, options.target, diag);
  if (!target && states.length === 0 && parsed.instructions.length > 0) diag("error", "no-from", "the Dockerfile has no FROM instruction", null);

  // BuildKit builds the target and the stages it needs, nothing else: what fails only at build time
  // (a COPY source missing from the context) matters only in those.
  const needed = target ? neededStages(target, states) : new Set<number>();
  for (const s of states) if (needed.has(s.stage.index)) for (const d of s.buildDiagnostics) keep(d);
  if (dropped) walk.truncated ??= { reason: `more than ${MAX_DIAGNOSTICS} problems in the Dockerfile; the ${dropped} after line ${firstDropped} are not reported`, line: firstDropped };
  for (let i = effects.length - 1; i >= 0; i--) {
    const e = effects[i]!;
    if (e.kind === "build-artifact" && !needed.has(e.stage)) effects.splice(i, 1);
  }
  const relinked = target ? relinkedSh(target) : null;
  if (relinked) effects.push({ kind: "bin-sh-relinked", line: relinked.line, binSh: relinked.binSh });
  const command = target
    ? resolveCommand(target, effects, diag, (shell) => resolveWord(target, states, ctx, shell, target.config.workingDir.value, target.config.env.PATH?.value ?? DEFAULT_PATH))
    : null;
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
    binSh: relinked?.binSh ?? target?.stage.base.binSh ?? "unknown",
    volumes: target?.volumes ?? [],
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
    list: (dir) => (target ? listImageDir(target, ctx, dir) : { names: [], unknown: ["no target stage"] }),
    // Read when asked: the context is read lazily, and its .dockerignore may hit its bound late.
    get truncated() {
      return walk.truncated ?? (ctx.truncated ? { reason: ctx.truncated, line: 0 } : null);
    },
  };
  return model;
}

/** The stages BuildKit builds for a target: the target, its parents, and every stage they read from. */
function neededStages(target: StageState, states: StageState[]): Set<number> {
  const seen = new Set<number>();
  const todo = [target];
  while (todo.length) {
    const s = todo.pop()!;
    if (seen.has(s.stage.index)) continue;
    seen.add(s.stage.index);
    if (s.parent) todo.push(s.parent);
    for (const d of s.deps) if (states[d]) todo.push(states[d]!);
  }
  return seen;
}

/** Guard rails: a binary file is refused (null), a huge one is cut at a line boundary. */
/** The text to parse: null for a binary file; cut at a line boundary past `max` (an error) or `maxParse`. */
function checkInput(text: string, max: number, maxParse: number, diag: Diag): string | null {
  if (text.includes("\u0000")) {
    const line = text.slice(0, text.indexOf("\u0000")).split("\n").length;
    diag("error", "binary-file", "this is a binary file (it contains NUL bytes), not a Dockerfile", line);
    return null;
  }
  const over = text.length > max;
  if (text.length > Math.min(max, maxParse)) {
    const at = Math.min(max, maxParse);
    const cut = text.lastIndexOf("\n", at);
    text = text.slice(0, cut > 0 ? cut + 1 : at);
  }
  if (over) {
    const lines = text.split("\n").length - 1;
    diag("error", "file-too-large", `the file is larger than ${max} bytes; only its first ${lines} lines were read`, lines);
  }
  if (text.includes("\uFFFD")) diag("warning", "invalid-utf8", "the file is not valid UTF-8; invalid bytes were replaced", null);
  return text;
}

/** The target stage: by name or index, or the last stage. */
function pickTarget(states: StageState[], wanted: ModelOptions["target"], diag: Diag): StageState | null {
  let target: StageState | null = null;
  if (wanted === undefined) target = states.at(-1) ?? null;
  else if (typeof wanted === "number" || /^[0-9]+$/.test(wanted)) target = states[Number(wanted)] ?? null;
  else target = states.find((s) => s.stage.name === String(wanted).toLowerCase()) ?? null;
  if (!target && wanted !== undefined)
    diag("error", "no-such-target", `target stage "${wanted}" not found (stages: ${states.map((s, i) => s.stage.name ?? String(i)).join(", ") || "none"})`, null);
  return target;
}

function emptyModel(file: string, diagnostics: Diagnostic[]): DockerfileModel {
  return {
    file, stages: [], target: null, config: null, command: null, effects: [], diagnostics, files: [], binSh: "unknown",
    resolve: () => ({ kind: "unknown", imagePath: null, reason: "no target stage" }),
    list: () => ({ names: [], unknown: ["no target stage"] }),
  };
}

const looksLikeShell = (ins: Instruction) => /^[a-z]/.test(ins.keyword.toLowerCase()) && ins.keyword.length > 0 && /^(&&|\|\||-)/.test(ins.args);
