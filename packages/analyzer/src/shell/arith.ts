// Shell arithmetic: $((…)), ((…)), for ((…)) and array indexes.
import { type ShNode, nodeType } from "../syntax/parse.js";
import { type Word, known, lit, unknown } from "../values.js";
import { type Path, type World, sh } from "../world.js";
import { expandOne, param } from "./expand.js";
import { setVar } from "./variables.js";

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
