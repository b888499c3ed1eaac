// One dispatcher per Dockerfile instruction, in a table, as BuildKit's dockerfile2llb dispatch() routes
// each command to dispatchEnv, dispatchRun, dispatchCopy…: to change what an instruction does to the
// model, change its dispatchX here. The table is also the list of instructions this reader knows.
import { commandPart, parseJsonArray } from "./command.js";
import { runEffects } from "./run-effects.js";
import { copyOp } from "./copy.js";
import { splitFlags, type Instruction } from "./parse.js";
import { cleanAbs, joinAbs } from "./paths.js";
import { normalizeSignal } from "./signals.js";
import { finishStage, startStage } from "./stages.js";
import type { StageState, Walk } from "./state.js";
import type { Origin } from "./types.js";
import { LOST, splitWordsKeepQuotes } from "./words.js";

/** What one instruction does to the walk. */
export type Dispatcher = (w: Walk, ins: Instruction) => void;
/** An instruction of a stage; `here` is the origin of the config values it sets. */
type StageDispatcher = (w: Walk, st: StageState, ins: Instruction, here: Origin) => void;

/** Only ARG may come before the first FROM; every other instruction needs a stage. */
const inStage = (fn: StageDispatcher): Dispatcher => (w, ins) => {
  if (!w.cur) {
    w.diag("error", "no-stage", `${ins.keyword} before the first FROM: only ARG may come before FROM`, ins.line);
    return;
  }
  fn(w, w.cur, ins, { kind: "instruction", line: ins.line, stage: w.cur.stage.index });
};

const dispatchFrom: Dispatcher = (w, ins) => {
  if (w.cur) finishStage(w.cur, w.effects); // before a later stage can inherit its config
  w.cur = startStage(ins, w);
  w.states.push(w.cur);
  const name = w.cur.stage.name;
  if (name !== null && !w.byName.has(name)) w.byName.set(name, w.cur);
};

/** ARG before the first FROM sets a global arg; inside a stage, a stage variable (default: the global). */
const dispatchArg: Dispatcher = (w, ins) => {
  const { cur, globalArgs, diag } = w;
  const line = ins.line;
  const target = cur ? cur.vars : globalArgs;
  for (const word of splitWordsKeepQuotes(ins.args, w.escape)) {
    const eq = word.indexOf("=");
    const name = eq >= 0 ? word.slice(0, eq) : word;
    // Measured with the classic builder: only a blank name fails ("ARG names can not be blank"); `a-b`, `a.b`,
    // and the words of a trailing `# comment` (`ARG X=0 # 0=never` defines "#", "0") are accepted and build.
    if (name === "") {
      diag("error", "bad-arg", `ARG names can not be blank: "${word}"`, line);
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    const override = w.buildArgs.get(name);
    const def = eq >= 0 ? w.expandValue(word.slice(eq + 1), target, line) ?? LOST : cur ? globalArgs.get(name) : undefined;
    const value = override ?? def;
    if (value !== undefined) target.set(name, value);
  }
};

const dispatchEnv: StageDispatcher = (w, st, ins, here) => {
  const pairs = parseEnvArgs(ins.args, w.escape);
  if (pairs === null) {
    w.diag("error", "bad-env", `ENV needs NAME=value pairs: "${ins.args}"`, ins.line);
    return;
  }
  // Every value is expanded with the variables as they were before this ENV; then they are set. (Not a
  // copy of the variables for each ENV: 50,000 ENV lines made that quadratic.)
  const values = pairs.map(([, raw]) => w.expandValue(raw, st.vars, ins.line));
  pairs.forEach(([k], i) => {
    const v = values[i]!;
    st.vars.set(k, v ?? LOST);
    st.config.env[k] = v === null ? { value: "", origin: here, unknown: true } : { value: v, origin: here };
  });
};

const dispatchWorkdir: StageDispatcher = (w, st, ins, here) => {
  const v = w.expand(ins.args, st.vars, ins.line);
  st.config.workingDir = { value: joinAbs(st.config.workingDir.value, v), origin: here };
  // WORKDIR creates the directory when it does not exist.
  st.ops.push({ kind: "run", line: ins.line, effect: { kind: "mkdir", path: st.config.workingDir.value }, conditional: false });
};

const dispatchUser: StageDispatcher = (w, st, ins, here) => {
  st.config.user = { value: w.expand(ins.args, st.vars, ins.line), origin: here };
};

const dispatchStopSignal: StageDispatcher = (w, st, ins, here) => {
  const raw = w.expand(ins.args, st.vars, ins.line);
  const sig = normalizeSignal(raw);
  if (!sig) w.diag("error", "bad-stopsignal", `STOPSIGNAL: invalid signal "${raw}"`, ins.line);
  else st.config.stopSignal = { value: sig, origin: here };
};

const dispatchShell: StageDispatcher = (w, st, ins, here) => {
  const arr = parseJsonArray(ins.args);
  if (arr.kind !== "ok" || arr.value.length === 0) {
    w.diag("error", "bad-shell", `SHELL requires the arguments to be a non-empty JSON array of strings, as in SHELL ["/bin/bash", "-c"]`, ins.line);
  } else st.config.shell = { value: arr.value, origin: here };
};

const dispatchEntrypoint: StageDispatcher = (w, st, ins, here) => {
  const part = commandPart("ENTRYPOINT", ins, st.config.shell, here, w.diag, w.effects);
  if (!part) return;
  st.config.entrypoint = part;
  st.entrypointLines.push(ins.line);
};

const dispatchCmd: StageDispatcher = (w, st, ins, here) => {
  const part = commandPart("CMD", ins, st.config.shell, here, w.diag, w.effects);
  if (!part) return;
  st.config.cmd = part;
  st.cmdLines.push(ins.line);
};

const dispatchCopy: StageDispatcher = (w, st, ins) => {
  const op = copyOp("COPY", ins, st, w);
  if (op) st.ops.push(op);
};

const dispatchAdd: StageDispatcher = (w, st, ins) => {
  const op = copyOp("ADD", ins, st, w);
  if (op) st.ops.push(op);
};

/** RUN: its text (for the words a later lookup asks about) and what it does to the image's files. */
const dispatchRun: StageDispatcher = (w, st, ins) => {
  st.hasRun = true;
  const { flags, rest } = splitFlags(ins.args);
  const json = parseJsonArray(rest);
  const body = json.kind === "ok" ? json.value.join(" ") : rest;
  const all = [body, ...ins.heredocs.map((h) => h.content)].join("\n");
  st.runText += all + "\n";
  // RUN --mount=type=bind,from=stage,… reads another stage: BuildKit builds it.
  for (const [k, v] of flags) {
    if (k !== "mount" || v === null) continue;
    const from = /(?:^|,)from=([^,]+)/.exec(v)?.[1];
    const dep = from ? w.byName.get(from.toLowerCase()) : undefined;
    if (dep) st.deps.add(dep.stage.index);
  }
  // An exec-form RUN runs no shell: its words are one command.
  const text = json.kind === "ok" ? json.value.map((x) => `'${x.replace(/'/g, "'\\''")}'`).join(" ") : rest;
  for (const op of runEffects(text, ins.heredocs, ins.line, st.vars, st.config.workingDir.value)) {
    if (op.effect.kind === "chmod") {
      const e = op.effect;
      st.ops.push({ kind: "chmod", line: ins.line, mode: e.mode, recursive: e.recursive, paths: e.paths });
    } else st.ops.push(op);
  }
};

/** VOLUME ["/a", "/b"] or VOLUME /a /b: directories whose contents outlive the container (a later run finds them). */
const dispatchVolume: StageDispatcher = (w, st, ins) => {
  const json = parseJsonArray(ins.args);
  const words = json.kind === "ok" ? json.value : ins.args.trim().split(/\s+/);
  for (const word of words) {
    // (a bound, as on every list a Dockerfile can grow without end: past it, the rest is not known as a volume)
    if (st.volumes.length >= 256) break;
    const v = w.expand(word, st.vars, ins.line).replace(/^["']|["']$/g, "");
    if (v.startsWith("/") && !st.volumes.includes(cleanAbs(v))) st.volumes.push(cleanAbs(v));
  }
};

/** LABEL, EXPOSE, HEALTHCHECK, ONBUILD, MAINTAINER: no effect on what runs. */
const noEffect: StageDispatcher = () => {};

/** Every instruction BuildKit knows, and what it does here; a keyword not in it is an unknown instruction. */
export const DISPATCH: ReadonlyMap<string, Dispatcher> = new Map<string, Dispatcher>([
  ["FROM", dispatchFrom],
  ["ARG", dispatchArg],
  ["ENV", inStage(dispatchEnv)],
  ["WORKDIR", inStage(dispatchWorkdir)],
  ["USER", inStage(dispatchUser)],
  ["STOPSIGNAL", inStage(dispatchStopSignal)],
  ["SHELL", inStage(dispatchShell)],
  ["ENTRYPOINT", inStage(dispatchEntrypoint)],
  ["CMD", inStage(dispatchCmd)],
  ["COPY", inStage(dispatchCopy)],
  ["ADD", inStage(dispatchAdd)],
  ["RUN", inStage(dispatchRun)],
  ["LABEL", inStage(noEffect)],
  ["EXPOSE", inStage(noEffect)],
  ["VOLUME", inStage(dispatchVolume)],
  ["HEALTHCHECK", inStage(noEffect)],
  ["ONBUILD", inStage(noEffect)],
  ["MAINTAINER", inStage(noEffect)],
]);

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
