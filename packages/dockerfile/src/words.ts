// Build-time word expansion, as BuildKit's shell lexer does it for FROM, ARG, ENV, WORKDIR, USER,
// STOPSIGNAL, COPY and ADD: quotes are removed, `$VAR`, `${VAR}`, `${VAR:-w}`, `${VAR-w}`, `${VAR:+w}`,
// `${VAR+w}` are substituted. ENTRYPOINT, CMD and SHELL are never expanded at build time.

export interface Expansion {
  value: string;
  /** Variables that were referenced but not set (they expand to ""). */
  unset: string[];
  error: string | null;
}

const isNameStart = (c: string) => /[A-Za-z_]/.test(c);
const isNameChar = (c: string) => /[A-Za-z0-9_]/.test(c);

export function expandWord(word: string, env: ReadonlyMap<string, string>, escape = "\\"): Expansion {
  const unset: string[] = [];
  let error: string | null = null;
  let i = 0;
  const n = word.length;

  const lookup = (name: string): string | undefined => {
    const v = env.get(name);
    if (v === undefined && !unset.includes(name)) unset.push(name);
    return v;
  };

  const readName = (): string => {
    let name = "";
    if (i < n && /[0-9]/.test(word[i]!)) {
      while (i < n && /[0-9]/.test(word[i]!)) name += word[i++];
      return name;
    }
    if (i < n && "@*#?-$!".includes(word[i]!)) return word[i++]!;
    while (i < n && isNameChar(word[i]!)) name += word[i++];
    return name;
  };

  // Reads until the matching `}` (nesting aware), expanding as it goes.
  const readUntilBrace = (): string => {
    let out = "";
    while (i < n && word[i] !== "}") {
      const c = word[i]!;
      if (c === "$") out += dollar();
      else if (c === escape && i + 1 < n) {
        out += word[i + 1];
        i += 2;
      } else {
        out += c;
        i++;
      }
    }
    if (i >= n) error ??= "syntax error: missing '}'";
    else i++;
    return out;
  };

  const dollar = (): string => {
    i++; // $
    if (i >= n) return "$";
    if (word[i] !== "{") {
      if (!isNameStart(word[i]!) && !/[0-9@*#?\-$!]/.test(word[i]!)) return "$";
      const name = readName();
      return lookup(name) ?? "";
    }
    i++; // {
    const name = readName();
    if (name === "") {
      error ??= "syntax error: bad substitution";
      readUntilBrace();
      return "";
    }
    if (word[i] === "}") {
      i++;
      return lookup(name) ?? "";
    }
    let colon = false;
    if (word[i] === ":") {
      colon = true;
      i++;
    }
    const op = word[i];
    if (op === "-" || op === "+" || op === "?") {
      i++;
      const alt = readUntilBrace();
      const v = env.get(name);
      const isSet = colon ? v !== undefined && v !== "" : v !== undefined;
      if (op === "-") return isSet ? v! : alt;
      if (op === "+") return isSet ? alt : "";
      if (!isSet) error ??= `${name}: ${alt || "is not allowed to be unset"}`;
      return v ?? "";
    }
    // Pattern operators (#, %, /) and others: keep the value, flag what we did not model.
    readUntilBrace();
    return lookup(name) ?? "";
  };

  let out = "";
  while (i < n) {
    const c = word[i]!;
    if (c === "'") {
      const end = word.indexOf("'", i + 1);
      if (end < 0) {
        error ??= "unexpected end of statement while looking for matching single-quote";
        out += word.slice(i + 1);
        i = n;
      } else {
        out += word.slice(i + 1, end);
        i = end + 1;
      }
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const d = word[i]!;
        if (d === '"') {
          i++;
          closed = true;
          break;
        }
        if (d === "$") out += dollar();
        else if (d === escape && i + 1 < n && `"$${escape}`.includes(word[i + 1]!)) {
          out += word[i + 1];
          i += 2;
        } else {
          out += d;
          i++;
        }
      }
      if (!closed) error ??= "unexpected end of statement while looking for matching double-quote";
    } else if (c === "$") {
      out += dollar();
    } else if (c === escape) {
      if (i + 1 < n) out += word[i + 1];
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return { value: out, unset, error };
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
