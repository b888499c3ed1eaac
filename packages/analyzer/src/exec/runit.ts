// runsvdir as a supervisor: one runsv per service directory of the directory it scans, each running ./run.
import type { ProgramEntry } from "../programs.js";
import { programByName } from "../programs.js";
import { lit } from "../values.js";
import { type Path, type Proc, type World, attach, findProc, newProc } from "../world.js";
import { become } from "./become.js";

/**
 * runsvdir DIR: a `runsv NAME` child for each DIR/NAME/run file the build context puts in the image, which runs it.
 * When none is known (the directory is filled at run time, or comes from the base image), one placeholder runsv
 * stands for the services: they exist, but which ones is only known at run time.
 */
export function runitServices(w: World, p: Path, proc: Proc, from: NonNullable<ProgramEntry["programsFrom"]>, kargs: string[]): Path[] {
  const dir = (kargs.find((a) => !a.startsWith("-")) ?? from.search?.[0] ?? "/etc/service").replace(/\/+$/, "");
  const runsv = programByName("runsv");
  // the service directories the COPY/ADD steps put there (a whole directory copied, or single run files), each with a run file
  const names = w.model.list(dir).names.filter((n) => w.model.resolve(`${dir}/${n}/run`).kind === "context").sort();
  const supervise = (q: Path, argv: string[]): Proc => {
    const parent = findProc(q, proc.id)!;
    const sv = newProc(w, argv, proc.source, parent.user);
    sv.program = runsv;
    sv.role = "supervisor";
    sv.longRunning = true;
    attach(q, parent, sv);
    return sv;
  };
  if (!names.length) {
    const sv = supervise(p, ["runsv", "…"]);
    sv.notes.push(`one runsv per service directory of ${dir}, which the build context does not show: which services run is only known at run time`);
    return [p];
  }
  let paths = [p];
  for (const name of names) {
    paths = paths.flatMap((q) => {
      const sv = supervise(q, ["runsv", name]);
      const run = newProc(w, [], { file: `${dir}/${name}/run`, line: 1 }, sv.user);
      attach(q, sv, run);
      return become(w, q, run, [lit(`${dir}/${name}/run`)], { file: `${dir}/${name}/run`, line: 1 });
    });
  }
  return paths;
}
