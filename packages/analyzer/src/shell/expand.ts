// Variables and word expansion: parameters, "$@", field splitting, ${…} operators, $(…) for the few
// commands whose output is known, $((…)).
import { wildcard } from "@audit-image/dockerfile";
import { bare } from "../names.js";
import { type ShNode, nodeType } from "../syntax/parse.js";
import type { SourceLoc } from "../types.js";
import { type Word, concat, isUnknown, known, lit, norm, show, unknown } from "../values.js";
import { type Path, type Sh, type World, sh } from "../world.js";

export function lookupVar(s: Sh, name: string): Word | null | undefined {
  return s.vars.get(name);
}

export function setVar(s: Sh, name: string, v: Word) {
  s.vars.set(name, norm(v));
}

const SPECIAL_UNKNOWN: Record<string, string> = { "?": "$?", "$": "$$", "-": "$-" };

/** The value of a parameter: a word, null when unset. */
export function param(w: World, p: Path, name: string): Word | null {
  const s = sh(p);
  if (name === "@" || name === "*") return s.positional.length ? s.positional.reduce((a, b, i) => (i ? concat(concat(a, lit(" ")), b) : b), [] as Word) : null;
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

/** Expands command arguments: parameter expansion, "$@", field splitting of unquoted expansions. */
export function expandArgs(w: World, p: Path, words: ShNode[], here: SourceLoc): Word[] {
  const out: Word[] = [];
  for (const word of words) {
    const fields = expandFields(w, p, word, here);
    for (const f of fields) out.push(f);
  }
  return out;
}

function expandFields(w: World, p: Path, word: ShNode, here: SourceLoc): Word[] {
  // Each field is built of pieces; unquoted expansion results split on blanks.
  let fields: Word[] = [[]];
  let started = false;
  const appendText = (part: Word) => {
    fields[fields.length - 1] = concat(fields[fields.length - 1]!, part);
    started = true;
  };
  const appendSplit = (v: Word) => {
    // Split known text on IFS whitespace; unknown parts stay inside their field.
    for (const part of v) {
      if (typeof part !== "string") {
        appendText([part]);
        continue;
      }
      const pieces = part.split(/[ \t\n]+/);
      pieces.forEach((piece, i) => {
        if (i > 0 && (fields[fields.length - 1]!.length || started)) {
          fields.push([]);
          started = false;
        }
        if (piece !== "") appendText(lit(piece));
      });
    }
  };
  for (const part of word.parts ?? []) {
    const t = nodeType(part);
    if (t === "Lit") appendText(lit(part.value));
    else if (t === "SglQuoted") {
      appendText(lit(part.dollar ? ansiC(part.value) : part.value));
      started = true;
    } else if (t === "DblQuoted") {
      const onlyEmptyAt = (part.parts ?? []).length > 0 && (part.parts ?? []).every((q: ShNode) => nodeType(q) === "ParamExp" && q.param === "@" && !q.length && !q.exp) && sh(p).positional.length === 0;
      if (!onlyEmptyAt) started = true;
      for (const q of part.parts ?? []) {
        const qt = nodeType(q);
        if (qt === "ParamExp" && !q.length && !q.excl && !q.exp && !q.slice && !q.repl && !q.index && q.param === "@") {
          // "$@": one field per positional parameter.
          const pos = sh(p).positional;
          if (pos.length === 0) continue;
          pos.forEach((v, i) => {
            if (i > 0) fields.push([]);
            appendText(v);
          });
        } else appendText(expandPart(w, p, q, true));
      }
    } else if (t === "ParamExp") {
      if ((part.param === "@" || part.param === "*") && !part.length && !part.exp) {
        w.issues.push({ kind: "unquoted-args", file: here.file, line: here.line, column: part.col, param: part.param });
        for (const v of sh(p).positional) {
          appendSplit(v);
          fields.push([]);
          started = false;
        }
        if (!fields[fields.length - 1]!.length) fields.pop();
        if (fields.length === 0) fields = [[]];
        continue;
      }
      const v = expandPart(w, p, part, false);
      appendSplit(v);
    } else appendSplit(expandPart(w, p, part, false));
  }
  return fields.filter((f, i) => f.length > 0 || (started && i === fields.length - 1)).map(norm);
}

/** Expands one word without field splitting (assignments, case subjects, [[ ]] operands). */
export function expandOne(w: World, p: Path, word: ShNode): Word {
  const out: Word = [];
  for (const part of word?.parts ?? []) {
    const t = nodeType(part);
    if (t === "Lit") out.push(part.value);
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

const ansiC = (s: string) => s.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\'/g, "'").replace(/\\\\/g, "\\");

function expandPart(w: World, p: Path, part: ShNode, quoted: boolean): Word {
  const t = nodeType(part);
  switch (t) {
    case "Lit":
      return lit(part.value);
    case "SglQuoted":
      return lit(part.value);
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

export function paramExp(w: World, p: Path, pe: ShNode): Word {
  const name: string = pe.param;
  if (pe.index && name === "FUNCNAME") {
    const s = sh(p);
    const idx = known(expandOne(w, p, { parts: [pe.index] }) ?? []) ?? "";
    const stack = [...s.funcStack].reverse().concat(s.cMode !== null ? [] : ["main"]);
    if (/^\d+$/.test(idx)) return stack[Number(idx)] !== undefined ? lit(stack[Number(idx)]!) : [];
  }
  if (pe.length) {
    if (name === "FUNCNAME") return lit(String(sh(p).funcStack.length + 1));
    if (name === "@" || name === "*") return lit(String(sh(p).positional.length));
    const v = param(w, p, name);
    const k = v ? known(v) : "";
    return k === null ? unknown(`\${#${name}}`) : lit(String(k.length));
  }
  let v = param(w, p, name);
  if (pe.excl) {
    const target = v ? known(v) : null;
    if (target === null) return unknown(`\${!${name}}`);
    v = param(w, p, target);
  }
  if (pe.slice) {
    if (v === null) return [];
    const k = known(v);
    const off = known(arith(w, p, pe.slice.offset));
    const len = pe.slice.length ? known(arith(w, p, pe.slice.length)) : null;
    if (k === null || off === null) return unknown(`\${${name}:…}`);
    let o = Number(off);
    if (o < 0) o = Math.max(0, k.length + o);
    const l = len === null ? undefined : Number(len);
    return lit(k.substr(o, l));
  }
  if (pe.repl) {
    const k = v ? known(v) : "";
    const orig = pe.repl.orig ? known(expandOne(w, p, pe.repl.orig)) : "";
    const with_ = pe.repl.with ? known(expandOne(w, p, pe.repl.with)) : "";
    if (k === null || orig === null || with_ === null) return unknown(`\${${name}/…}`);
    return lit(pe.repl.all ? k.split(orig).join(with_) : k.replace(orig, with_));
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

function cmdSubst(w: World, p: Path, cs: ShNode): Word {
  const stmts = cs.stmts ?? [];
  const s = sh(p);
  if (stmts.length === 1 && nodeType(stmts[0].cmd) === "CallExpr") {
    const argv = (stmts[0].cmd.args ?? []).map((a: ShNode) => known(expandOne(w, p, a)));
    if (argv[0] === "id" && (argv[1] === "-u" || argv[1] === "-un" || argv[1] === "-nu")) {
      const user = s.proc.user;
      const numeric = argv[1] === "-u";
      if (user === "root" || user === "0" || user === "" || user.startsWith("0:") || user.startsWith("root:")) return lit(numeric ? "0" : "root");
      if (/^\d+/.test(user)) return lit(numeric ? user.split(":")[0]! : `<user ${user}>`);
      return lit(numeric ? `<uid of ${user}>` : user.split(":")[0]!);
    }
    if (argv[0] === "whoami") {
      const user = s.proc.user;
      return lit(user === "" || user === "0" ? "root" : user.split(":")[0]!);
    }
    if ((argv[0] === "echo" || argv[0] === "printf") && argv.slice(1).every((a: string | null) => a !== null)) return lit(argv.slice(argv[0] === "printf" ? 1 : 1).join(" "));
    if (argv[0] === "dirname" && argv[1]) return lit(argv[1].replace(/\/[^/]*$/, "") || "/");
    if (argv[0] === "basename" && argv[1]) return lit(bare(argv[1]));
  }
  const text = stmts.length ? "$(…)" : "$()";
  return unknown(text);
}

export function arith(w: World, p: Path, x: ShNode): Word {
  if (!x) return lit("0");
  const t = nodeType(x);
  if (t === "Word") {
    const v = known(expandOne(w, p, x));
    if (v === null) return unknown("$((…))");
    if (/^-?\d+$/.test(v)) return lit(v);
    if (/^[A-Za-z_]\w*$/.test(v)) {
      const pv = param(w, p, v);
      const k = pv ? known(pv) : "0";
      return k !== null && /^-?\d+$/.test(k) ? lit(k) : unknown("$((…))");
    }
    return unknown("$((…))");
  }
  if (t === "BinaryArithm") {
    const a = known(arith(w, p, x.x));
    const b = known(arith(w, p, x.y));
    if (a === null || b === null) return unknown("$((…))");
    const A = Number(a);
    const B = Number(b);
    const ops: Record<number, (a: number, b: number) => number> = { 68: (a, b) => a + b, 70: (a, b) => a - b, 38: (a, b) => a * b, 85: (a, b) => (b ? Math.trunc(a / b) : 0) };
    const f = ops[x.op];
    return f ? lit(String(f(A, B))) : unknown("$((…))");
  }
  if (t === "ParenArithm") return arith(w, p, x.x);
  return unknown("$((…))");
}
