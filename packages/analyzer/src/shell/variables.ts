// Shell variables and bash arrays: lookup, assignment (a=…, a=(…), a+=(…), a[i]=…), unset, local arrays.
import { type ShNode, nodeType } from "../syntax/parse.js";
import { type Word, concat, known, lit, norm, unknown } from "../values.js";
import { type Path, type Sh, type ShArray, type World, sh } from "../world.js";
import { arith } from "./arith.js";
import { expandOne, expandFields } from "./expand.js";

export function lookupVar(s: Sh, name: string): Word | null | undefined {
  const a = s.arrays?.get(name);
  if (a) return a.lost ? unknown(a.lost) : a.items.get("0") ?? null;
  return s.vars.get(name);
}

/** NAME=v: for an array, the element 0 (bash). */
export function setVar(s: Sh, name: string, v: Word) {
  const a = s.arrays?.get(name);
  if (a) setArray(s, name, { ...a, items: new Map(a.items).set("0", norm(v)) });
  else s.vars.set(name, norm(v));
}

/** unset NAME (a variable or an array), unset 'NAME[i]' (an element). */
export function unsetVar(w: World, p: Path, name: string) {
  const s = sh(p);
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/.exec(name);
  if (m) {
    const a = s.arrays?.get(m[1]!);
    const key = a ? arrayKey(w, p, a, { type: "Word", parts: [{ type: "Lit", value: m[2]! }] }) : null;
    if (a && key !== null) {
      const items = new Map(a.items);
      items.delete(key);
      setArray(s, m[1]!, { ...a, items });
    }
    return;
  }
  if (s.arrays?.has(name)) {
    const arrays = new Map(s.arrays);
    arrays.delete(name);
    s.arrays = arrays;
  }
  s.vars.set(name, null);
}

function setArray(s: Sh, name: string, a: ShArray) {
  s.arrays = new Map(s.arrays ?? []).set(name, a);
}

/** A function call ends: the arrays it declared `local` give way to the ones they hid. */
export function endLocalArrays(s: Sh) {
  if (!s.arrays) return;
  const depth = s.funcStack.length;
  let arrays: Map<string, ShArray> | null = null;
  for (const [k, a] of s.arrays) {
    if (a.localDepth === undefined || a.localDepth <= depth) continue;
    arrays ??= new Map(s.arrays);
    if (a.shadows) arrays.set(k, a.shadows);
    else arrays.delete(k);
  }
  if (arrays) s.arrays = arrays;
}

/**
 * One assignment (of a simple command or a declaration): NAME=v, NAME+=v, NAME=(…), NAME+=(…),
 * NAME[i]=v, NAME[i]+=v. `decl` carries a declaration's -a/-A and whether it is `local`.
 */
export function assign(w: World, p: Path, a: ShNode, decl: { assoc?: boolean; indexed?: boolean; local?: boolean } = {}) {
  const s = sh(p);
  const name: string = a.name;
  let cur = s.arrays?.get(name);
  const depth = s.funcStack.length;
  if (decl.local && depth && (a.array || a.index || decl.assoc || decl.indexed) && cur?.localDepth !== depth) {
    // a local array hides the caller's until the call ends (endLocalArrays)
    setArray(s, name, (cur = { assoc: !!decl.assoc, items: new Map(), localDepth: depth, shadows: cur ?? null }));
  }
  if ((decl.assoc || decl.indexed) && !cur) setArray(s, name, (cur = { assoc: !!decl.assoc, items: new Map() }));
  if (a.array) {
    // NAME+=(…) on a scalar: its value is element 0
    const scalar = !cur && a.append ? s.vars.get(name) : null;
    const base: ShArray = cur ?? { assoc: !!decl.assoc, items: new Map(scalar ? [["0", scalar]] : []) };
    const items = new Map(a.append ? base.items : []);
    let next = base.assoc ? 0 : nextIndex(items);
    let lost = a.append ? base.lost : undefined;
    for (const el of a.array as ShNode[]) {
      if (el.index) {
        const key = arrayKey(w, p, base, el.index);
        const v = el.value ? expandOne(w, p, el.value) : [];
        if (key === null) lost = `\${${name}[@]}`;
        else {
          items.set(key, v);
          if (!base.assoc) next = Number(key) + 1;
        }
        continue;
      }
      // elements are words: "$@" and unquoted expansions give several
      for (const v of el.value ? expandFields(w, p, el.value, null) : []) {
        if (a.append && repeatsUnknown(items, v)) lost = `\${${name}[@]}`;
        items.set(String(next++), v);
      }
    }
    setArray(s, name, { ...base, items: base.assoc ? items : sortIndexed(items), lost });
    return;
  }
  const v = a.value ? expandOne(w, p, a.value) : lit("");
  if (a.index) {
    // NAME[i]=v on a scalar: its value is element 0
    const scalar = cur ? null : s.vars.get(name);
    const arr: ShArray = cur ?? { assoc: false, items: new Map(scalar ? [["0", scalar]] : []) };
    const key = arrayKey(w, p, arr, a.index);
    if (key === null) {
      setArray(s, name, { ...arr, lost: `\${${name}[@]}` });
      return;
    }
    const items = new Map(arr.items).set(key, a.append ? concat(arr.items.get(key) ?? [], v) : norm(v));
    setArray(s, name, { ...arr, items: arr.assoc ? items : sortIndexed(items) });
    return;
  }
  if (a.append) setVar(s, name, concat(lookupVar(s, name) ?? [], v));
  else if (a.value || !a.naked) setVar(s, name, v);
}

/**
 * NAME+=(v) where v holds a run-time value that an element already holds: a loop appending one element
 * per input line or word (while read …; do a+=("$x"); done) runs an unknown number of times, so the
 * length is unknown (and the loop's states converge instead of growing one element per pass).
 */
function repeatsUnknown(items: ReadonlyMap<string, Word>, v: Word): boolean {
  const descs = new Set(v.flatMap((x) => (typeof x === "string" ? [] : [x.u])));
  if (!descs.size) return false;
  for (const e of items.values()) for (const x of e) if (typeof x !== "string" && descs.has(x.u)) return true;
  return false;
}

const nextIndex = (items: ReadonlyMap<string, Word>): number => {
  let n = 0;
  for (const k of items.keys()) n = Math.max(n, Number(k) + 1);
  return n;
};

const sortIndexed = (items: Map<string, Word>): Map<string, Word> => new Map([...items].sort((x, y) => Number(x[0]) - Number(y[0])));

/** The key of an element: arithmetic for an indexed array (negative counts from the end), text for -A. */
export function arrayKey(w: World, p: Path, a: ShArray, index: ShNode): string | null {
  if (a.assoc) return nodeType(index) === "Word" ? known(expandOne(w, p, index)) : null;
  const k = known(arith(w, p, index));
  if (k === null || !/^-?\d+$/.test(k)) return null;
  const n = Number(k);
  if (n >= 0) return String(n);
  const last = nextIndex(a.items) + n;
  return last >= 0 ? String(last) : null;
}
