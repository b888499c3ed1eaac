// supervisord as PID 1: the programs of its config file become its children.
import { normalizeSignal } from "@audit-image/dockerfile";
import type { ProgramEntry } from "../programs.js";
import { lit } from "../values.js";
import { type Path, type Proc, type World, attach, findProc, newProc } from "../world.js";
import { become } from "./become.js";
import { readConfig } from "./config.js";

/**
 * supervisord's programs: the [program:x] sections (command=, stopsignal=, autostart=) of its config file and of the
 * files its [include] section names, read as supervisord reads them (exec/config.ts).
 */
export function supervisedPrograms(w: World, p: Path, proc: Proc, entry: ProgramEntry, name: string, argv0: string, kargs: string[]): Path[] {
  const read = entry.config ? readConfig(w, entry, name, argv0, kargs) : null;
  if (!read || read.main === null) {
    proc.notes.push(`its programs come from its config file, which could not be read: ${read?.missing ?? "no config file known"}`);
    return [p];
  }
  const programs = new Map<string, { name: string; command: string; file: string; line: number; stopsignal: string | null; autostart: boolean; stopwait: number | null; group?: boolean }>();
  for (const e of read.entries) {
    const m = /^program:(.+)$/.exec(e.section);
    if (!m) continue;
    const key = m[1]!.trim();
    let prog = programs.get(key);
    if (!prog) programs.set(key, (prog = { name: key, command: "", file: e.file, line: e.line, stopsignal: null, autostart: true, stopwait: null }));
    const k = e.key.toLowerCase();
    if (k === "command") {
      prog.command = e.value;
      prog.file = e.file;
      prog.line = e.line;
    } else if (k === "stopsignal") prog.stopsignal = normalizeSignal(e.value.trim());
    else if (k === "autostart") prog.autostart = !/^(false|no|off|0)$/i.test(e.value.trim());
    else if (k === "stopwaitsecs" && /^\d+$/.test(e.value.trim())) prog.stopwait = Number(e.value.trim());
    // stopasgroup=true: the stop signal goes to the program's whole process group (supervisord's configuration
    // docs: "send the stop signal to the whole process group", for programs that do not pass it to their children)
    else if (k === "stopasgroup") prog.group = /^(true|yes|on|1)$/i.test(e.value.trim());
  }
  for (const u of read.unread) proc.notes.push(`it also reads ${u.path}, which could not be read (${u.why}): programs there are not shown`);
  let paths = [p];
  for (const prog of programs.values()) {
    if (!prog.command) continue;
    const argv = shlexSplit(prog.command);
    if (!argv.length) continue;
    const at = { file: prog.file, line: prog.line };
    paths = paths.flatMap((q) => {
      const parent = findProc(q, proc.id)!;
      const child = newProc(w, [], at, parent.user);
      child.supervisorStop = prog.stopsignal ?? "SIGTERM";
      if (prog.group) child.supervisorGroup = true;
      const wait = prog.stopwait ?? entry.programsFrom?.stopWaitSeconds;
      if (wait !== undefined) child.supervisorStopWait = wait;
      // autostart=false: supervisord starts it when asked (`supervisorctl start NAME`, often from a bootstrap
      // program). Whether it runs at stop time is not known; it is shown as running, so that what the stop
      // does to it is not left out.
      if (!prog.autostart) child.notes.push(`autostart=false: supervisord starts ${prog.name} only when asked (supervisorctl start ${prog.name}); shown as running`);
      attach(q, parent, child);
      return become(w, q, child, argv.map(lit), at);
    });
  }
  return paths;
}

/** Python's shlex.split, which supervisord uses for command= (quotes and backslashes; no expansion). */
function shlexSplit(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) q = null;
      else if (c === "\\" && q === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      has = true;
    } else if (c === "\\" && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}
