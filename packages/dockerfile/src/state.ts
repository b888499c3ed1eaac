// The state of the walk over a Dockerfile's instructions: one StageState per FROM, and the Walk that the
// instruction dispatchers (dispatch.ts) share. Nothing here does anything; it only names what is kept.
import type { Catalog } from "./catalog.js";
import type { ContextView, FileOp } from "./context.js";
import type { Diagnostic, Effect, EffectiveConfig, Stage } from "./types.js";

export type Diag = (severity: Diagnostic["severity"], code: string, message: string, line: number | null) => void;

export interface StageState {
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
  /** Stages this one reads from (COPY --from, RUN --mount=from=): BuildKit builds only what the target needs. */
  deps: Set<number>;
  /** The file operations of the stage chain, root first (resolve.ts chainOps). */
  chainOps?: FileOp[];
  /** Diagnostics that hold only if the stage is built (a COPY source missing from the context). */
  buildDiagnostics: Diagnostic[];
  /** The directories VOLUME declares, in this stage and the stages of this file it is built on. */
  volumes: string[];
}

/** What every instruction may read or change while the Dockerfile is walked from top to bottom. */
export interface Walk {
  escape: string;
  ctx: ContextView;
  catalogs: Catalog[];
  baseConfigs: Record<string, unknown>;
  buildArgs: Map<string, string>;
  /** ARGs before the first FROM (plus BuildKit's predefined ones). */
  globalArgs: Map<string, string>;
  /** Every stage so far, in order; `cur` is the last one, null before the first FROM. */
  states: StageState[];
  cur: StageState | null;
  /** The first stage of each name so far (a lookup per FROM, COPY --from and RUN --mount: 50,000 stages
   * searched in a list were quadratic). */
  byName: Map<string, StageState>;
  effects: Effect[];
  diag: Diag;
  /** Build-time expansion of one word; a bad substitution becomes a diagnostic. A word past the bound on
   * expansions (`truncated`) expands to "". */
  expand: (word: string, vars: ReadonlyMap<string, string>, line: number) => string;
  /** The same for the value of an ARG or ENV: null when it is past the bound (its value is not known). */
  expandValue: (word: string, vars: ReadonlyMap<string, string>, line: number) => string | null;
  /** The first bound the walk hit, and where. */
  truncated: { reason: string; line: number } | null;
}
