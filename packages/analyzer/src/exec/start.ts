// Docker execs the image's argv as PID 1: the first process of the first path.
import type { SourceLoc } from "../types.js";
import { lit, unknown } from "../values.js";
import { type Path, type Sh, type World, Exported, Vars, newProc } from "../world.js";
import { become } from "./become.js";

/** `env`: the image's environment; null is a value that is not known (it grew past the bound on expansions). */
export function startPid1(w: World, argv: string[], source: SourceLoc | null, user: string, env: Map<string, string | null>): Path[] {
  const root = newProc(w, [...argv], source, user);
  const base: Sh = {
    proc: root, kind: "sh-unknown", file: w.model.file, vars: new Vars([...env].map(([k, v]) => [k, v === null ? unknown(`$${k}`) : lit(v)])),
    exported: new Exported(env.keys()), internal: new Set(), positional: [], arg0: lit(""), funcs: new Map(), funcStack: [],
    locals: [], traps: new Map(), lastBg: null, cMode: null, subshell: null, depth: 0, lineOffset: 0, errexit: false, condDepth: 0,
  };
  const p: Path = { conds: [], root, index: new Map([[root.id, root]]), stack: [base], flow: null, halted: false, status: 0, statusDesc: null, exitCode: null, failed: null };
  return become(w, p, root, argv.map(lit), source, { fromDocker: true });
}
