// Build-time word expansion, as BuildKit's shell lexer does it for FROM, ARG, ENV, WORKDIR, USER,
// STOPSIGNAL, COPY and ADD: quotes are removed, `$VAR`, `${VAR}`, `${VAR:-w}`, `${VAR-w}`, `${VAR:+w}`,
// `${VAR+w}` are substituted. ENTRYPOINT, CMD and SHELL are never expanded at build time.

export interface Expansion {
  value: string;
  /** Variables that were referenced but not set (they expand to ""). */
  unset: string[];
  error: string | null;
  /** The expansion would be larger than `room` characters: it was stopped, and its value is not known. */
  over?: boolean;
}

const isNameStart = (c: string) => /[A-Za-z_]/.test(c);
const isNameChar = (c: string) => /[A-Za-z0-9_]/.test(c);

export function expandWord(word: string, env: ReadonlyMap<string, string>, escape = "\\", room = Infinity): Expansion {
  const l: Lexer = { word, n: word.length, i: 0, env, escape, unset: [], error: null, room: room - word.length, over: false };
  let out = "";
  while (l.i < l.n) {
    const c = word[l.i]!;
    if (c === "'") out += singleQuoted(l);
    else if (c === '"') out += doubleQuoted(l);
    else if (c === "$") out += dollar(l);
    else if (c === escape) {
      if (l.i + 1 < l.n) out += word[l.i + 1];
      l.i += 2;
    } else {
      out += c;
      l.i++;
    }
  }
  if (l.over) return { value: "", unset: l.unset, error: null, over: true };
  return { value: out, unset: l.unset, error: l.error };
}

/** The word being expanded, the position in it, and what expansion found so far. */
interface Lexer {
  word: string;
  n: number;
  i: number;
  env: ReadonlyMap<string, string>;
  escape: string;
  unset: string[];
  /** The first error; later ones are not kept. */
  error: string | null;
  /** How many characters the values substituted may still add; past it the expansion stops (`over`). */
  room: number;
  over: boolean;
}

/**
 * The value of a variable that is not known (it grew past the bound on expansions): every word that uses
 * it is past the bound too. A Dockerfile never holds a NUL (model.ts refuses it).
 */
export const LOST = "\u0000";

/** A variable's value substituted: counted against the room; past it the lexer stops at the end of the word. */
function sub(l: Lexer, v: string): string {
  l.room -= v.length;
  if (l.room < 0 || v === LOST) {
    l.over = true;
    l.i = l.n;
    return "";
  }
  return v;
}

/** `'…'` at l.i: the text up to the closing quote, unexpanded. */
function singleQuoted(l: Lexer): string {
  const end = l.word.indexOf("'", l.i + 1);
  if (end < 0) {
    l.error ??= "unexpected end of statement while looking for matching single-quote";
    const rest = l.word.slice(l.i + 1);
    l.i = l.n;
    return rest;
  }
  const text = l.word.slice(l.i + 1, end);
  l.i = end + 1;
  return text;
}

/** `"…"` at l.i: `$` expands, the escape character only escapes `"`, `$` and itself. */
function doubleQuoted(l: Lexer): string {
  const { word, n, escape } = l;
  let out = "";
  l.i++;
  let closed = false;
  while (l.i < n) {
    const d = word[l.i]!;
    if (d === '"') {
      l.i++;
      closed = true;
      break;
    }
    if (d === "$") out += dollar(l);
    else if (d === escape && l.i + 1 < n && `"$${escape}`.includes(word[l.i + 1]!)) {
      out += word[l.i + 1];
      l.i += 2;
    } else {
      out += d;
      l.i++;
    }
  }
  if (!closed) l.error ??= "unexpected end of statement while looking for matching double-quote";
  return out;
}

function lookup(l: Lexer, name: string): string | undefined {
  const v = l.env.get(name);
  if (v === undefined && !l.unset.includes(name)) l.unset.push(name);
  return v === undefined ? v : sub(l, v);
}

function readName(l: Lexer): string {
  const { word, n } = l;
  let name = "";
  if (l.i < n && /[0-9]/.test(word[l.i]!)) {
    while (l.i < n && /[0-9]/.test(word[l.i]!)) name += word[l.i++];
    return name;
  }
  if (l.i < n && "@*#?-$!".includes(word[l.i]!)) return word[l.i++]!;
  while (l.i < n && isNameChar(word[l.i]!)) name += word[l.i++];
  return name;
}

/** Reads until the matching `}` (nesting aware), expanding as it goes. */
function readUntilBrace(l: Lexer): string {
  const { word, n, escape } = l;
  let out = "";
  while (l.i < n && word[l.i] !== "}") {
    const c = word[l.i]!;
    if (c === "$") out += dollar(l);
    else if (c === escape && l.i + 1 < n) {
      out += word[l.i + 1];
      l.i += 2;
    } else {
      out += c;
      l.i++;
    }
  }
  if (l.i >= n) {
    if (!l.over) l.error ??= "syntax error: missing '}'";
  }
  else l.i++;
  return out;
}

/** `$name`, `$1`, `$@`… or `${…}` at l.i. */
function dollar(l: Lexer): string {
  const { word, n } = l;
  l.i++; // $
  if (l.i >= n) return "$";
  if (word[l.i] !== "{") {
    if (!isNameStart(word[l.i]!) && !/[0-9@*#?\-$!]/.test(word[l.i]!)) return "$";
    const name = readName(l);
    return lookup(l, name) ?? "";
  }
  l.i++; // {
  return braced(l);
}

/** The rest of `${…}` after the `{`: `${VAR}`, `${VAR:-w}`, `${VAR-w}`, `${VAR:+w}`, `${VAR+w}`, `${VAR:?w}`. */
function braced(l: Lexer): string {
  const { word } = l;
  const name = readName(l);
  if (name === "") {
    l.error ??= "syntax error: bad substitution";
    readUntilBrace(l);
    return "";
  }
  if (word[l.i] === "}") {
    l.i++;
    return lookup(l, name) ?? "";
  }
  let colon = false;
  if (word[l.i] === ":") {
    colon = true;
    l.i++;
  }
  const op = word[l.i];
  if (op === "-" || op === "+" || op === "?") {
    l.i++;
    const alt = readUntilBrace(l);
    const v = l.env.get(name);
    const isSet = colon ? v !== undefined && v !== "" : v !== undefined;
    if (op === "-") return isSet ? sub(l, v!) : alt;
    if (op === "+") return isSet ? alt : "";
    if (!isSet) l.error ??= `${name}: ${alt || "is not allowed to be unset"}`;
    return sub(l, v ?? "");
  }
  // Pattern operators (#, %, /) and others: keep the value, flag what we did not model.
  readUntilBrace(l);
  return lookup(l, name) ?? "";
}

/** Splits on blanks outside quotes, keeping quotes (they are removed later by expandWord). */
export function splitWordsKeepQuotes(text: string, escape = "\\"): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      cur += c;
      if (c === escape && quote === '"' && i + 1 < text.length) cur += text[++i];
      else if (c === quote) quote = null;
      continue;
    }
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'" || c === '"') quote = c;
    if (c === escape && i + 1 < text.length) {
      cur += c + text[++i];
      continue;
    }
    cur += c;
  }
  if (inWord) words.push(cur);
  return words;
}
