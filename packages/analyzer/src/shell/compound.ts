// Compound commands: if, case, while/until, for, declarations. A condition only known at run time forks
// the path into one where it holds and one where it does not.
import { append } from "@audit-image/dockerfile";
import { type ShNode, nodeType } from "../syntax/parse.js";
import { type Word, globMatch, known, show, unknown } from "../values.js";
import { type Path, type World, clonePath, dedupe, dropped, factDecides, learnFact, noteTruncated, pathKey, sh } from "../world.js";
import { halt } from "./commands.js";
import { factSubject } from "./test.js";
import { expandArgs, expandOne, expandPattern } from "./expand.js";
import { arith } from "./arith.js";
import { assign, setVar } from "./variables.js";
import { execList, inCondition, loc } from "./statements.js";

export function forkOnStatus(w: World, p: Path): [Path, boolean][] {
  if (p.status !== null) return [[p, p.status === 0]];
  const desc = p.statusDesc ?? { yes: "a command succeeds", no: "a command fails" };
  const yes = clonePath(w, p);
  yes.conds.push(desc.yes);
  yes.status = 0;
  p.conds.push(desc.no);
  p.status = 1;
  if (desc.eq) {
    learnFact(yes, desc.eq.subject, desc.eq.value, desc.eq.yesIsEqual);
    learnFact(p, desc.eq.subject, desc.eq.value, !desc.eq.yesIsEqual);
  }
  return [[yes, true], [p, false]];
}

export function ifClause(w: World, p: Path, clause: ShNode, tail: boolean): Path[] {
  const condPaths = inCondition(p, (q) => execList(w, [q], clause.cond, false));
  const out: Path[] = [];
  for (const q of condPaths) {
    if (q.halted || q.flow) {
      out.push(q);
      continue;
    }
    for (const [r, ok] of forkOnStatus(w, q)) {
      if (ok) append(out, execList(w, [r], clause.then, tail));
      else if (clause.else) {
        if (clause.else.cond && clause.else.cond.length) append(out, ifClause(w, r, clause.else, tail));
        else append(out, execList(w, [r], clause.else.then, tail));
      } else {
        r.status = 0;
        out.push(r);
      }
    }
  }
  return out;
}

export function caseClause(w: World, p: Path, clause: ShNode, tail: boolean): Path[] {
  const subject = expandOne(w, p, clause.word);
  const subj = known(subject);
  const subjectKey = subj === null ? factSubject(subject) : null;
  const out: Path[] = [];
  let rest: Path | null = p;
  const items: ShNode[] = clause.items ?? [];
  for (let i = 0; i < items.length && rest; i++) {
    const item = items[i];
    const patterns = (item.patterns ?? []).map((pw: ShNode) => expandPattern(w, rest!, pw));
    let verdict: boolean | null = false;
    for (const pat of patterns) {
      // `*)`: matches whatever the word is, known or not (the default branch is no fork)
      if (pat !== null && /^\*+$/.test(pat)) {
        verdict = true;
        break;
      }
      if (pat !== null && subj === null && subjectKey !== null && !/[*?[\\]/.test(pat)) {
        // a literal pattern: what the path knows of the word may decide it
        const d = factDecides(rest!, subjectKey, pat);
        if (d === true) {
          verdict = true;
          break;
        }
        if (d === false) continue;
      }
      if (pat === null || subj === null) {
        verdict = null;
        continue;
      }
      if (globMatch(pat, subj)) {
        verdict = true;
        break;
      }
    }
    const patText = patterns.map((x: string | null) => x ?? "?").join("|");
    if (verdict === true) {
      append(out, execList(w, [rest], item.stmts, tail));
      rest = null;
    } else if (verdict === null) {
      const yes = clonePath(w, rest);
      yes.conds.push(`${show(subject)} matches ${patText}`);
      // one literal pattern: the path that matched knows the value; the other knows it is not any literal tried
      const literals = subjectKey !== null && patterns.every((x: string | null) => x !== null && !/[*?[\\]/.test(x)) ? (patterns as string[]) : [];
      if (literals.length === 1) learnFact(yes, subjectKey!, literals[0]!, true);
      for (const l of literals) learnFact(rest, subjectKey!, l, false);
      append(out, execList(w, [yes], item.stmts, tail));
      rest.conds.push(`${show(subject)} does not match ${patText}`);
    }
  }
  if (rest) {
    rest.status = 0;
    out.push(rest);
  }
  return out;
}

export function whileClause(w: World, p: Path, clause: ShNode, tail: boolean): Path[] {
  let cur = [p];
  const done: Path[] = [];
  const seen = new Set<string>();
  let alwaysTrue = 0;
  const shapes = new Map<string, Map<string, Word | null>>();
  for (let iter = 0; iter < w.limits.maxLoop && cur.length; iter++) {
    const next: Path[] = [];
    let certain = true;
    const inLoopCond = (r: Path): Path[] => {
      sh(r).loopCondDepth = (sh(r).loopCondDepth ?? 0) + 1;
      const out = execList(w, [r], clause.cond, false);
      for (const q of out) if (q.stack.length) sh(q).loopCondDepth = (sh(q).loopCondDepth ?? 1) - 1;
      return out;
    };
    for (const q of cur.flatMap((c) => inCondition(c, inLoopCond))) {
      if (q.halted || q.flow) {
        done.push(q);
        continue;
      }
      const forks = forkOnStatus(w, q);
      if (forks.length > 1) certain = false;
      for (const [r, okRaw] of forks) {
        const ok = clause.until ? !okRaw : okRaw;
        if (!ok) {
          r.status = 0;
          done.push(r);
          certain = false;
          continue;
        }
        const ws = sh(r);
        ws.whileDepth = (ws.whileDepth ?? 0) + 1;
        const before = next.length;
        const doneBefore = done.length;
        loopBody(w, r, clause.do, done, next);
        for (const q of [...next.slice(before), ...done.slice(doneBefore)]) if (q.stack.length) sh(q).whileDepth = (sh(q).whileDepth ?? 1) - 1;
      }
    }
    alwaysTrue = certain ? alwaysTrue + 1 : 0;
    // Widening: a variable that changes on every pass (a counter) whose bound is only known at run time
    // would give a new state per pass until the loop limit. After two passes (eight when the condition is
    // known) such a variable is only known at run time, and the states meet.
    if (iter >= (certain ? 8 : 2)) for (const q of next) widen(w, q, shapes);
    else for (const q of next) if (q.stack.length) shapes.set(pathKey(w, q, true, false, false), new Map(sh(q).vars));
    // A state seen before adds nothing: its ways out of the loop are already being followed.
    const fresh = dedupe(w, next).filter((q) => {
      const k = pathKey(w, q, true, true, false);
      if (seen.has(k)) {
        dropped(w, q);
        return false;
      }
      seen.add(k);
      return true;
    });
    // The condition held on every path, and the body came back to a state seen before (`while true; do
    // sleep 5; done`), or the condition never failed in all the passes we follow: an endless loop. A body
    // that changes what the condition reads (a counter) goes on until the condition fails.
    if (certain && next.length && (fresh.length === 0 || alwaysTrue >= w.limits.maxLoop - 1)) {
      for (const q of dedupe(w, next)) {
        halt(q, "loop", null, loc(q, clause).line);
        done.push(q);
      }
      return dedupe(w, done);
    }
    cur = fresh;
  }
  if (cur.length) noteTruncated(w, `a loop ran more than ${w.limits.maxLoop} times`, cur[0], loc(p, clause).line);
  return done;
}

/** Variables that differ from the last pass's state of the same shape become only known at run time. */
function widen(w: World, q: Path, shapes: Map<string, Map<string, Word | null>>) {
  if (!q.stack.length) return;
  const s = sh(q);
  const k = pathKey(w, q, true, false, false);
  const prev = shapes.get(k);
  if (prev)
    for (const [name, v] of s.vars) {
      if (!prev.has(name)) continue;
      const was = prev.get(name) ?? null;
      if ((was === null ? null : show(was)) !== (v === null ? null : show(v))) setVar(s, name, unknown(`$${name}`));
    }
  shapes.set(k, new Map(s.vars));
}

/** One pass of a loop body: paths that leave the loop go to `done`, the others to `next`. */
function loopBody(w: World, p: Path, body: ShNode[], done: Path[], next: Path[]) {
  for (const b of execList(w, [p], body, false)) {
    if (b.flow === "break") {
      b.flow = null;
      done.push(b);
    } else if (b.flow === "continue") {
      b.flow = null;
      next.push(b);
    } else if (b.halted || b.flow) done.push(b);
    else next.push(b);
  }
}

export function forClause(w: World, p: Path, clause: ShNode, tail: boolean): Path[] {
  const loop = clause.loop;
  if (nodeType(loop) === "CStyleLoop") return cStyleLoop(w, p, clause);
  if (nodeType(loop) !== "WordIter") return execList(w, [p], clause.do, false);
  const name = loop.name;
  const items: Word[] = loop.inPos === false ? sh(p).positional : expandArgs(w, p, loop.items ?? [], loc(p, clause));
  const src = (loop.items ?? []).length === 0 ? sh(p).positional : items;
  let cur = [p];
  const done: Path[] = [];
  for (const item of src.slice(0, w.limits.maxLoop)) {
    const next: Path[] = [];
    for (const q of cur) {
      setVar(sh(q), name, item);
      loopBody(w, q, clause.do, done, next);
    }
    cur = dedupe(w, next);
  }
  return [...done, ...cur];
}

/**
 * for ((init; cond; post)) (bash): while the condition is known, as many passes as it gives; a condition
 * only known at run time gets one pass of the body, and the loop is left there.
 */
function cStyleLoop(w: World, p: Path, clause: ShNode): Path[] {
  const { init, cond, post } = clause.loop;
  if (init) arith(w, p, init);
  let cur = [p];
  const done: Path[] = [];
  for (let iter = 0; iter < w.limits.maxLoop && cur.length; iter++) {
    const next: Path[] = [];
    for (const q of cur) {
      const c = cond ? known(arith(w, q, cond)) : "1";
      if (c !== null && Number(c) === 0) {
        q.status = 0;
        done.push(q);
        continue;
      }
      const after: Path[] = [];
      loopBody(w, q, clause.do, done, after);
      for (const r of after) {
        if (post) arith(w, r, post);
        (c === null ? done : next).push(r);
      }
    }
    cur = dedupe(w, next);
  }
  if (cur.length) noteTruncated(w, `a loop ran more than ${w.limits.maxLoop} times`, cur[0], loc(p, clause).line);
  return done;
}

export function declClause(w: World, p: Path, cmd: ShNode): Path[] {
  const s = sh(p);
  const variant = cmd.variant ?? "declare";
  // -a / -A (indexed / associative arrays), and declare inside a function is local unless -g
  const flags = (cmd.args ?? []).filter((a: ShNode) => !a.name && a.value).map((a: ShNode) => known(expandOne(w, p, a.value)) ?? "").filter((f: string) => /^[-+][A-Za-z]+$/.test(f));
  const has = (c: string) => flags.some((f: string) => f.startsWith("-") && f.includes(c));
  const local = variant === "local" || ((variant === "declare" || variant === "typeset") && !has("g"));
  for (const a of cmd.args ?? []) {
    if (!a.name) continue;
    const name = a.name;
    if (local && s.locals.length) {
      const frame = s.locals[s.locals.length - 1]!;
      if (!frame.has(name)) frame.set(name, s.vars.has(name) ? s.vars.get(name) : undefined);
    }
    if (!a.naked || a.value || a.array || has("a") || has("A")) assign(w, p, a, { assoc: has("A"), indexed: has("a"), local });
    else if ((variant === "local" || (local && s.locals.length)) && !s.vars.has(name)) s.vars.set(name, null);
    if (variant === "export") s.exported.add(name);
  }
  p.status = 0;
  return [p];
}
