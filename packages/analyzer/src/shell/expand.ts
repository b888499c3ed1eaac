// Word expansion: parameters, "$@", ${a[@]} and the other array expansions, field splitting, quote removal,
// ${…} operators, $(…) for the few commands whose output is known (output.ts). Variables and arrays are
// in variables.ts, arithmetic in arith.ts.
import { wildcard } from "@audit-image/dockerfile";
import { bare } from "../names.js";
import { type ShNode, nodeType } from "../syntax/parse.js";
import type { SourceLoc } from "../types.js";
import { type Word, concat, isUnknown, known, lit, norm, show, unknown } from "../values.js";
import { type Path, type ShArray, type World, noteTruncated, sh } from "../world.js";
import { arith } from "./arith.js";
import { knownOutput } from "./output.js";
import { lookupVar, setVar, arrayKey } from "./variables.js";

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
export function expandFields(w: World, p: Path, word: ShNode, here: SourceLoc | null): Word[] {
  const fields: { w: Word; keep: boolean }[] = [{ w: [], keep: false }];
  const cur = () => fields[fields.length - 1]!;
  // What this word adds to the analysis' budget on values (see FREE_BYTES): checked as it grows, so that
  // a word of many huge parts stops before it is built.
  const room = w.limits.maxValueBytes - w.valueBytes + FREE_BYTES;
  let size = 0;
  const text = (v: Word) => {
    const c = cur();
    for (const x of v) {
      if (x === "") continue;
      size += typeof x === "string" ? x.length : x.u.length;
      c.w.push(x);
    }
    if (c.w.length) c.keep = true;
  };
  const brk = () => {
    size += FIELD_BYTES;
    fields.push({ w: [], keep: false });
  };
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
    if (size > room) break;
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
        if (size > room) return;
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
  if (size > room) return [overBudget(w, p)];
  w.valueBytes += Math.max(0, size + FIELD_BYTES - FREE_BYTES);
  return fields.filter((f) => f.keep).map((f) => norm(f.w));
}

/** What a field costs in the budget on values, besides its text (so that "$@" multiplied is counted). */
const FIELD_BYTES = 64;
/**
 * What an expansion may make without being charged: the budget is for values that grow, and the many
 * small expansions of a long script (50,000 steps on 32 paths) must not use it up.
 */
const FREE_BYTES = 1024;

/**
 * An expansion that would take the analysis past its budget on the size of values (limits.maxValueBytes):
 * its value is unknown, and the analysis says where it was cut short.
 */
function overBudget(w: World, p: Path): Word {
  noteTruncated(w, `the values the script builds grew past ${w.limits.maxValueBytes} bytes (a value that doubles, or "$@" multiplied); larger values were taken as unknown`, p, w.line);
  return unknown("(a value too large to follow)");
}

/** Expands one word without field splitting (assignments, case subjects, [[ ]] operands). */
export function expandOne(w: World, p: Path, word: ShNode): Word {
  const out: Word = [];
  const room = w.limits.maxValueBytes - w.valueBytes + FREE_BYTES;
  let size = FIELD_BYTES;
  const add = (v: Word | string) => {
    for (const x of typeof v === "string" ? [v] : v) {
      size += typeof x === "string" ? x.length : x.u.length;
      out.push(x);
    }
  };
  for (const part of word?.parts ?? []) {
    if (size > room) break;
    const t = nodeType(part);
    if (t === "Lit") add(unescape(part.value, false));
    else if (t === "SglQuoted") add(part.dollar ? ansiC(part.value) : part.value);
    else if (t === "DblQuoted") for (const q of part.parts ?? []) add(expandPart(w, p, q, true));
    else add(expandPart(w, p, part, false));
  }
  if (size > room) return overBudget(w, p);
  w.valueBytes += Math.max(0, size - FREE_BYTES);
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
  const part = v[0]!;
  const name = typeof part !== "string" ? part.u : show(v);
  // A value that is surely not empty is its own default: `X=${X:-true}` run again (once per branch that
  // enables a feature) gave ${{X:-true}:-true}, a new value each time, and a path per run of it.
  if (colon && typeof part !== "string" && (part.nonEmpty || /^\$\{[A-Za-z_][A-Za-z0-9_]*:-[^$`\\{}]+\}$/.test(part.u))) return v;
  // The variable itself ($X, ${X}, ${X:-}, ${X-}): ${X:-alt}, never ${{X:-}:-alt}.
  const base = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(name)?.[1] ?? (colon ? /^\$\{([A-Za-z_][A-Za-z0-9_]*):?-\}$/.exec(name)?.[1] : undefined);
  if (base) return unknown(`\${${base}${colon ? ":-" : "-"}${show(alt)}}`);
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
    // its words are expanded as a command's are: "$@" is one field per parameter, an unquoted value splits
    const argv = (stmts[0].cmd.args ?? []).flatMap((a: ShNode) => expandFields(w, p, a, null)).map((f: Word) => known(f));
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
