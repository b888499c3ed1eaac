// FROM: where a stage's starting config comes from (another stage, `docker image inspect` JSON given by the
// user, the base-image catalog, scratch, or nothing known), and what happens when a stage ends.
import { configFromInspect, factsOf, lookupCatalog, parseImageRef } from "./catalog.js";
import { splitFlags, type Instruction } from "./parse.js";
import { normalizeSignal } from "./signals.js";
import type { StageState, Walk } from "./state.js";
import type { BaseImage, BaseImageConfig, CommandPart, Effect, EffectiveConfig, Located, Origin } from "./types.js";
import { expandWord } from "./words.js";

export const DEFAULT_SHELL = ["/bin/sh", "-c"];
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** A new stage for a FROM instruction (not yet added to `w.states`). */
export function startStage(ins: Instruction, w: Walk): StageState {
  const { diag, escape } = w;
  const { flags, rest } = splitFlags(ins.args);
  const words = rest.split(/\s+/).filter((x) => x !== "");
  const fromRaw = words[0] ?? "";
  let name: string | null = null;
  if (words.length >= 3 && words[1]!.toLowerCase() === "as") name = words[2]!.toLowerCase();
  else if (words.length !== 1) diag("error", "bad-from", `FROM takes an image and optionally "AS name": "${ins.args}"`, ins.line);
  const metaVars = new Map(w.globalArgs);
  for (const [k, v] of w.buildArgs) if (w.globalArgs.has(k)) metaVars.set(k, v);
  const r = expandWord(fromRaw, metaVars, escape);
  const from = r.value;
  if (r.unset.length) diag("warning", "unset-arg-in-from", `FROM uses ${r.unset.map((v) => "$" + v).join(", ")}, which is not set (declare it with ARG before the first FROM)`, ins.line);
  if (from === "") diag("error", "empty-from", "FROM names no image", ins.line);
  const index = w.states.length;
  const parent = w.byName.get(from.toLowerCase()) ?? null;
  const { base, config } = parent ? fromStage(parent, from) : fromImage(from, ins.line, w);
  const vars = new Map<string, string>();
  for (const [k, v] of Object.entries(config.env)) vars.set(k, v.value);
  return {
    stage: { index, name, line: ins.line, fromRaw, from, platform: flags.get("platform") ?? null, base },
    parent, config, vars, ops: [], hasRun: false, runText: "", entrypointLines: [], cmdLines: [], deps: new Set(), buildDiagnostics: [],
    volumes: parent ? [...parent.volumes] : [],
  };
}

function fromStage(parent: StageState, from: string): { base: BaseImage; config: EffectiveConfig } {
  return {
    base: { ...parent.stage.base, ref: from, kind: "stage", stage: parent.stage.index },
    config: inheritFromStage(parent),
  };
}

/** FROM an image: scratch, the user's inspect JSON, the catalog, or unknown (in that order). */
function fromImage(from: string, line: number, w: Walk): { base: BaseImage; config: EffectiveConfig } {
  const ref = parseImageRef(from);
  const baseOrigin = (kind: "base-image" | "base-config" | "unknown-base"): Origin => ({ kind, image: from });
  const common = { ref: from, repository: ref.repository, tag: ref.tag, digest: ref.digest, stage: null, root: from };
  const userJson = w.baseConfigs[from] ?? w.baseConfigs[`${ref.repository}:${ref.tag}`] ?? w.baseConfigs[ref.repository];
  const userConfig = userJson !== undefined ? configFromInspect(userJson) : null;
  if (from.toLowerCase() === "scratch") {
    return { base: { ...common, kind: "scratch", binSh: "none", shells: [], facts: null }, config: configFrom(null, { kind: "default" }) };
  }
  if (userConfig) {
    return { base: { ...common, kind: "user-config", binSh: "unknown", shells: null, facts: null }, config: configFrom(userConfig, baseOrigin("base-config")) };
  }
  const hit = from ? lookupCatalog(ref, w.catalogs) : null;
  if (hit) {
    const facts = factsOf(hit.variant);
    return { base: { ...common, kind: "catalog", binSh: facts.binSh, shells: facts.shells, facts }, config: configFrom(facts.config, baseOrigin("base-image")) };
  }
  const base: BaseImage = { ...common, kind: "unknown", binSh: "unknown", shells: null, facts: null };
  const config = configFrom(null, baseOrigin("unknown-base"));
  if (from) w.effects.push({ kind: "unknown-base-image", image: from, line });
  return { base, config };
}

function configFrom(c: BaseImageConfig | null, origin: Origin): EffectiveConfig {
  // Of an unknown base image nothing is known: Docker's defaults are only assumed (its STOPSIGNAL may differ).
  const def: Origin = origin.kind === "unknown-base" ? origin : { kind: "default" };
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

/**
 * The end of a stage: ENTRYPOINT resets an inherited CMD unless the stage sets CMD too (BuildKit's cmdSet),
 * and earlier ENTRYPOINT/CMD lines are dead. Done when the stage ends, before a later stage inherits it.
 */
export function finishStage(st: StageState, effects: Effect[]) {
  if (st.entrypointLines.length && !st.cmdLines.length && st.config.cmd) {
    effects.push({ kind: "inherited-cmd-reset", entrypointLine: st.entrypointLines.at(-1)!, cmd: st.config.cmd });
    st.config.cmd = null;
  }
  for (const lines of [st.entrypointLines, st.cmdLines]) {
    const kw = lines === st.entrypointLines ? "ENTRYPOINT" : "CMD";
    for (const l of lines.slice(0, -1)) effects.push({ kind: "dead-instruction", keyword: kw, line: l, supersededBy: lines.at(-1)! });
  }
}
