// Variables and word expansion: parameters, "$@", bash arrays (assignments and ${a[@]}), field splitting,
// quote removal, ${…} operators, $(…) for the few commands whose output is known (output.ts), $((…)).
import { wildcard } from "@audit-image/dockerfile";
import { bare } from "../names.js";
import { type ShNode, nodeType } from "../syntax/parse.js";
import type { SourceLoc } from "../types.js";
import { type Word, concat, isUnknown, known, lit, norm, show, unknown } from "../values.js";
import { type Path, type Sh, type ShArray, type World, sh } from "../world.js";
import { knownOutput } from "./output.js";

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
function arrayKey(w: World, p: Path, a: ShArray, index: ShNode): string | null {
  if (a.assoc) return nodeType(index) === "Word" ? known(expandOne(w, p, index)) : null;
  const k = known(arith(w, p, index));
  if (k === null || !/^-?\d+$/.test(k)) return null;
  const n = Number(k);
  if (n >= 0) return String(n);
  const last = nextIndex(a.items) + n;
  return last >= 0 ? String(last) : null;
}

const SPECIAL_UNKNOWN: Record<string, string> = { "?": "$?", "$": "$$", "-": "$-" };

/** The value of a parameter: a word, null when unset. */
export function param(w: World, p: Path, name: string): Word | null {
  const s = sh(p);
  if (name === "@" || name === "*") return s.positional.length ? joinWords(s.positional) : null;
  if (name === "#") return lit(String(s.positional.length));
  if (name === "0") return s.arg0;
  if (/^[1-9][0-9]*$/.test(name)) return s.positional[Number(name) - 1] ?? null;
  if (name === "!") return s.lastBg ? lit(`<pid:${bare(s.lastBg.argv[0] ?? "?").replace(/\s/g, "_")}#${s.lastBg.id}>`) : null;
  if (name === "BASH_SOURCE") return s.cMode !== null ? null : lit(s.file);
  if (name === "FUNCNAME") return s.funcStack.length ? lit(s.funcStack[s.funcStack.length - 1]!) : null;
  if (SPECIAL_UNKNOWN[name]) return unknown(SPECIAL_UNKNOWN[name]!);
  const v = lookupVar(s, name);
  if (v !== undefined) return v;
  if (s.internal.has(name)) return null;
  // Not set by the image, not assigned by the script: only known at run time.
  return unknown(`$${name}`);
}

/** Words joined by spaces, as "$*" and "${a[*]}" join them (IFS is not followed: its default). */
const joinWords = (ws: readonly Word[]): Word => norm(ws.flatMap((x, i) => (i ? [" ", ...x] : x)));

/** Expands command arguments: parameter expansion, "$@", field splitting of unquoted expansions. */
export function expandArgs(w: World, p: Path, words: ShNode[], here: SourceLoc): Word[] {
  const out: Word[] = [];
  for (const word of words) {
    const fields = expandFields(w, p, word, here);
    for (const f of fields) out.push(f);
  }
  return out;
}

/**
 * The fields of one word. Each field remembers whether it exists although empty (quotes made it); an
 * unquoted expansion's text splits on blanks (unknown parts stay inside their field); a list ("$@",
 * "${a[@]}" and their slices) gives one field per element.
 */
function expandFields(w: World, p: Path, word: ShNode, here: SourceLoc | null): Word[] {
  const fields: { w: Word; keep: boolean }[] = [{ w: [], keep: false }];
  const cur = () => fields[fields.length - 1]!;
  const text = (v: Word) => {
    const c = cur();
    c.w = concat(c.w, v);
    if (c.w.length) c.keep = true;
  };
  const brk = () => fields.push({ w: [], keep: false });
  const split = (v: Word) => {
    for (const part of v) {
      if (typeof part !== "string") {
        text([part]);
        continue;
      }
      part.split(/[ \t\n]+/).forEach((piece, i) => {
        if (i > 0 && cur().keep) brk();
        if (piece !== "") text(lit(piece));
      });
    }
  };
  for (const part of word.parts ?? []) {
    const t = nodeType(part);
    if (t === "Lit") text(lit(unescape(part.value, false)));
    else if (t === "SglQuoted") {
      text(lit(part.dollar ? ansiC(part.value) : part.value));
      cur().keep = true;
    } else if (t === "DblQuoted") {
      const qs: ShNode[] = part.parts ?? [];
      const lists = qs.map((q) => (nodeType(q) === "ParamExp" ? listExp(w, p, q) : null));
      // "$@" with no arguments (and "${a[@]}" of an empty array) is no field at all
      if (!(qs.length > 0 && lists.every((l) => l && !l.star && l.words.length === 0))) cur().keep = true;
      qs.forEach((q, i) => {
        const l = lists[i];
        if (l && !l.star) {
          l.words.forEach((v, j) => {
            if (j > 0) brk();
            cur().keep = true;
            text(v);
          });
        } else if (l) text(joinWords(l.words));
        else text(expandPart(w, p, q, true));
      });
    } else if (t === "ParamExp") {
      const l = listExp(w, p, part);
      if (l) {
        if ((part.param === "@" || part.param === "*") && !part.index && !part.length && !part.exp && here)
          w.issues.push({ kind: "unquoted-args", file: here.file, line: here.line, column: part.col, param: part.param });
        l.words.forEach((v, j) => {
          if (j > 0 && cur().keep) brk();
          split(v);
        });
      } else split(expandPart(w, p, part, false));
    } else split(expandPart(w, p, part, false));
  }
  return fields.filter((f) => f.keep).map((f) => norm(f.w));
}

/** Expands one word without field splitting (assignments, case subjects, [[ ]] operands). */
export function expandOne(w: World, p: Path, word: ShNode): Word {
  const out: Word = [];
  for (const part of word?.parts ?? []) {
    const t = nodeType(part);
    if (t === "Lit") out.push(unescape(part.value, false));
    else if (t === "SglQuoted") out.push(part.dollar ? ansiC(part.value) : part.value);
    else if (t === "DblQuoted") for (const q of part.parts ?? []) out.push(...expandPart(w, p, q, true));
    else out.push(...expandPart(w, p, part, false));
  }
  return norm(out);
}

export function expandPattern(w: World, p: Path, word: ShNode): string | null {
  let s = "";
  for (const part of word?.parts ?? []) {
    const t = nodeType(part);
    if (t === "Lit") s += part.value;
    else if (t === "SglQuoted") s += part.value.replace(/[*?[\\]/g, "\\$&");
    else {
      const v = known(t === "DblQuoted" ? norm((part.parts ?? []).flatMap((q: ShNode) => expandPart(w, p, q, true))) : expandPart(w, p, part, false));
      if (v === null) return null;
      s += t === "DblQuoted" ? v.replace(/[*?[\\]/g, "\\$&") : v;
    }
  }
  return s;
}

/**
 * Quote removal of a literal's backslashes (the parser keeps them): outside quotes a backslash quotes the
 * next character; inside double quotes only before $ ` " \ (and a newline, which the parser already
 * joined), elsewhere it stays (POSIX 2.2.1, 2.2.3).
 */
export function unescape(s: string, quoted: boolean): string {
  if (!s.includes("\\")) return s;
  return quoted ? s.replace(/\\([$`"\\\n])/g, "$1") : s.replace(/\\([\s\S])/g, "$1");
}

const ansiC = (s: string) => s.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\'/g, "'").replace(/\\\\/g, "\\");

function expandPart(w: World, p: Path, part: ShNode, quoted: boolean): Word {
  const t = nodeType(part);
  switch (t) {
    case "Lit":
      return lit(unescape(part.value, quoted));
    case "SglQuoted":
      return lit(part.dollar ? ansiC(part.value) : part.value);
    case "DblQuoted":
      return norm((part.parts ?? []).flatMap((q: ShNode) => expandPart(w, p, q, true)));
    case "ParamExp":
      return paramExp(w, p, part);
    case "CmdSubst":
      return cmdSubst(w, p, part);
    case "ArithmExp":
      return arith(w, p, part.x);
    default:
      return unknown(`(${t})`);
  }
}

/** The subscript of ${a[@]} and ${a[*]}, or null. */
function wholeIndex(pe: ShNode): "@" | "*" | null {
  const l = pe.index && nodeType(pe.index) === "Word" ? pe.index.lit : null;
  return l === "@" || l === "*" ? l : null;
}

/**
 * A parameter expansion that gives a list of words: "$@" and "$*" and their slices ${@:o:l}, an array's
 * elements ${a[@]} (a slice, or an operator applied to each), its keys ${!a[@]}, the names ${!prefix@}.
 * `star`: in double quotes the words join into one ($*, [*]). Null for an expansion that gives one word.
 */
function listExp(w: World, p: Path, pe: ShNode): { words: Word[]; star: boolean } | null {
  if (pe.length) return null;
  const name: string = pe.param;
  const s = sh(p);
  let words: Word[];
  let star: boolean;
  if (pe.excl && pe.names) {
    // the variables of the image and of the script, and whatever `docker run -e` adds
    return { words: [unknown(`\${!${name}${pe.names}}`)], star: pe.names === "*" };
  }
  if ((name === "@" || name === "*") && !pe.excl && !pe.index) {
    star = name === "*";
    if (pe.slice) {
      // ${@:o:l}: offset 0 is $0; a negative offset counts from the end
      const r = slice(w, p, pe, [s.arg0, ...s.positional], false);
      if (r === null) return { words: [unknown(`\${${name}:…}`)], star };
      words = r;
    } else words = s.positional;
  } else {
    const idx = wholeIndex(pe);
    if (!idx) return null;
    star = idx === "*";
    const a = s.arrays?.get(name);
    if (a?.lost) return { words: [unknown(a.lost)], star };
    if (pe.excl) return { words: a ? [...a.items.keys()].map(lit) : param(w, p, name) === null ? [] : [lit("0")], star };
    if (a) {
      words = [...a.items.values()];
      if (pe.slice) {
        const r = a.assoc ? null : slice(w, p, pe, words, [...a.items.keys()].map(Number));
        if (r === null) return { words: [unknown(`\${${name}[${idx}]:…}`)], star };
        words = r;
      }
    } else {
      // a scalar is an array of one element; a run-time variable too
      const v = param(w, p, name);
      words = v === null ? [] : [v];
    }
  }
  if (pe.exp && [68, 69, 70, 71, 72, 73, 74, 75].includes(pe.exp.op)) {
    const op: number = pe.exp.op;
    const empty = words.length === 0 || (op % 2 === 1 && known(joinWords(words)) === "");
    const arg = () => (pe.exp.word ? expandOne(w, p, pe.exp.word) : lit(""));
    if (op === 68 || op === 69) return { words: empty ? [] : [arg()], star };
    return { words: empty && op !== 72 && op !== 73 ? [arg()] : words, star };
  }
  if (pe.exp || pe.repl) words = words.map((v) => applyOps(w, p, pe, name, v));
  return { words, star };
}

/**
 * ${x:o:l} of a list: `keys` are the elements' indexes (an array is sliced by index, from the first
 * element at or after o), or false for the positional parameters (by position). Null when unknown.
 */
function slice(w: World, p: Path, pe: ShNode, items: Word[], keys: number[] | false): Word[] | null {
  const off = known(arith(w, p, pe.slice.offset));
  const len = pe.slice.length ? known(arith(w, p, pe.slice.length)) : null;
  if (off === null || !/^-?\d+$/.test(off) || (pe.slice.length && (len === null || !/^\d+$/.test(len)))) return null;
  const ks = keys || items.map((_, i) => i);
  let o = Number(off);
  if (o < 0) {
    o += (ks.length ? ks[ks.length - 1]! : -1) + 1;
    if (o < 0) return [];
  }
  const from = ks.findIndex((k) => k >= o);
  if (from < 0) return [];
  return items.slice(from, len === null ? undefined : from + Number(len));
}

export function paramExp(w: World, p: Path, pe: ShNode): Word {
  const l = listExp(w, p, pe);
  if (l) return joinWords(l.words);
  const name: string = pe.param;
  const s = sh(p);
  if (pe.index && name === "FUNCNAME") {
    const idx = known(expandOne(w, p, { parts: [pe.index] }) ?? []) ?? "";
    const stack = [...s.funcStack].reverse().concat(s.cMode !== null ? [] : ["main"]);
    if (/^\d+$/.test(idx)) return stack[Number(idx)] !== undefined ? lit(stack[Number(idx)]!) : [];
  }
  if (pe.length) {
    if (name === "FUNCNAME") return lit(String(s.funcStack.length + 1));
    if (name === "@" || name === "*") return lit(String(s.positional.length));
    if (wholeIndex(pe)) {
      const a = s.arrays?.get(name);
      if (a?.lost) return unknown(`\${#${name}[@]}`);
      if (a) return lit(String(a.items.size));
      const v = param(w, p, name);
      return v === null ? lit("0") : isUnknown(v) ? unknown(`\${#${name}[@]}`) : lit("1");
    }
    const v = pe.index ? element(w, p, name, pe.index) : param(w, p, name);
    const k = v ? known(v) : "";
    return k === null ? unknown(`\${#${name}}`) : lit(String(k.length));
  }
  let v = pe.index ? element(w, p, name, pe.index) : param(w, p, name);
  if (pe.excl) {
    // ${!name}: the variable whose name is name's value (NAME, a positional number, NAME[i])
    const target = v ? known(v) : null;
    if (target === null) return unknown(`\${!${name}}`);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]$/.exec(target);
    if (m) v = element(w, p, m[1]!, { type: "Word", parts: [{ type: "Lit", value: m[2]! }], lit: m[2]! });
    else if (/^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])$/.test(target)) v = param(w, p, target);
    else return unknown(`\${!${name}}`);
  }
  return applyOps(w, p, pe, name, v);
}

/** ${a[i]}: an element of an array (of a scalar, [0] is its value); null when unset. */
function element(w: World, p: Path, name: string, index: ShNode): Word | null {
  const a = sh(p).arrays?.get(name);
  if (a?.lost) return unknown(a.lost);
  const base: ShArray = a ?? { assoc: false, items: new Map() };
  const key = arrayKey(w, p, base, index);
  if (key === null) return unknown(`\${${name}[…]}`);
  if (a) return a.items.get(key) ?? null;
  return key === "0" ? param(w, p, name) : null;
}

/** The operators of ${x…} applied to the value v (null: unset): slices, replacement, defaults, trims. */
function applyOps(w: World, p: Path, pe: ShNode, name: string, v: Word | null): Word {
  if (pe.slice) {
    if (v === null) return [];
    const k = known(v);
    const off = known(arith(w, p, pe.slice.offset));
    const len = pe.slice.length ? known(arith(w, p, pe.slice.length)) : null;
    if (k === null || off === null || (pe.slice.length && len === null)) return unknown(`\${${name}:…}`);
    let o = Number(off);
    if (o < 0) o = Math.max(0, k.length + o);
    if (len === null) return lit(k.slice(o));
    const n = Number(len);
    // a negative length is an offset from the end
    return lit(n >= 0 ? k.substr(o, n) : k.slice(o, Math.max(o, k.length + n)));
  }
  if (pe.repl) {
    const k = v ? known(v) : "";
    let pat = pe.repl.orig ? expandPattern(w, p, pe.repl.orig) : "";
    const with_ = pe.repl.with ? expandOne(w, p, pe.repl.with) : [];
    // bash 5.2 replaces & in the replacement with the match (patsub_replacement): not followed here
    if (k === null || pat === null || k.length > MAX_REPLACE || with_.some((x) => typeof x === "string" && x.includes("&"))) return unknown(`\${${name}/…}`);
    const first = pe.repl.orig?.parts?.[0];
    const anchor = nodeType(first) === "Lit" && /^[#%]/.test(first.value) ? (first.value[0] as "#" | "%") : null;
    if (anchor) pat = pat.slice(1);
    return replacePattern(k, pat, anchor, pe.repl.all, with_);
  }
  if (pe.exp) {
    const op: number = pe.exp.op;
    const arg = () => (pe.exp.word ? expandOne(w, p, pe.exp.word) : lit(""));
    const isUnset = v === null;
    const isEmpty = v !== null && known(v) === "";
    const vUnknown = v !== null && isUnknown(v) && v.length === 1;
    switch (op) {
      case 71: // :-
      case 70: // -
        if (vUnknown) return concatAlternatives(v!, arg(), op === 71);
        return isUnset || (op === 71 && isEmpty) ? arg() : v!;
      case 75: // :=
      case 74: // =
        if (isUnset || (op === 75 && isEmpty)) {
          const a = arg();
          setVar(sh(p), name, a);
          return a;
        }
        if (vUnknown) return concatAlternatives(v!, arg(), op === 75);
        return v!;
      case 69: // :+
      case 68: // +
        if (vUnknown) return unknown(`\${${name}:+…}`);
        return isUnset || (op === 69 && isEmpty) ? [] : arg();
      case 73: // :?
      case 72: // ?
        return v ?? [];
      case 78: // #
      case 79: // ##
      case 76: // %
      case 77: {
        // %%
        const k = v ? known(v) : "";
        const pat = pe.exp.word ? expandPattern(w, p, pe.exp.word) : "";
        if (k === null || pat === null) return unknown(`\${${name}${op === 78 ? "#" : op === 79 ? "##" : op === 76 ? "%" : "%%"}…}`);
        return lit(trimPattern(k, pat, op));
      }
      case 80:
      case 81:
      case 82:
      case 83: {
        const k = v ? known(v) : "";
        if (k === null) return unknown(`\${${name}^…}`);
        return lit(op <= 81 ? k.toUpperCase() : k.toLowerCase());
      }
    }
  }
  return v ?? [];
}

/** `${DEBUG:-x}` where DEBUG is only known at run time: the value is unknown, described by both. */
function concatAlternatives(v: Word, alt: Word, colon: boolean): Word {
  const name = typeof v[0] !== "string" ? v[0]!.u : show(v);
  return unknown(`${name.startsWith("$") ? "${" + name.slice(1) : "${" + name}${colon ? ":-" : "-"}${show(alt)}}`);
}

/** Values longer than this are not searched for ${x/p/r} (each position is a pattern match). */
const MAX_REPLACE = 4096;

/**
 * ${x/p/r}, ${x//p/r}, ${x/#p/r}, ${x/%p/r}: the longest match of the pattern, the first or each one (at
 * the start, at the end); the replacement may be only known at run time.
 */
function replacePattern(k: string, pat: string, anchor: "#" | "%" | null, all: boolean, rep: Word): Word {
  if (pat === "") return lit(k);
  const wc = wildcard(pat, { slash: true });
  if (anchor === "#") {
    const m = wc.prefixes(k);
    for (let j = k.length; j >= 0; j--) if (m[j]) return concat(rep, lit(k.slice(j)));
    return lit(k);
  }
  if (anchor === "%") {
    const m = wc.suffixes(k);
    for (let i = 0; i <= k.length; i++) if (m[i]) return concat(lit(k.slice(0, i)), rep);
    return lit(k);
  }
  let out: Word = [];
  let i = 0;
  while (i < k.length) {
    const m = wc.prefixes(k.slice(i));
    let j = m.length - 1;
    while (j > 0 && !m[j]) j--;
    if (j > 0) {
      out = concat(out, rep);
      i += j;
      if (!all) break;
    } else out = concat(out, lit(k[i++]!));
  }
  return concat(out, lit(k.slice(i)));
}

/** ${x#p} ${x##p} ${x%p} ${x%%p}: which prefixes (suffixes) match is computed in one pass. */
function trimPattern(s: string, pat: string, op: number): string {
  const w = wildcard(pat, { slash: true });
  if (op === 78 || op === 79) {
    const m = w.prefixes(s);
    if (op === 78) for (let i = 0; i <= s.length; i++) if (m[i]) return s.slice(i); // shortest
    if (op === 79) for (let i = s.length; i >= 0; i--) if (m[i]) return s.slice(i); // longest
    return s;
  }
  const m = w.suffixes(s);
  if (op === 76) for (let i = s.length; i >= 0; i--) if (m[i]) return s.slice(0, i); // shortest
  if (op === 77) for (let i = 0; i <= s.length; i++) if (m[i]) return s.slice(0, i); // longest
  return s;
}

/** $(…): the output of the few commands whose output is known (output.ts), without trailing newlines. */
function cmdSubst(w: World, p: Path, cs: ShNode): Word {
  const stmts = cs.stmts ?? [];
  if (stmts.length === 1 && nodeType(stmts[0].cmd) === "CallExpr" && !stmts[0].background && !stmts[0].negated && !(stmts[0].cmd.assigns ?? []).length) {
    const argv = (stmts[0].cmd.args ?? []).map((a: ShNode) => known(expandOne(w, p, a)));
    const out = knownOutput(w, p, argv);
    if (out) {
      const last = out[out.length - 1];
      if (typeof last === "string") return norm([...out.slice(0, -1), last.replace(/\n+$/, "")]);
      return out;
    }
  }
  const text = stmts.length ? "$(…)" : "$()";
  return stmts.length ? unknown(text) : [];
}

/** The binary operators of $((…)) by mvdan-sh's operator code (fast-parse.ts lists them). */
const BINARY_ARITH: Record<number, (a: number, b: number) => number> = {
  68: (a, b) => a + b, 70: (a, b) => a - b, 38: (a, b) => a * b, 85: (a, b) => Math.trunc(a / b), 76: (a, b) => a % b,
  40: (a, b) => Number(a === b), 41: (a, b) => Number(a !== b), 56: (a, b) => Number(a < b), 54: (a, b) => Number(a > b),
  42: (a, b) => Number(a <= b), 43: (a, b) => Number(a >= b), 10: (a, b) => Number(!!a && !!b), 11: (a, b) => Number(!!a || !!b),
};

/** Assignment operators of $((…)) (mvdan-sh's codes): = += -= *= /= %=, with the binary operator they apply. */
const ASSIGN_ARITH: Record<number, number | null> = { 74: null, 44: 68, 45: 70, 46: 38, 47: 85, 48: 76 };

/**
 * $((…)), and the arithmetic of ((…)), for ((…)) and array indexes: integers, variables (unset is 0),
 * the usual operators, assignments and ++/-- (which set the variable). Unknown when an operand is.
 */
export function arith(w: World, p: Path, x: ShNode): Word {
  const u = unknown("$((…))");
  if (!x) return lit("0");
  const t = nodeType(x);
  if (t === "Word") {
    const v = known(expandOne(w, p, x));
    if (v === null) return u;
    if (/^-?\d+$/.test(v)) return lit(String(Number(v)));
    if (/^[A-Za-z_]\w*$/.test(v)) {
      const pv = param(w, p, v);
      const k = pv ? known(pv) : "0";
      return k !== null && /^-?\d+$/.test(k) ? lit(String(Number(k))) : k === "" ? lit("0") : u;
    }
    return u;
  }
  if (t === "BinaryArithm" && x.op in ASSIGN_ARITH) {
    const name = nodeType(x.x) === "Word" ? x.x.lit : null;
    if (!name || !/^[A-Za-z_]\w*$/.test(name)) return u;
    const op = ASSIGN_ARITH[x.op];
    const v = op === null ? arith(w, p, x.y) : arith(w, p, { type: "BinaryArithm", op, x: x.x, y: x.y });
    setVar(sh(p), name, v);
    return v;
  }
  if (t === "UnaryArithm" && (x.op === 36 || x.op === 37)) {
    // ++ and --, before or after the variable
    const name = nodeType(x.x) === "Word" ? x.x.lit : null;
    if (!name || !/^[A-Za-z_]\w*$/.test(name)) return u;
    const old = known(arith(w, p, x.x));
    if (old === null) {
      setVar(sh(p), name, u);
      return u;
    }
    const now = String(Number(old) + (x.op === 36 ? 1 : -1));
    setVar(sh(p), name, lit(now));
    return lit(x.post ? old : now);
  }
  if (t === "BinaryArithm" && x.op === 82) {
    arith(w, p, x.x);
    return arith(w, p, x.y);
  }
  if (t === "BinaryArithm" && x.op === 72 && nodeType(x.y) === "BinaryArithm" && x.y.op === 87) {
    // c ? a : b
    const c = known(arith(w, p, x.x));
    if (c === null) return u;
    return arith(w, p, Number(c) ? x.y.x : x.y.y);
  }
  if (t === "BinaryArithm") {
    const a = known(arith(w, p, x.x));
    const b = known(arith(w, p, x.y));
    if (a === null || b === null) return u;
    const A = Number(a);
    const B = Number(b);
    const f = BINARY_ARITH[x.op];
    if ((x.op === 85 || x.op === 76) && B === 0) return u; // division by zero: an error
    return f ? lit(String(f(A, B))) : u;
  }
  if (t === "UnaryArithm" && [34, 35, 68, 70].includes(x.op)) {
    const a = known(arith(w, p, x.x));
    if (a === null) return u;
    const A = Number(a);
    return lit(String(x.op === 34 ? Number(!A) : x.op === 35 ? ~A : x.op === 70 ? -A : A));
  }
  if (t === "ParenArithm") return arith(w, p, x.x);
  return u;
}
