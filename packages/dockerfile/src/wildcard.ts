// Shell and Go-style wildcard matching without regular expressions. A pattern turned into a RegExp
// backtracks exponentially on `*a*a*a…b` (a .dockerignore line or a `case` pattern can be that), so
// matching is a dynamic-programming pass instead: O(length of text × tokens of pattern), always.
//
// Syntax: `*` (any run of characters; with slash: false, not `/`), `?` (one character), `[abc]`, `[a-z]`,
// `[!x]` / `[^x]`, `\x` (a literal x). With doubleStar: `**` crosses `/`, and `**/` also matches nothing.

export interface WildcardOptions {
  /** May `*` and `?` match `/`? (shell patterns: yes; Go filepath.Match and .dockerignore: no) */
  slash?: boolean;
  /** `**` crosses `/` (.dockerignore). */
  doubleStar?: boolean;
}

type Token =
  | { t: "lit"; c: string }
  | { t: "one" }
  | { t: "star"; cross: boolean }
  | { t: "starslash" } // `**/`: nothing, or anything that ends in `/`
  | { t: "class"; neg: boolean; ranges: [string, string][] };

export interface Wildcard {
  /** Does the whole text match? */
  test(s: string): boolean;
  /** For every j (0…s.length): does the pattern match s[0, j)? One pass. */
  prefixes(s: string): boolean[];
  /** For every j: does the pattern match s[j, s.length)? One pass. */
  suffixes(s: string): boolean[];
}

const cache = new Map<string, Wildcard>();

export function wildcard(pattern: string, opts: WildcardOptions = {}): Wildcard {
  const key = `${opts.slash ? 1 : 0}${opts.doubleStar ? 1 : 0}${pattern}`;
  let w = cache.get(key);
  if (!w) {
    w = compile(pattern, opts);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, w);
  }
  return w;
}

function tokenize(pattern: string, opts: WildcardOptions): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") {
      if (opts.doubleStar && pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") {
          i++;
          out.push({ t: "starslash" });
        } else out.push({ t: "star", cross: true });
      } else if (out[out.length - 1]?.t !== "star") out.push({ t: "star", cross: !!opts.slash });
    } else if (c === "?") out.push({ t: "one" });
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) {
        out.push({ t: "lit", c });
        continue;
      }
      let body = pattern.slice(i + 1, end);
      const neg = body.startsWith("!") || body.startsWith("^");
      if (neg) body = body.slice(1);
      const ranges: [string, string][] = [];
      for (let k = 0; k < body.length; k++) {
        let a = body[k]!;
        if (a === "\\" && k + 1 < body.length) a = body[++k]!;
        if (body[k + 1] === "-" && k + 2 < body.length) {
          let b = body[k + 2]!;
          if (b === "\\" && k + 3 < body.length) b = body[++k + 2]!;
          ranges.push([a, b]);
          k += 2;
        } else ranges.push([a, a]);
      }
      out.push({ t: "class", neg, ranges });
      i = end;
    } else if (c === "\\" && i + 1 < pattern.length) out.push({ t: "lit", c: pattern[++i]! });
    else out.push({ t: "lit", c });
  }
  return out;
}

function single(tok: Token, ch: string, slash: boolean): boolean {
  switch (tok.t) {
    case "lit":
      return tok.c === ch;
    case "one":
      return slash || ch !== "/";
    case "class": {
      if (!slash && ch === "/") return false;
      const hit = tok.ranges.some(([a, b]) => ch >= a && ch <= b);
      return tok.neg ? !hit : hit;
    }
    default:
      return false;
  }
}

/** reach[j]: the tokens so far match s[0, j). One token at a time, O(n) each. */
function run(tokens: Token[], s: string, slash: boolean): boolean[] {
  const n = s.length;
  let cur: boolean[] = new Array(n + 1).fill(false);
  cur[0] = true;
  for (const tok of tokens) {
    const next: boolean[] = new Array(n + 1).fill(false);
    if (tok.t === "star") {
      let open = false;
      for (let j = 0; j <= n; j++) {
        if (cur[j]) open = true;
        if (open) next[j] = true;
        if (j < n && !tok.cross && s[j] === "/") open = false;
      }
    } else if (tok.t === "starslash") {
      // `**/`: nothing, or any text that ends in `/`
      let seen = false;
      for (let j = 0; j <= n; j++) {
        if (cur[j]) {
          next[j] = true;
          seen = true;
        }
        if (seen && j > 0 && s[j - 1] === "/") next[j] = true;
      }
    } else {
      let any = false;
      for (let j = 0; j < n; j++) {
        if (cur[j] && single(tok, s[j]!, slash)) {
          next[j + 1] = true;
          any = true;
        }
      }
      if (!any) return next;
    }
    cur = next;
  }
  return cur;
}

function compile(pattern: string, opts: WildcardOptions): Wildcard {
  const tokens = tokenize(pattern, opts);
  const slash = !!opts.slash;
  // Reversed, for suffixes: `**/` becomes "nothing, or anything that starts with /", which the plain
  // reversal cannot say; patterns with it are only used whole (dockerignore), so suffixes() falls back.
  const reversed = tokens.some((t) => t.t === "starslash") ? null : [...tokens].reverse();
  return {
    test: (s) => run(tokens, s, slash)[s.length] === true,
    prefixes: (s) => run(tokens, s, slash),
    suffixes: (s) => {
      if (!reversed) {
        const out: boolean[] = [];
        for (let j = 0; j <= s.length; j++) out.push(run(tokens, s.slice(j), slash)[s.length - j] === true);
        return out;
      }
      const r = run(reversed, s.split("").reverse().join(""), slash);
      const out: boolean[] = new Array(s.length + 1);
      for (let j = 0; j <= s.length; j++) out[j] = r[s.length - j] === true;
      return out;
    },
  };
}
