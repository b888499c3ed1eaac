// What a trap handler does when its signal arrives: which processes it signals, whether it waits and
// whether it exits. Read statically from the handler's text (simulate.ts uses it).
import { normalizeSignal } from "@audit-image/dockerfile";
import { bare } from "../names.js";
import { type ShNode, nodeType } from "../syntax/parse.js";
import { type Word, lit, show } from "../values.js";
import { type Proc, type Trap, type World, allProcs } from "../world.js";
import { parseCached } from "./run.js";

export interface HandlerEffect {
  /** Signals it sends, and to which of the shell's processes (null target: unknown). */
  kills: { signal: string; targets: Proc[] | "all" | null; text: string; line: number }[];
  waits: boolean;
  exits: boolean;
}

export function analyzeHandler(w: World, root: Proc, shellProc: Proc, trap: Trap): HandlerEffect {
  const eff: HandlerEffect = { kills: [], waits: false, exits: false };
  const run = shellProc.shell;
  const parsed = parseCached(w, trap.handler, trap.file, run?.kind ?? "bash");
  if (!parsed.file) return eff;
  const funcs = run?.funcs ?? new Map();
  const vars = new Map(run?.vars ?? []); // a copy: for-loops in the handler bind their variable in it
  const visit = (stmts: ShNode[], depth: number) => {
    if (depth > 8) return;
    for (const st of stmts ?? []) {
      const c = st.cmd;
      const t = nodeType(c);
      if (t === "BinaryCmd") {
        visit([c.x, c.y], depth + 1);
        continue;
      }
      if (t === "IfClause") {
        visit(c.cond, depth + 1);
        visit(c.then, depth + 1);
        if (c.else) visit([{ cmd: c.else }], depth + 1); // elif/else: an IfClause without a condition is the else
        continue;
      }
      if (t === "Block" || t === "Subshell") {
        visit(c.stmts, depth + 1);
        continue;
      }
      if (t === "ForClause" && nodeType(c.loop) === "WordIter" && c.loop.items?.length) {
        // for p in $pid $pid2; do kill "$p"; done: walk the body once per item, with the variable bound
        const name: string = c.loop.name;
        const saved = vars.get(name);
        for (const item of c.loop.items) {
          for (const v of wordText(item, vars).split(/\s+/).filter(Boolean)) {
            vars.set(name, lit(v));
            visit(c.do ?? [], depth + 1);
          }
        }
        if (saved === undefined) vars.delete(name);
        else vars.set(name, saved);
        continue;
      }
      if (t === "WhileClause" || t === "ForClause") {
        visit([...(c.cond ?? []), ...(c.do ?? [])], depth + 1);
        continue;
      }
      if (t === "CaseClause") {
        for (const item of c.items ?? []) visit(item.stmts, depth + 1);
        continue;
      }
      if (t !== "CallExpr" || !c.args?.length) continue;
      const words: string[] = c.args.map((a: ShNode) => wordText(a, vars));
      const cmd = words[0]!;
      if (funcs.has(cmd)) {
        visit([funcs.get(cmd)], depth + 1);
        continue;
      }
      const line = trap.line;
      if (cmd === "kill" || cmd === "pkill" || cmd === "killall") {
        let signal = "SIGTERM";
        const targets: string[] = [];
        for (let i = 1; i < words.length; i++) {
          const a = words[i]!;
          if (a === "-s" || a === "-n") {
            signal = normSig(words[++i] ?? "TERM");
            continue;
          }
          if (/^-[A-Za-z]+\d*$|^-\d+$/.test(a) && !targets.length) {
            signal = normSig(a.slice(1));
            continue;
          }
          if (a === "--") continue;
          targets.push(a);
        }
        const procs = allProcs(root).filter((q) => q.alive && q !== shellProc);
        let resolved: Proc[] | "all" | null = null;
        if (cmd === "kill") {
          if (targets.some((t) => t === "0" || t === "-1" || /^-<pid/.test(t) || t === "-$$")) resolved = "all";
          else {
            const ids = targets.map((t) => /#(\d+)>/.exec(t)?.[1]).filter((x): x is string => !!x).map(Number);
            resolved = ids.length ? procs.filter((q) => ids.includes(q.id) || (q.forkedFrom !== undefined && ids.includes(q.forkedFrom))) : null;
          }
        } else {
          const names = targets.filter((t) => !t.startsWith("-"));
          resolved = procs.filter((q) => names.some((n) => bare(q.argv[0] ?? "") === n || q.argv.some((a) => bare(a) === n)));
        }
        eff.kills.push({ signal, targets: resolved, text: words.join(" "), line });
      } else if (cmd === "wait") eff.waits = true;
      else if (cmd === "exit") eff.exits = true;
      else if (cmd === "exec") eff.exits = true;
    }
  };
  visit(parsed.file.stmts, 0);
  return eff;
}

function wordText(word: ShNode, vars: Map<string, Word | null>): string {
  let s = "";
  const part = (q: ShNode) => {
    const t = nodeType(q);
    if (t === "Lit" || t === "SglQuoted") s += q.value;
    else if (t === "DblQuoted") (q.parts ?? []).forEach(part);
    else if (t === "ParamExp") {
      const v = vars.get(q.param);
      s += v ? show(v) : q.param === "$" ? "-$$" : `$${q.param}`;
    } else s += "?";
  };
  (word.parts ?? []).forEach(part);
  return s;
}

const normSig = (s: string): string => normalizeSignal(s) ?? `SIG${s.toUpperCase().replace(/^SIG/, "")}`;

