// forego, foreman (and their kin) as PID 1: each line `name: command` of the Procfile becomes a child.
import type { ProgramEntry } from "../programs.js";
import { lit } from "../values.js";
import { type Path, type Proc, type World, attach, findProc, newProc } from "../world.js";
import { become } from "./become.js";

const joinPath = (d: string, f: string) => (f.startsWith("/") ? f : d.endsWith("/") ? d + f : `${d}/${f}`);
/** Characters that make Ruby's spawn(command_string) run it through /bin/sh -c (else it execs the words itself). */
const SHELL_META = /[*?{}[\]<>()~&|\\$;'`"\n#=%]/;

/**
 * The Procfile (its option `-f FILE`, else the first of `search` in the working directory): each `name: command`
 * line is a child, started as the entry's `procfile` field says: `exec-prefix` (forego: `/bin/sh -c 'exec CMD'`)
 * or `ruby-spawn` (foreman: the words exec'd directly, or `/bin/sh -c CMD` when the line has shell syntax).
 * A Procfile that cannot be read leaves one child whose program is not known.
 */
export function procfilePrograms(w: World, p: Path, proc: Proc, entry: ProgramEntry, name: string, kargs: string[]): Path[] {
  const pf = entry.programsFrom!;
  const dir = proc.cwd === undefined ? w.model.config?.workingDir.value || "/" : proc.cwd;
  let file: string | null = null;
  for (let i = 0; i < kargs.length; i++) {
    const a = kargs[i]!;
    for (const f of pf.configFlags ?? []) {
      if (a === f && i + 1 < kargs.length) file = kargs[i + 1]!;
      else if (a.startsWith(`${f}=`)) file = a.slice(f.length + 1);
    }
  }
  const unknownChild = (why: string): Path[] => {
    const child = newProc(w, ["<the Procfile's processes>"], proc.source, proc.user);
    child.role = "unknown";
    child.longRunning = null;
    child.notes.push(`what ${name} runs is not known: ${why}`);
    proc.notes.push(`${name} runs the processes of its Procfile, which could not be read: ${why}`);
    attach(p, proc, child);
    return [p];
  };
  if (dir === null && !(file ?? "").startsWith("/")) return unknownChild("its working directory is only known at run time");
  const path = joinPath(dir ?? "/", file ?? pf.search?.[0] ?? "Procfile");
  const r = w.model.resolve(path);
  if (r.kind !== "context") return unknownChild(`${path} is ${r.kind === "not-found" ? "not in the image" : `not copied from the build context${r.kind === "unknown" ? ` (${r.reason})` : ""}`}`);
  const text = r.content();
  if (text === null) return unknownChild(`${path} could not be read`);
  const lines = text.split("\n");
  let paths = [p];
  let n = 0;
  lines.forEach((line, i) => {
    const m = /^([A-Za-z0-9_-]+):\s*(.*\S)\s*$/.exec(line);
    if (!m) return;
    const command = m[2]!;
    n++;
    const at = { file: path, line: i + 1 };
    const argv =
      pf.procfile === "ruby-spawn" && !SHELL_META.test(command)
        ? command.split(/\s+/).map(lit)
        : [lit("/bin/sh"), lit("-c"), lit(pf.procfile === "exec-prefix" ? `exec ${command}` : command)];
    paths = paths.flatMap((q) => {
      const parent = findProc(q, proc.id)!;
      const child = newProc(w, [], at, parent.user);
      child.supervisorStop = "SIGTERM";
      if (pf.stopWaitSeconds !== undefined) child.supervisorStopWait = pf.stopWaitSeconds;
      child.notes.push(`the Procfile's process ${m[1]} (${path}:${i + 1})`);
      attach(q, parent, child);
      return become(w, q, child, argv, at);
    });
  });
  if (!n) return unknownChild(`${path} names no process in a form the analysis reads`);
  else proc.notes.push(`${name} runs the ${n} process${n === 1 ? "" : "es"} of ${path}`);
  return paths;
}
