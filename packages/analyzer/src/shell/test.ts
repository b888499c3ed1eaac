// test, [ ] and [[ ]]: true, false, or a condition in words when it depends on run-time values.
import { type ShNode, nodeType } from "../syntax/parse.js";
import { type Word, globMatch, known, lit, show, unknown } from "../values.js";
import type { Path, World } from "../world.js";
import { expandOne, expandPattern } from "./expand.js";

export type Tri = { v: boolean } | { u: { yes: string; no: string } };

export function setTestStatus(p: Path, r: Tri) {
  if ("v" in r) {
    p.status = r.v ? 0 : 1;
    p.statusDesc = null;
  } else {
    p.status = null;
    p.statusDesc = r.u;
  }
}

export function describe(word: Word): { name: string | null; text: string } {
  if (word.length === 1 && typeof word[0] !== "string" && /^\$[A-Za-z_]\w*$/.test(word[0]!.u)) return { name: word[0]!.u.slice(1), text: word[0]!.u };
  return { name: null, text: `"${show(word)}"` };
}

function emptyTest(x: Word, wantEmpty: boolean): Tri {
  const k = known(x);
  if (k !== null) return { v: (k === "") === wantEmpty };
  // Known non-empty parts make it non-empty whatever the unknown part is.
  if (x.some((part) => typeof part === "string" && part !== "")) return { v: !wantEmpty };
  const d = describe(x);
  const empty = d.name ? `${d.name} is empty or unset` : `${d.text} is empty`;
  const set = d.name ? `${d.name} is set` : `${d.text} is not empty`;
  return { u: wantEmpty ? { yes: empty, no: set } : { yes: set, no: empty } };
}

export function compare(a: Word, b: Word, op: string, pattern = false): Tri {
  const ka = known(a);
  const kb = known(b);
  const eq = op === "=" || op === "==";
  if (ka !== null && kb !== null) {
    const same = pattern ? globMatch(kb, ka) : ka === kb;
    if (op === "=" || op === "==") return { v: same };
    if (op === "!=") return { v: !same };
    const na = Number(ka);
    const nb = Number(kb);
    const r: Record<string, boolean> = { "-eq": na === nb, "-ne": na !== nb, "-lt": na < nb, "-le": na <= nb, "-gt": na > nb, "-ge": na >= nb };
    if (op in r && Number.isFinite(na) && Number.isFinite(nb)) return { v: r[op]! };
    return { u: { yes: `${ka} ${op} ${kb}`, no: `not ${ka} ${op} ${kb}` } };
  }
  // A known prefix that already differs decides equality.
  if ((eq || op === "!=") && typeof a[0] === "string" && kb !== null && !pattern && !kb.startsWith(a[0])) return { v: op === "!=" };
  const da = describe(a);
  const text = kb !== null ? `"${kb}"` : `"${show(b)}"`;
  const subject = da.name ?? da.text;
  if (eq) return { u: { yes: `${subject} is ${text}`, no: `${subject} is not ${text}` } };
  if (op === "!=") return { u: { yes: `${subject} is not ${text}`, no: `${subject} is ${text}` } };
  return { u: { yes: `${subject} ${op} ${text}`, no: `not ${subject} ${op} ${text}` } };
}

function fileTest(op: string, x: Word): Tri {
  const path = show(x);
  const what: Record<string, string> = { "-f": "is a file", "-d": "is a directory", "-e": "exists", "-s": "is not empty", "-x": "is executable", "-r": "is readable", "-w": "is writable", "-L": "is a symlink", "-h": "is a symlink", "-p": "is a pipe", "-S": "is a socket", "-t": "is a terminal" };
  const desc = what[op] ?? `passes ${op}`;
  if (op === "-t") return { v: false };
  return { u: { yes: `${path} ${desc}`, no: `${path} does not ${desc.replace(/^is /, "be ").replace(/^exists$/, "exist")}` } };
}

export function posixTest(args: Word[]): Tri {
  const k = args.map(known);
  if (args.length === 0) return { v: false };
  if (k[0] === "!" && args.length > 1) return not(posixTest(args.slice(1)));
  const ai = k.indexOf("-a");
  if (ai > 0) return and(posixTest(args.slice(0, ai)), posixTest(args.slice(ai + 1)));
  const oi = k.indexOf("-o");
  if (oi > 0) return or(posixTest(args.slice(0, oi)), posixTest(args.slice(oi + 1)));
  if (args.length === 1) return emptyTest(args[0]!, false);
  if (args.length === 2) {
    if (k[0] === "-z") return emptyTest(args[1]!, true);
    if (k[0] === "-n") return emptyTest(args[1]!, false);
    if (k[0] && /^-[a-zA-Z]$/.test(k[0])) return fileTest(k[0], args[1]!);
  }
  if (args.length === 3 && k[1] !== null && ["=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge"].includes(k[1]!)) return compare(args[0]!, args[2]!, k[1]!);
  return { u: { yes: `[ ${args.map(show).join(" ")} ] is true`, no: `[ ${args.map(show).join(" ")} ] is false` } };
}

export function not(r: Tri): Tri {
  return "v" in r ? { v: !r.v } : { u: { yes: r.u.no, no: r.u.yes } };
}
export function and(a: Tri, b: Tri): Tri {
  if ("v" in a && !a.v) return a;
  if ("v" in b && !b.v) return b;
  if ("v" in a) return b;
  if ("v" in b) return a;
  return { u: { yes: `${a.u.yes} and ${b.u.yes}`, no: `not (${a.u.yes} and ${b.u.yes})` } };
}
export function or(a: Tri, b: Tri): Tri {
  if ("v" in a && a.v) return a;
  if ("v" in b && b.v) return b;
  if ("v" in a) return b;
  if ("v" in b) return a;
  return { u: { yes: `${a.u.yes} or ${b.u.yes}`, no: `neither ${a.u.yes} nor ${b.u.yes}` } };
}

export function testExpr(w: World, p: Path, x: ShNode): Tri {
  const t = nodeType(x);
  if (t === "BinaryTest") {
    if (x.op === 10) return and(testExpr(w, p, x.x), testExpr(w, p, x.y));
    if (x.op === 11) return or(testExpr(w, p, x.x), testExpr(w, p, x.y));
    const a = expandOne(w, p, x.x);
    const opName: Record<number, string> = { 40: "==", 74: "=", 41: "!=", 116: "-eq", 117: "-ne", 120: "-lt", 121: "-gt", 118: "-le", 119: "-ge" };
    const op = opName[x.op];
    if (op === "==" || op === "=" || op === "!=") {
      const pat = expandPattern(w, p, x.y);
      return compare(a, pat === null ? unknown("(pattern)") : lit(pat), op, true);
    }
    if (op) return compare(a, expandOne(w, p, x.y), op);
    return { u: { yes: "the [[ ]] test is true", no: "the [[ ]] test is false" } };
  }
  if (t === "UnaryTest") {
    if (x.op === 34) return not(testExpr(w, p, x.x));
    const v = expandOne(w, p, x.x);
    if (x.op === 107) return emptyTest(v, true);
    if (x.op === 108) return emptyTest(v, false);
    const ops: Record<number, string> = { 89: "-f", 88: "-e", 90: "-d", 104: "-x", 102: "-r", 105: "-s", 95: "-L" };
    return fileTest(ops[x.op] ?? "-e", v);
  }
  if (t === "ParenTest") return testExpr(w, p, x.x);
  if (t === "Word") return emptyTest(expandOne(w, p, x), false);
  return { u: { yes: "the [[ ]] test is true", no: "the [[ ]] test is false" } };
}
