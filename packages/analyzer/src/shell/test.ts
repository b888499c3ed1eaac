// test, [ ] and [[ ]]: true, false, or a condition in words when it depends on run-time values.
//
// The words are the report's: a condition reads as a person writes it ("POSTGRES_PASSWORD is set",
// "/data/PG_VERSION does not exist or is empty", "the output of `id -u` is "0""), never as the shell's
// text of an unknown value. Every operator has its own yes and no sentence.
import { type ShNode, nodeType } from "../syntax/parse.js";
import { type Word, globMatch, known, lit, show, unknown } from "../values.js";
import { type EqTest, type Path, type World, factDecides } from "../world.js";
import { expandOne, expandPattern, param } from "./expand.js";
import { type FileOracle, imageFileOracle } from "./image-files.js";

/**
 * A test's result: known, or a condition with its two sentences. `stable`: it depends only on run-time
 * inputs that cannot change while the container runs (variables of the environment, arguments), so the
 * same sentence later on the same path has the same truth.
 */
export type Tri = { v: boolean } | { u: Sentences };
export interface Sentences {
  yes: string;
  no: string;
  stable?: boolean;
  /** A test of a word against a literal (see Path.facts): a path that knows the word's value decides it. */
  eq?: EqTest;
  /** The sentence joins others with "and" or "or": inside the other join it needs parentheses. */
  yesJoin?: Join;
  noJoin?: Join;
}
type Join = "and" | "or";

/**
 * The status of a test. A stable condition that the path already assumed (or assumed false) is decided:
 * the path does not fork again on it (a script that re-execs itself tests the same variables twice).
 */
export function setTestStatus(p: Path, r: Tri) {
  if ("u" in r && r.u.eq) {
    const d = factDecides(p, r.u.eq.subject, r.u.eq.value);
    if (d !== null) r = { v: d === r.u.eq.yesIsEqual };
  }
  if ("u" in r) {
    const yes = paren(r.u.yes, r.u.yesJoin, "and");
    const no = paren(r.u.no, r.u.noJoin, "and");
    remember(yes, no, !!r.u.stable);
    if (r.u.stable && p.conds.includes(yes)) r = { v: true };
    else if (r.u.stable && p.conds.includes(no)) r = { v: false };
  }
  if ("v" in r) {
    p.status = r.v ? 0 : 1;
    p.statusDesc = null;
  } else {
    // A path's conditions are joined with "and": a disjunction keeps its parentheses there.
    p.status = null;
    p.statusDesc = { yes: paren(r.u.yes, r.u.yesJoin, "and"), no: paren(r.u.no, r.u.noJoin, "and"), ...(r.u.eq ? { eq: r.u.eq } : {}) };
  }
}

/**
 * The opposite of each condition sentence made here, and whether it is stable: the scenarios' conditions
 * are simplified with it ("A and B, or A and not B" is "A"). A sentence always has the same opposite, so
 * the table is shared by all analyses; it is bounded.
 */
const OPPOSITES = new Map<string, { text: string; stable: boolean }>();
const MAX_OPPOSITES = 20_000;

function remember(yes: string, no: string, stable: boolean) {
  if (OPPOSITES.has(yes)) return;
  if (OPPOSITES.size >= MAX_OPPOSITES) OPPOSITES.clear();
  OPPOSITES.set(yes, { text: no, stable });
  OPPOSITES.set(no, { text: yes, stable });
}

/** The opposite of a condition sentence of a test, when it is stable (a variable's value, an argument). */
export function stableOpposite(cond: string): string | null {
  const o = OPPOSITES.get(cond);
  return o && o.stable ? o.text : null;
}

/**
 * The text that identifies a word's run-time value on a path (Path.facts), or null: a word whose unknown
 * parts only name variables of the run-time environment and arguments, which do not change while the
 * script runs, and with no text left out (…) or command output (which may differ each time it is run).
 */
export function factSubject(word: Word): string | null {
  if (!word.some((x) => typeof x !== "string")) return null;
  for (const x of word) if (typeof x !== "string" && (x.cmd !== undefined || /…|\$\(|`|^\(|^\$[?$!#-]$/.test(x.u))) return null;
  return show(word);
}

/** What a word is, for a sentence about it. */
export interface Subject {
  /** "POSTGRES_PASSWORD", "$1", "the output of `id -u`", "a command's output", or the word in quotes. */
  text: string;
  /** var: a variable or an argument (its emptiness reads "is set" / "is empty or unset"). */
  kind: "var" | "output" | "text";
  /** `${X:-d}` / `${X-d}` with a literal d: the value when X is empty (colon) or unset. */
  fallback?: { value: string; colon: boolean };
  /** `${X:+…}`: its emptiness is X's, its value is not known (the text, for a comparison). */
  alternate?: string;
  stable: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One unknown part, as its expansion's text says (values.ts): `$X`, `${X:-}`, `$(…)`, `$1`… */
function describePart(u: string): Subject {
  let m = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(u) ?? /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(u);
  if (m) return { text: m[1]!, kind: "var", stable: true };
  m = /^\$([0-9])$/.exec(u) ?? /^\$\{([0-9]+)\}$/.exec(u);
  if (m) return { text: `$${m[1]}`, kind: "var", stable: true };
  m = /^\$\{([A-Za-z_][A-Za-z0-9_]*|[0-9]+)(:?)-(.*)\}$/s.exec(u);
  if (m) {
    const name = NAME.test(m[1]!) ? m[1]! : `$${m[1]}`;
    const def = m[3]!;
    if (def === "") return { text: name, kind: "var", stable: true };
    if (!/[$`\\]/.test(def)) return { text: name, kind: "var", fallback: { value: def, colon: m[2] === ":" }, stable: true };
    return { text: `"${u}"`, kind: "text", stable: /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(def) };
  }
  // ${X:+word} (values.ts keeps no word): not empty when X is set, taking the word for a non-empty one.
  m = /^\$\{([A-Za-z_][A-Za-z0-9_]*):\+…\}$/.exec(u);
  if (m) return { text: m[1]!, kind: "var", stable: true, alternate: u };
  m = /^\$\((?!\()(.*)\)$/s.exec(u) ?? /^`(.*)`$/s.exec(u);
  if (m) {
    const inner = m[1]!.trim();
    return { text: inner === "" || inner === "…" ? "a command's output" : `the output of \`${inner}\``, kind: "output", stable: false };
  }
  if (u === "(pattern)") return { text: "a pattern only known at run time", kind: "text", stable: false };
  return { text: `"${u}"`, kind: "text", stable: false };
}

export function describe(word: Word): Subject {
  const parts = word.filter((x) => x !== "");
  if (parts.length === 1 && typeof parts[0] !== "string") return describePart(parts[0]!.u);
  const stable = parts.every((x) => typeof x === "string" || describePart(x.u).kind === "var");
  return { text: `"${show(word)}"`, kind: "text", stable };
}

function emptyTest(x: Word, wantEmpty: boolean): Tri {
  const k = known(x);
  if (k !== null) return { v: (k === "") === wantEmpty };
  // Known non-empty parts make it non-empty whatever the unknown part is.
  if (x.some((part) => (typeof part === "string" ? part !== "" : part.nonEmpty))) return { v: !wantEmpty };
  const d = describe(x);
  if (d.fallback?.colon) return { v: !wantEmpty }; // ${X:-d}: d when X is empty
  let empty: string;
  let set: string;
  if (d.fallback) {
    empty = `${d.text} is set and empty`;
    set = `${d.text} is unset or not empty`;
  } else if (d.kind === "var") {
    empty = `${d.text} is empty or unset`;
    set = `${d.text} is set`;
  } else {
    empty = `${d.text} is empty`;
    set = `${d.text} is not empty`;
  }
  return { u: wantEmpty ? { yes: empty, no: set, stable: d.stable } : { yes: set, no: empty, stable: d.stable } };
}

/** The sentences of `a OP b` for a known right side or a described one. */
const NUMERIC: Record<string, [string, string]> = {
  "-eq": ["is", "is not"],
  "-ne": ["is not", "is"],
  "-lt": ["is less than", "is at least"],
  "-le": ["is at most", "is more than"],
  "-gt": ["is more than", "is at most"],
  "-ge": ["is at least", "is less than"],
};
/** The same comparison with its sides swapped. */
const SWAPPED: Record<string, string> = { "=": "=", "==": "==", "!=": "!=", "-eq": "-eq", "-ne": "-ne", "-lt": "-gt", "-le": "-ge", "-gt": "-lt", "-ge": "-le", "<": ">", ">": "<" };
const GLOB = /[*?[]/;

export function compare(a: Word, b: Word, op: string, pattern = false): Tri {
  const ka = known(a);
  const kb = known(b);
  const eq = op === "=" || op === "==";
  if (op === "-nt" || op === "-ot" || op === "-ef") {
    // File comparisons: only the files at run time decide them.
    const fa = ka ?? describe(a).text;
    const fb = kb ?? describe(b).text;
    if (op === "-nt") return { u: { yes: `${fa} is newer than ${fb}`, no: `${fa} is not newer than ${fb}` } };
    if (op === "-ot") return { u: { yes: `${fa} is older than ${fb}`, no: `${fa} is not older than ${fb}` } };
    return { u: { yes: `${fa} and ${fb} are the same file`, no: `${fa} and ${fb} are not the same file` } };
  }
  if (ka !== null && kb !== null) {
    const same = pattern ? globMatch(kb, ka) : ka === kb;
    if (eq) return { v: same };
    if (op === "!=") return { v: !same };
    if (op === "<") return { v: ka < kb };
    if (op === ">") return { v: ka > kb };
    const na = Number(ka);
    const nb = Number(kb);
    const r: Record<string, boolean> = { "-eq": na === nb, "-ne": na !== nb, "-lt": na < nb, "-le": na <= nb, "-gt": na > nb, "-ge": na >= nb };
    if (op in r && ka.trim() !== "" && kb.trim() !== "" && Number.isFinite(na) && Number.isFinite(nb)) return { v: r[op]! };
    // Not integers: test fails with "integer expression expected" (status 2).
    return { v: false };
  }
  // A known prefix that already differs decides equality.
  if ((eq || op === "!=") && typeof a[0] === "string" && kb !== null && !pattern && !kb.startsWith(a[0])) return { v: op === "!=" };
  // The unknown side first: `[ trust != "$AUTH" ]` reads "AUTH is not "trust"".
  if (ka !== null && kb === null && !pattern && SWAPPED[op]) return compare(b, a, SWAPPED[op]!, false);
  const asValue = (d: Subject): Subject => (d.alternate ? { text: `"${d.alternate}"`, kind: "text", stable: d.stable } : d);
  const da = asValue(describe(a));
  const db = kb === null ? asValue(describe(b)) : null;
  const stable = da.stable && (db === null || db.stable);
  const u = (yes: string, no: string): Tri => ({ u: { yes, no, stable } });
  if (eq || op === "!=") {
    let yes: string;
    let no: string;
    if (db) {
      const both = da.kind === "output" && db.kind === "output" && da.text === db.text;
      yes = both ? "two commands print the same" : `${da.text} is the same as ${db.text}`;
      no = both ? "two commands print different things" : `${da.text} differs from ${db.text}`;
    } else if (pattern && GLOB.test(kb!)) {
      yes = `${da.text} matches ${kb}`;
      no = `${da.text} does not match ${kb}`;
    } else if (da.fallback && (da.fallback.value === kb || (pattern && globMatch(kb!, da.fallback.value)))) {
      // ${X:-trust} = trust: true when X is unset (or empty), as well as when X is "trust".
      const absent = da.fallback.colon ? "empty or unset" : "unset";
      yes = `${da.text} is "${kb}" or ${absent}`;
      no = `${da.text} is set to something other than "${kb}"`;
    } else {
      yes = `${da.text} is "${kb}"`;
      no = `${da.text} is not "${kb}"`;
    }
    const r = eq ? u(yes, no) : u(no, yes);
    // a word compared with a literal (not a pattern): what the path learns from it decides it later
    const key = kb !== null && !db && !(pattern && GLOB.test(kb)) ? factSubject(a) : null;
    if (key !== null && "u" in r) r.u.eq = { subject: key, value: kb!, yesIsEqual: eq };
    return r;
  }
  const rhs = db ? db.text : NUMERIC[op] ? kb! : `"${kb}"`;
  if (NUMERIC[op]) return u(`${da.text} ${NUMERIC[op]![0]} ${rhs}`, `${da.text} ${NUMERIC[op]![1]} ${rhs}`);
  if (op === "<" || op === ">") {
    const w = op === "<" ? "before" : "after";
    return u(`${da.text} sorts ${w} ${rhs}`, `${da.text} does not sort ${w} ${rhs}`);
  }
  return u(`${da.text} ${op} ${rhs} holds`, `${da.text} ${op} ${rhs} does not hold`);
}

/** The unary file operators of test and [[ ]]: what holds, and what holds otherwise. */
const FILE_TESTS: Record<string, [string, string]> = {
  "-e": ["exists", "does not exist"],
  "-a": ["exists", "does not exist"],
  "-f": ["is a regular file", "is not a regular file"],
  "-d": ["is a directory", "is not a directory"],
  "-s": ["exists and is not empty", "does not exist or is empty"],
  "-x": ["is executable", "is not executable"],
  "-r": ["is readable", "is not readable"],
  "-w": ["is writable", "is not writable"],
  "-L": ["is a symbolic link", "is not a symbolic link"],
  "-h": ["is a symbolic link", "is not a symbolic link"],
  "-p": ["is a named pipe", "is not a named pipe"],
  "-S": ["is a socket", "is not a socket"],
  "-b": ["is a block device", "is not a block device"],
  "-c": ["is a character device", "is not a character device"],
  "-g": ["has the set-group-ID bit", "does not have the set-group-ID bit"],
  "-u": ["has the set-user-ID bit", "does not have the set-user-ID bit"],
  "-k": ["has the sticky bit", "does not have the sticky bit"],
  "-O": ["is owned by the user the script runs as", "is not owned by the user the script runs as"],
  "-G": ["is owned by the group the script runs as", "is not owned by the group the script runs as"],
  "-N": ["was modified since it was last read", "was not modified since it was last read"],
};

/** The file tests that say whether a file is there (-e, -f, -d, -s): what each says when it is, and when not. */
export const PRESENCE_TESTS: readonly (readonly [string, string])[] = ["-e", "-f", "-d", "-s"].map((op) => FILE_TESTS[op]!);

export function fileTest(op: string, x: Word, files?: FileOracle): Tri {
  // A container's standard input and output are terminals only under `docker run -t`.
  if (op === "-t") return { v: false };
  const k = known(x);
  if (k !== null && k !== "" && files?.(op, k)) return { v: true };
  const path = k ?? (describe(x).kind === "output" ? describe(x).text : show(x));
  const words = FILE_TESTS[op];
  if (!words) return { u: { yes: `test ${op} ${path} is true`, no: `test ${op} ${path} is false` } };
  return { u: { yes: `${path} ${words[0]}`, no: `${path} ${words[1]}` } };
}

export function posixTest(args: Word[], files?: FileOracle): Tri {
  const k = args.map(known);
  if (args.length === 0) return { v: false };
  if (k[0] === "!" && args.length > 1) return not(posixTest(args.slice(1), files));
  const ai = k.indexOf("-a");
  if (ai > 0 && args.length > 3) return and(posixTest(args.slice(0, ai), files), posixTest(args.slice(ai + 1), files));
  const oi = k.indexOf("-o");
  if (oi > 0 && args.length > 3) return or(posixTest(args.slice(0, oi), files), posixTest(args.slice(oi + 1), files));
  if (args.length === 1) return emptyTest(args[0]!, false);
  if (args.length === 2) {
    if (k[0] === "-z") return emptyTest(args[1]!, true);
    if (k[0] === "-n") return emptyTest(args[1]!, false);
    if (k[0] && /^-[a-zA-Z]$/.test(k[0])) return fileTest(k[0], args[1]!, files);
  }
  if (args.length === 3 && k[1] !== null && ["=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "<", ">", "-nt", "-ot", "-ef"].includes(k[1]!)) return compare(args[0]!, args[2]!, k[1]!);
  if (args.length === 3 && k[1] === "-a") return and(posixTest(args.slice(0, 1), files), posixTest(args.slice(2), files));
  if (args.length === 3 && k[1] === "-o") return or(posixTest(args.slice(0, 1), files), posixTest(args.slice(2), files));
  const text = `[ ${args.map(show).join(" ")} ]`;
  return { u: { yes: `the test ${text} is true`, no: `the test ${text} is false` } };
}

export function not(r: Tri): Tri {
  return "v" in r ? { v: !r.v } : { u: { yes: r.u.no, no: r.u.yes, stable: r.u.stable, yesJoin: r.u.noJoin, noJoin: r.u.yesJoin } };
}
/** A sentence inside a join: in parentheses when it is a join of the other kind. */
function paren(text: string, own: Join | undefined, outer: Join): string {
  return own && own !== outer ? `(${text})` : text;
}
function join(a: Sentences, b: Sentences, yes: Join): Tri {
  const no: Join = yes === "and" ? "or" : "and";
  // not (A and B) reads as its De Morgan form: "A is set or B is set".
  return {
    u: {
      yes: `${paren(a.yes, a.yesJoin, yes)} ${yes} ${paren(b.yes, b.yesJoin, yes)}`,
      no: `${paren(a.no, a.noJoin, no)} ${no} ${paren(b.no, b.noJoin, no)}`,
      stable: !!a.stable && !!b.stable,
      yesJoin: yes,
      noJoin: no,
    },
  };
}
export function and(a: Tri, b: Tri): Tri {
  if ("v" in a && !a.v) return a;
  if ("v" in b && !b.v) return b;
  if ("v" in a) return b;
  if ("v" in b) return a;
  return join(a.u, b.u, "and");
}
export function or(a: Tri, b: Tri): Tri {
  if ("v" in a && a.v) return a;
  if ("v" in b && b.v) return b;
  if ("v" in a) return b;
  if ("v" in b) return a;
  return join(a.u, b.u, "or");
}

/** [[ X =~ RE ]]: decided for known text only when the expression is plain enough for JavaScript's RegExp. */
function regexTest(a: Word, re: Word, quoted: boolean): Tri {
  const ka = known(a);
  const kr = known(re);
  if (ka !== null && kr !== null && !quoted && /^[\w\s^$.*+?()[\]{}|\\-]*$/.test(kr)) {
    try {
      return { v: new RegExp(kr).test(ka) };
    } catch {
      // not an expression JavaScript reads: only known at run time
    }
  }
  const d = describe(a);
  const r = kr ?? describe(re).text;
  return { u: { yes: `${d.text} matches the regular expression ${r}`, no: `${d.text} does not match the regular expression ${r}`, stable: d.stable && kr !== null } };
}

/** [[ -v NAME ]]: whether the variable is set, which the interpreter may know. */
function isSetTest(w: World, p: Path, name: Word): Tri {
  const n = known(name);
  if (n === null || !/^([A-Za-z_][A-Za-z0-9_]*|[0-9]+)$/.test(n)) return { u: { yes: `the variable ${show(name)} is set`, no: `the variable ${show(name)} is unset` } };
  const v = param(w, p, n);
  if (v === null) return { v: false };
  const only = v.length === 1 && typeof v[0] !== "string" ? describePart(v[0]!.u) : null;
  // Set by the script (whatever its value): set. Only a variable of the run-time environment may be unset.
  if (!only || only.kind !== "var" || only.fallback || (only.text !== n && only.text !== `$${n}`)) return { v: true };
  const d = only;
  return { u: { yes: `${d.text} is set (possibly empty)`, no: `${d.text} is unset`, stable: true } };
}

export function testExpr(w: World, p: Path, x: ShNode): Tri {
  const t = nodeType(x);
  if (t === "BinaryTest") {
    if (x.op === 10) return and(testExpr(w, p, x.x), testExpr(w, p, x.y));
    if (x.op === 11) return or(testExpr(w, p, x.x), testExpr(w, p, x.y));
    const a = expandOne(w, p, x.x);
    const opName: Record<number, string> = {
      40: "==", 74: "=", 41: "!=", 116: "-eq", 117: "-ne", 120: "-lt", 121: "-gt", 118: "-le", 119: "-ge", 56: "<", 54: ">", 113: "-nt", 114: "-ot", 115: "-ef",
    };
    const op = opName[x.op];
    if (op === "==" || op === "=" || op === "!=") {
      const pat = expandPattern(w, p, x.y);
      return compare(a, pat === null ? unknown("(pattern)") : lit(pat), op, true);
    }
    if (op) return compare(a, expandOne(w, p, x.y), op);
    if (x.op === 112) {
      // A quoted part of the expression matches literally (bash): decided only for an unquoted one.
      const quoted = (x.y?.parts ?? []).some((q: ShNode) => ["SglQuoted", "DblQuoted"].includes(nodeType(q)));
      return regexTest(a, expandOne(w, p, x.y), quoted);
    }
    return { u: { yes: "the [[ ]] test is true", no: "the [[ ]] test is false" } };
  }
  if (t === "UnaryTest") {
    if (x.op === 34) return not(testExpr(w, p, x.x));
    const v = expandOne(w, p, x.x);
    if (x.op === 107) return emptyTest(v, true);
    if (x.op === 108) return emptyTest(v, false);
    if (x.op === 110) return isSetTest(w, p, v);
    const ops: Record<number, string> = {
      88: "-e", 89: "-f", 90: "-d", 91: "-c", 92: "-b", 93: "-p", 94: "-S", 95: "-L", 96: "-k", 97: "-g", 98: "-u", 99: "-G", 100: "-O",
      101: "-N", 102: "-r", 103: "-w", 104: "-x", 105: "-s", 106: "-t",
    };
    const op = ops[x.op];
    if (op) return fileTest(op, v, imageFileOracle(w, p));
    if (x.op === 109) return { u: { yes: `the shell option ${show(v)} is on`, no: `the shell option ${show(v)} is off` } };
    return { u: { yes: "the [[ ]] test is true", no: "the [[ ]] test is false" } };
  }
  if (t === "ParenTest") return testExpr(w, p, x.x);
  if (t === "Word") return emptyTest(expandOne(w, p, x), false);
  return { u: { yes: "the [[ ]] test is true", no: "the [[ ]] test is false" } };
}
