// supervisord as PID 1: the programs of its config file become its children.
import { normalizeSignal } from "@audit-image/dockerfile";
import type { ProgramEntry } from "../programs.js";
import { lit } from "../values.js";
import { type Path, type Proc, type World, attach, findProc, newProc } from "../world.js";
import { become } from "./become.js";

/** supervisord's programs, from its config file in the build context ([program:x] command=…). */
export function supervisedPrograms(w: World, p: Path, proc: Proc, from: NonNullable<ProgramEntry["programsFrom"]>, kargs: string[]): Path[] {
  let conf: string | null = null;
  for (let i = 0; i < kargs.length; i++) {
    const a = kargs[i]!;
    const long = from.configFlags.find((f) => f.startsWith("--") && a.startsWith(f + "="));
    const short = from.configFlags.find((f) => /^-[^-]$/.test(f) && a.length > 2 && a.startsWith(f));
    if (from.configFlags.includes(a)) conf = kargs[i + 1] ?? null;
    else if (long) conf = a.slice(long.length + 1);
    else if (short) conf = a.slice(2);
  }
  // Without -c, the program's own search order (the catalog's programsFrom.search).
  const candidates = conf ? [conf] : from.search;
  let text: string | null = null;
  let file = "";
  for (const c of candidates) {
    const r = w.model.resolve(c.includes("/") ? c : "./" + c);
    if (r.kind === "context") {
      text = r.content();
      file = r.imagePath;
      break;
    }
  }
  if (text === null) {
    proc.notes.push(`its programs come from ${conf ?? "a config file"}, which is not in the build context`);
    return [p];
  }
  const programs: { name: string; command: string; line: number; stopsignal: string | null; autostart: boolean }[] = [];
  let cur: (typeof programs)[number] | null = null;
  text.split("\n").forEach((raw, i) => {
    const line = (/^\s*[;#]/.test(raw) ? "" : raw.replace(/\s[;#].*$/, "")).trim();
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      const m = /^program:(.+)$/.exec(sec[1]!.trim());
      cur = m ? { name: m[1]!.trim(), command: "", line: i + 1, stopsignal: null, autostart: true } : null;
      if (cur) programs.push(cur);
      return;
    }
    const kv = /^([A-Za-z_]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!kv || !cur) return;
    const key = kv[1]!.toLowerCase();
    if (key === "command") {
      cur.command = kv[2]!;
      cur.line = i + 1;
    } else if (key === "stopsignal") cur.stopsignal = normalizeSignal(kv[2]!.trim());
    else if (key === "autostart") cur.autostart = !/^(false|no|off|0)$/i.test(kv[2]!.trim());
  });
  let paths = [p];
  for (const prog of programs) {
    if (!prog.autostart || !prog.command) continue;
    const argv = shlexSplit(prog.command);
    if (!argv.length) continue;
    paths = paths.flatMap((q) => {
      const parent = findProc(q, proc.id)!;
      const child = newProc(w, [], { file, line: prog.line }, parent.user);
      child.supervisorStop = prog.stopsignal ?? "SIGTERM";
      attach(q, parent, child);
      return become(w, q, child, argv.map(lit), { file, line: prog.line });
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
