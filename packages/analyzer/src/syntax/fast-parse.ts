// A small hand-written shell parser used as a fast path in front of mvdan-sh (parse.ts).
//
// It is a port of the part of mvdan/sh's lexer and parser (the version built into the npm package
// mvdan-sh 0.10.1) that entrypoint scripts use, written so that it produces exactly the tree that
// lower(mvdan's tree) produces: same node shapes, the same splitting of literals, the same positions
// (lines and columns counted from 1, columns in UTF-8 bytes), the same numeric operator codes. It is
// a port rather than a fresh grammar on purpose: mvdan has quirks that a fresh grammar would not
// reproduce, and each one changes the tree or turns a script into a syntax error. For instance:
//   - `\r` is a blank like a space (outside quotes), and `\` + CRLF is a line continuation;
//   - a line continuation inside double quotes splits the literal ("a\<newline>b" is Lit a, Lit b);
//   - `#` after a closing quote or `$x` starts a comment ("a"#b is the word "a");
//   - a comment ending in `\` swallows the newline (the next line continues the command);
//   - in bash and mksh, a literal is cut before `[` (echo a[1] is Lit "a" + Lit "[1]");
//   - in a declaration (bash/mksh `export`, `local`...), once an assignment has been read, any
//     later argument that is not a plain literal is an error ("invalid var name"): the lexer's
//     position of `=` is stale (export a=b "$c" does not parse);
//   - `declare` is a DeclClause only in bash; export/local/readonly/typeset are DeclClauses in bash
//     and mksh; in POSIX mode all of them are plain commands;
//   - a function body may be any command (f() echo hi), `if ; then` has an empty condition;
//   - U+0080 reads as the end of input (utf8.RuneSelf), so it is not accepted here;
//   - the strings in lower()'s tree are Go strings as GopherJS stores them, one char per UTF-8 byte
//     (é is "\u00c3\u00a9"), and columns count bytes;
//   - a run of comment lines makes the lexer recurse once per line (MAX_COMMENT_CHAIN);
//   - arithmetic ($((...)), ${x:off:len}, ${a[i]}) is any word as an operand (${x:"1"}, $((1a)) and
//     $((0[1])) parse), `$((` is always arithmetic (no backtracking to $( (...) )), a[i] in arithmetic
//     is a short ParamExp at the name, and lower() gives ParenArithm an `op: undefined`;
//   - ${x:} and $(()) are errors (an empty expression), ${x::2} has no offset;
//   - in [[ ]], `a && b == c` nests as a && (b == c), a binary operator after a complex expression is
//     an error, -N and -R are unary operators only in bash, < and > are the redirection tokens;
//   - a=(...) is an Assign without value whose `array` holds the elements (ArrayElem), but a command
//     with arguments cannot have one (a=(1) cmd is an error), and in mksh its elements are lexed as in
//     the enclosing context (so a=([1]=x) is a plain word there).
// Anything outside the ported subset, and every syntax error, makes fastParse return null ("bail"):
// the caller then parses with mvdan-sh as before, so a bail costs time, never correctness. Bailing
// covers: backquotes, $[...], ((...)), arithmetic assignments, ?:, ++ and --, $((# (mksh), newlines
// inside arithmetic, =~ in [[ ]], [i]=v elements of arrays and a[i]=, ${x/a/b}, ${x^^} and ${x,,},
// ${!prefix@}, ${x@Q}, $'...' and $"...", process substitution, extended globs, `function`, `let`,
// `time`, `select`, `coproc`, `|&`, mksh's ${ cmd;} and case {, heredoc bodies that would take a
// backquote, empty or non-ASCII heredoc delimiters, NUL bytes, lone UTF-16 surrogates, C1 control
// characters, lines past 16383 bytes or 262143 lines (mvdan's packed positions overflow there), and
// nesting deeper than MAX_NEST (an arithmetic expression counts ARITHM_NEST_COST levels). In POSIX
// mode, slices, indexes, arrays and [[ (a command there) are errors or plain words, as in mvdan.
//
// The numeric operator codes are mvdan-sh 0.10.1's token numbers (Go `iota` order in tokens.go of
// that version), read from the package and checked by test/fast-parse.test.ts against mvdan:
//   BinaryCmd op:  && 10, || 11, | 12
//   CaseItem op:   ;; 30, ;& 31, ;;& 32, ;| 33 (an item without a terminator also gets 30)
//   ParamExp exp:  + 68, :+ 69, - 70, :- 71, ? 72, :? 73, = 74, := 75, % 76, %% 77, # 78, ## 79
//   UnaryArithm:   ! 34, ~ 35, + 68, - 70
//   BinaryArithm:  , 82, || 11, && 10, | 12, ^ 80, & 9, == 40, != 41, < 56, > 54, <= 42, >= 43, << 61,
//                  >> 55, + 68, - 70, * 38, / 85, % 76, ** 39
//   UnaryTest:     ! 34, -e/-a 88, -f 89, -d 90, -c 91, -b 92, -p 93, -S 94, -L/-h 95, -k 96, -g 97,
//                  -u 98, -G 99, -O 100, -N 101, -r 102, -w 103, -x 104, -s 105, -t 106, -z 107,
//                  -n 108, -o 109, -v 110, -R 111
//   BinaryTest:    && 10, || 11, < 56, > 54, = 74, == 40, != 41, -nt 113, -ot 114, -ef 115, -eq 116,
//                  -ne 117, -le 118, -ge 119, -lt 120, -gt 121

import type { LNode } from "./lower.js";

export type FastDialect = "posix" | "bash" | "mksh";

// Tokens (numbers as in mvdan-sh 0.10.1; only those that the subset lexes).
const T_ILLEGAL: number = 0;
const T_EOF: number = 1;
const T_NEWL: number = 2;
const T_LIT: number = 3;
const T_LITWORD: number = 4;
const T_LITREDIR: number = 5;
const T_SGLQUOTE: number = 6;
const T_DBLQUOTE: number = 7;
const T_AND: number = 9;
const T_ANDAND: number = 10;
const T_OROR: number = 11;
const T_OR: number = 12;
const T_ORAND: number = 13;
const T_DOLLAR: number = 14;
const T_DOLLBRACE: number = 17;
const T_DOLLPAREN: number = 19;
const T_DOLLDBLPAREN: number = 20;
const T_LEFTBRACK: number = 21;
const T_LEFTPAREN: number = 23;
const T_RIGHTBRACE: number = 25;
const T_RIGHTBRACK: number = 26;
const T_RIGHTPAREN: number = 27;
const T_SEMICOLON: number = 29;
const T_DBLSEMICOLON: number = 30;
const T_SEMIAND: number = 31;
const T_DBLSEMIAND: number = 32;
const T_SEMIOR: number = 33;
const T_EXCLMARK: number = 34;
const T_TILDE: number = 35;
const T_ADDADD: number = 36;
const T_SUBSUB: number = 37;
const T_STAR: number = 38;
const T_POWER: number = 39;
const T_EQUAL: number = 40;
const T_NEQUAL: number = 41;
const T_LEQUAL: number = 42;
const T_GEQUAL: number = 43;
const T_ADDASSGN: number = 44;
const T_SUBASSGN: number = 45;
const T_MULASSGN: number = 46;
const T_QUOASSGN: number = 47;
const T_REMASSGN: number = 48;
const T_ANDASSGN: number = 49;
const T_ORASSGN: number = 50;
const T_XORASSGN: number = 51;
const T_SHLASSGN: number = 52;
const T_SHRASSGN: number = 53;
const T_RDROUT: number = 54;
const T_APPOUT: number = 55;
const T_RDRIN: number = 56;
const T_RDRINOUT: number = 57;
const T_DPLIN: number = 58;
const T_DPLOUT: number = 59;
const T_CLBOUT: number = 60;
const T_HDOC: number = 61;
const T_DASHHDOC: number = 62;
const T_WORDHDOC: number = 63;
const T_RDRALL: number = 64;
const T_APPALL: number = 65;
// In arithmetic, < > << >> are the redirection tokens (as in mvdan).
const T_LSS: number = T_RDRIN;
const T_GTR: number = T_RDROUT;
const T_SHL: number = T_HDOC;
const T_SHR: number = T_APPOUT;
const T_PLUS: number = 68;
const T_COLPLUS: number = 69;
const T_MINUS: number = 70;
const T_COLMINUS: number = 71;
const T_QUEST: number = 72;
const T_COLQUEST: number = 73;
const T_ASSGN: number = 74;
const T_COLASSGN: number = 75;
const T_PERC: number = 76;
const T_DBLPERC: number = 77;
const T_HASH: number = 78;
const T_DBLHASH: number = 79;
const T_CARET: number = 80;
const T_DBLCARET: number = 81;
const T_COMMA: number = 82;
const T_DBLCOMMA: number = 83;
const T_AT: number = 84;
const T_SLASH: number = 85;
const T_DBLSLASH: number = 86;
const T_COLON: number = 87;

// [[ ]] operators: the unary ones are the tokens 88 (-e) to 111 (-R), the binary ones = == != =~ and
// 113 (-nt) to 121 (-gt); < and > are the redirection tokens, && and || the list operators.
const T_TSEXISTS = 88;
const T_TSMODIF = 101; // -N
const T_TSREFVAR = 111; // -R
const T_TSREMATCH = 112; // =~
const UN_TEST_OPS: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  "!": T_EXCLMARK, "-e": 88, "-a": 88, "-f": 89, "-d": 90, "-c": 91, "-b": 92, "-p": 93, "-S": 94, "-L": 95, "-h": 95,
  "-k": 96, "-g": 97, "-u": 98, "-G": 99, "-O": 100, "-N": 101, "-r": 102, "-w": 103, "-x": 104, "-s": 105, "-t": 106,
  "-z": 107, "-n": 108, "-o": 109, "-v": 110, "-R": 111,
});
const BIN_TEST_OPS: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  "=": T_ASSGN, "==": T_EQUAL, "!=": T_NEQUAL, "=~": T_TSREMATCH, "-nt": 113, "-ot": 114, "-ef": 115, "-eq": 116,
  "-ne": 117, "-le": 118, "-ge": 119, "-lt": 120, "-gt": 121,
});

/** The operator codes that appear in the tree, by operator (see the header comment). */
export const FAST_PARSE_OPS = {
  binaryCmd: { "&&": T_ANDAND, "||": T_OROR, "|": T_OR },
  caseItem: { ";;": T_DBLSEMICOLON, ";&": T_SEMIAND, ";;&": T_DBLSEMIAND, ";|": T_SEMIOR },
  paramExp: {
    "+": T_PLUS, ":+": T_COLPLUS, "-": T_MINUS, ":-": T_COLMINUS, "?": T_QUEST, ":?": T_COLQUEST,
    "=": T_ASSGN, ":=": T_COLASSGN, "%": T_PERC, "%%": T_DBLPERC, "#": T_HASH, "##": T_DBLHASH,
  },
  unaryArithm: { "!": T_EXCLMARK, "~": T_TILDE, "+": T_PLUS, "-": T_MINUS },
  binaryArithm: {
    ",": T_COMMA, "||": T_OROR, "&&": T_ANDAND, "|": T_OR, "^": T_CARET, "&": T_AND, "==": T_EQUAL, "!=": T_NEQUAL,
    "<": T_LSS, ">": T_GTR, "<=": T_LEQUAL, ">=": T_GEQUAL, "<<": T_SHL, ">>": T_SHR, "+": T_PLUS, "-": T_MINUS,
    "*": T_STAR, "/": T_SLASH, "%": T_PERC, "**": T_POWER,
  },
  unaryTest: UN_TEST_OPS,
  binaryTest: { ...BIN_TEST_OPS, "&&": T_ANDAND, "||": T_OROR, "<": T_LSS, ">": T_GTR },
} as const;

// Lexer states (mvdan's quoteState bits).
const Q_NONE = 1;
const Q_SUBCMD = 2;
const Q_SUBCMD_BCKQUO = 4;
const Q_DBLQUOTES = 8;
const Q_HDOCWORD = 16;
const Q_HDOCBODY = 32;
const Q_HDOCBODYTABS = 64;
const Q_ARITHM_EXPR = 128;
const Q_ARITHM_BRACK = 1024;
const Q_ARITHM = 128 | 256 | 512 | 1024;
const Q_TESTEXPR = 2048;
const Q_TESTEXPRREGEXP = 4096;
const Q_SWITCHCASE = 8192;
const Q_PARAMNAME = 16384;
const Q_PARAMSLICE = 32768;
const Q_PARAMREPL = 65536;
const Q_PARAMEXP = 131072;
const Q_ARRAYELEMS = 262144;
const Q_ALL_KEEPSPACES = Q_PARAMREPL | Q_DBLQUOTES | Q_HDOCBODY | Q_HDOCBODYTABS | Q_PARAMEXP;
const Q_ALL_REGTOKENS = Q_NONE | Q_SUBCMD | Q_SUBCMD_BCKQUO | Q_HDOCWORD | Q_SWITCHCASE | Q_ARRAYELEMS | Q_TESTEXPR;
const Q_ALL_ARITHM = Q_ARITHM | Q_PARAMSLICE;
const Q_ALL_PARAMREG = Q_PARAMNAME | Q_PARAMSLICE;
const Q_ALL_PARAMEXP = Q_ALL_PARAMREG | Q_PARAMREPL | Q_PARAMEXP | 1024;

const L_BASH = 0;
const L_POSIX = 1;
const L_MKSH = 2;

// Runes beyond a byte: mvdan's utf8.RuneSelf (end of input) and escNewl (a backslash-newline).
const R_EOF = 128;
const R_ESCNL = 129;

/** mvdan's binary arithmetic levels, loosest first: , || && | ^ & == != < > <= >= << >> + - * / %. */
const ARITHM_LEVELS: readonly (readonly number[])[] = [
  [T_COMMA], [T_OROR], [T_ANDAND], [T_OR], [T_CARET], [T_AND], [T_EQUAL, T_NEQUAL],
  [T_LSS, T_GTR, T_LEQUAL, T_GEQUAL], [T_SHL, T_SHR], [T_PLUS, T_MINUS], [T_STAR, T_SLASH, T_PERC],
];

/** Nesting past this many levels (statements, lists, quotes, expansions) bails. */
const MAX_NEST = 150;
/** What an arithmetic expression (parenthesised, or $((...)), ${x:a}, ${a[i]}) counts for in MAX_NEST. */
const ARITHM_NEST_COST = 8;
/** lower() replaces nodes deeper than 400 by { type: "Deep" }; trees this deep are left to mvdan. */
const MAX_TREE_DEPTH = 390;
/**
 * mvdan's lexer recurses once per comment in a run of comment (and blank) lines: after a comment it
 * calls itself for the newline, which merges into the previous newline and lexes the next comment.
 * From a shallow stack mvdan-sh overflows at about 2850 comment lines in a row; past this many, leave
 * the script to mvdan (which then reports that it nests too deeply).
 */
const MAX_COMMENT_CHAIN = 500;

class Bail {
  constructor(readonly reason: string) {}
}
const bail = (reason: string): never => {
  throw new Bail(reason);
};

const isValidName = (s: string): boolean => {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (i > 0 && c >= 48 && c <= 57)) continue;
    return false;
  }
  return true;
};
const isNumber = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};
// `@ * # $ ? ! -` and digits: one-character parameters ($1, $@ ...).
const singleRuneParam = (r: number): boolean =>
  r === 64 || r === 42 || r === 35 || r === 36 || r === 63 || r === 33 || r === 45 || (r >= 48 && r <= 57);
// Characters that cannot follow ${# (or ${!) for it to be a length (or indirection) operator.
const paramNameOp = (r: number): boolean =>
  !(r === 125 || r === 58 || r === 43 || r === 61 || r === 37 || r === 91 || r === 93 || r === 47 || r === 94 || r === 44);
const paramOps = (r: number): boolean =>
  r === 125 || r === 35 || r === 33 || r === 58 || r === 45 || r === 43 || r === 61 || r === 63 || r === 37 ||
  r === 91 || r === 93 || r === 47 || r === 94 || r === 44 || r === 64 || r === 42;
const arithmOps = (r: number): boolean =>
  r === 43 || r === 45 || r === 33 || r === 126 || r === 42 || r === 47 || r === 37 || r === 40 || r === 41 ||
  r === 94 || r === 60 || r === 62 || r === 58 || r === 61 || r === 44 || r === 63 || r === 124 || r === 38 ||
  r === 91 || r === 93 || r === 35;
const regOps = (r: number): boolean =>
  r === 59 || r === 34 || r === 39 || r === 40 || r === 41 || r === 36 || r === 124 || r === 38 || r === 62 || r === 60 || r === 96;

const tokString = (t: number): string => {
  switch (t) {
    case T_QUEST:
      return "?";
    case T_MINUS:
      return "-";
    case T_AT:
      return "@";
    case T_STAR:
      return "*";
    case T_HASH:
      return "#";
    case T_EXCLMARK:
      return "!";
    case T_DOLLAR:
      return "$";
  }
  return bail("token string");
};

const isRedirTok = (t: number): boolean => (t >= T_RDROUT && t <= T_APPALL) || t === T_LITREDIR;

// lower() reads mvdan's Go strings, which GopherJS keeps as byte strings: each UTF-8 byte of a
// non-ASCII character is one char (é is "\u00c3\u00a9"). The strings in the tree are converted alike.
const goString = (s: string): string => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, "utf8").toString("latin1");
  return s;
};
const mkLit = (value: string): LNode => ({ type: "Lit", value });
const mkWord = (parts: LNode[]): LNode => {
  let lit: string | null = "";
  for (const p of parts) {
    if (p.type !== "Lit") {
      lit = null;
      break;
    }
    lit += p.value;
  }
  return { type: "Word", parts, lit };
};
const mkStmt = (line: number, col: number): LNode => ({ type: "Stmt", line, col, cmd: null, negated: false, background: false, redirs: 0 });

interface Heredoc {
  op: number;
  word: LNode | null;
}

class Parser {
  private readonly src: string;
  private readonly n: number;
  private readonly lang: number;
  // Reader state (mvdan's bsp, r, w and line/col of r). wu: UTF-16 units of r.
  private bsp = 0;
  private r = 0;
  private w = 0;
  private wu = 0;
  private line = 1;
  private col = 1;
  // Token state.
  private tok = T_ILLEGAL;
  private val = "";
  private spaced = false;
  private posLine = 0;
  private posCol = 0;
  private quote = Q_NONE;
  private eqlOffs = 0;
  private forbidNested = false;
  private heredocs: Heredoc[] = [];
  private buriedHdocs = 0;
  private hdocStops: (string | null)[] = [];
  // The literal being read (mvdan's litBs): litAcc + src[litSeg, bsp), minus continuation lines.
  private litOn = false;
  private litAcc = "";
  private litSeg = 0;
  /** Where the backslash of the last line continuation was. */
  private escAt = 0;
  private nest = 0;
  private commentChain = 0;
  private lastSemi = false;
  /** The Assign nodes of a=(...) (mvdan rejects them before a command's arguments). */
  private readonly arrayAssigns = new Set<LNode>();

  /** Whether the text is all ASCII (then no string needs goString). */
  private readonly ascii: boolean;

  constructor(src: string, lang: number) {
    this.src = src;
    this.n = src.length;
    this.lang = lang;
    this.ascii = !/[^\x00-\x7f]/.test(src);
  }

  private gs(s: string): string {
    return this.ascii ? s : goString(s);
  }

  parse(): LNode {
    this.rune();
    this.next();
    const stmts = this.stmtList(null);
    this.doHeredocs();
    return { type: "File", stmts };
  }

  // ---- reader ----

  private rune(): number {
    if (this.r === 10 || this.r === R_ESCNL) {
      if (++this.line > 262143) bail("too many lines");
      this.col = 0;
    }
    this.col += this.w;
    if (this.col > 16383) bail("line too long");
    const i = this.bsp;
    if (i < this.n) {
      const s = this.src;
      const c = s.charCodeAt(i);
      if (c < 128) {
        this.bsp = i + 1;
        if (c === 0) bail("NUL byte");
        if (c === 92 && this.r !== 92) {
          const c1 = s.charCodeAt(i + 1);
          if (c1 === 10) {
            this.escAt = i;
            this.litCut(i, i + 2);
            this.bsp = i + 2;
            this.w = 1;
            this.r = R_ESCNL;
            return R_ESCNL;
          }
          if (c1 === 13 && s.charCodeAt(i + 2) === 10) {
            this.escAt = i;
            this.litCut(i, i + 3);
            this.bsp = i + 3;
            this.w = 2;
            this.r = R_ESCNL;
            return R_ESCNL;
          }
        }
        this.w = 1;
        this.wu = 1;
        this.r = c;
        return c;
      }
      let cp = c;
      let units = 1;
      let bytes: number;
      if (c >= 0xd800 && c <= 0xdbff) {
        const lo = s.charCodeAt(i + 1);
        if (!(lo >= 0xdc00 && lo <= 0xdfff)) bail("lone surrogate");
        cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        units = 2;
        bytes = 4;
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        return bail("lone surrogate");
      } else {
        if (c < 0xa0) bail("C1 control character");
        bytes = c < 0x800 ? 2 : 3;
      }
      this.bsp = i + units;
      this.w = bytes;
      this.wu = units;
      this.r = cp;
      return cp;
    }
    if (this.r !== R_EOF) {
      this.r = R_EOF;
      this.w = 1;
      this.wu = 0;
    }
    return R_EOF;
  }

  /** A line continuation src[from, to) is not part of the literal being read. */
  private litCut(from: number, to: number): void {
    if (this.litOn) {
      this.litAcc += this.src.slice(this.litSeg, from);
      this.litSeg = to;
    }
  }
  private newLit(r: number): void {
    this.litOn = true;
    this.litAcc = "";
    this.litSeg = r === R_EOF || r === R_ESCNL ? this.bsp : this.bsp - this.wu;
  }
  private litLen(): number {
    return this.litAcc.length + (this.bsp - this.litSeg);
  }
  private litStr(): string {
    return this.litAcc + this.src.slice(this.litSeg, this.bsp);
  }
  /** litStr().slice(from), without building the whole literal. */
  private litTail(from: number): string {
    const a = this.litAcc.length;
    if (from >= a) return this.src.slice(this.litSeg + (from - a), this.bsp);
    return this.litAcc.slice(from) + this.src.slice(this.litSeg, this.bsp);
  }
  private litFirst(): number {
    return this.litAcc.length > 0 ? this.litAcc.charCodeAt(0) : this.src.charCodeAt(this.litSeg);
  }
  private litAppend(s: string): void {
    this.litAcc = this.litStr() + s;
    this.litSeg = this.bsp;
  }
  /** The literal read so far, without the current rune. */
  private endLit(): string {
    const s = this.r === R_EOF || this.r === R_ESCNL ? this.litStr() : this.litAcc + this.src.slice(this.litSeg, this.bsp - this.wu);
    this.litOn = false;
    return s;
  }
  private peekByte(b: number): boolean {
    return this.bsp < this.n && this.src.charCodeAt(this.bsp) === b;
  }

  // ---- lexer ----

  private next(): void {
    if (this.r === R_EOF) {
      this.tok = T_EOF;
      return;
    }
    this.spaced = false;
    if (this.quote & Q_ALL_KEEPSPACES) {
      this.nextKeepSpaces();
      return;
    }
    let r = this.r;
    while (r === R_ESCNL) r = this.rune();
    for (;;) {
      if (r === R_EOF) {
        this.tok = T_EOF;
        return;
      }
      if (r === R_ESCNL) {
        r = this.rune();
      } else if (r === 32 || r === 9 || r === 13) {
        this.spaced = true;
        r = this.rune();
      } else if (r === 10) {
        if (this.tok === T_NEWL) {
          r = this.rune();
          continue;
        }
        this.spaced = true;
        this.tok = T_NEWL;
        if (this.quote !== Q_HDOCWORD && this.heredocs.length > this.buriedHdocs) this.doHeredocs();
        return;
      } else break;
    }
    this.posLine = this.line;
    this.posCol = this.col;
    const q = this.quote;
    if (q & Q_ALL_REGTOKENS) {
      switch (r) {
        case 59: case 34: case 39: case 40: case 41: case 36: case 124: case 38: case 62: case 60: case 96: // ; " ' ( ) $ | & > < `
          this.tok = this.regToken(r);
          return;
        case 35: {
          // # a comment, up to the newline (which is not part of it)
          r = this.rune();
          this.newLit(r);
          while (r !== 10 && r !== R_EOF && r !== R_ESCNL) r = this.rune();
          this.litOn = false;
          if (++this.commentChain > MAX_COMMENT_CHAIN) bail("comment chain");
          this.next();
          this.commentChain--;
          return;
        }
        case 91: case 61: // [ =
          if (q === Q_ARRAYELEMS) bail("array");
          this.advanceLitNone(r);
          return;
        case 63: case 42: case 43: case 64: case 33: // ? * + @ !
          if (this.tokenizeGlob()) bail("extended glob");
          this.advanceLitNone(r);
          return;
        default:
          this.advanceLitNone(r);
          return;
      }
    }
    if (q & Q_ALL_ARITHM && arithmOps(r)) this.tok = this.arithmToken(r);
    else if (q & Q_ALL_PARAMEXP && paramOps(r)) this.tok = this.paramToken(r);
    else if (q === Q_TESTEXPRREGEXP) bail("regexp");
    else if (regOps(r)) this.tok = this.regToken(r);
    else this.advanceLitOther(r);
  }

  private nextKeepSpaces(): void {
    let r = this.r;
    const q = this.quote;
    if (q !== Q_HDOCBODY && q !== Q_HDOCBODYTABS) while (r === R_ESCNL) r = this.rune();
    this.posLine = this.line;
    this.posCol = this.col;
    switch (q) {
      case Q_PARAMREPL:
        bail("replace");
        break;
      case Q_DBLQUOTES:
        if (r === 96 || r === 34 || r === 36) this.tok = this.dqToken(r);
        else this.advanceLitDquote(r);
        break;
      case Q_HDOCBODY:
      case Q_HDOCBODYTABS:
        if (r === 96 || r === 36) this.tok = this.dqToken(r);
        else this.advanceLitHdoc(r);
        break;
      default: // Q_PARAMEXP
        if (r === 125) this.tok = this.paramToken(r);
        else if (r === 96 || r === 34 || r === 36 || r === 39) this.tok = this.regToken(r);
        else this.advanceLitOther(r);
    }
  }

  private tokenizeGlob(): boolean {
    if (this.val === "function") return false;
    if (this.src.startsWith("()", this.bsp)) return false;
    return this.peekByte(40);
  }

  private regToken(r: number): number {
    const posix = this.lang === L_POSIX;
    const bash = this.lang === L_BASH;
    switch (r) {
      case 39: // '
        this.rune();
        return T_SGLQUOTE;
      case 34: // "
        this.rune();
        return T_DBLQUOTE;
      case 96:
        return bail("backquote");
      case 38: // &
        switch (this.rune()) {
          case 38:
            this.rune();
            return T_ANDAND;
          case 62:
            if (posix) return T_AND;
            if (this.rune() === 62) {
              this.rune();
              return T_APPALL;
            }
            return T_RDRALL;
        }
        return T_AND;
      case 124: // |
        switch (this.rune()) {
          case 124:
            this.rune();
            return T_OROR;
          case 38:
            if (posix) return T_OR;
            return bail("|&");
        }
        return T_OR;
      case 36: // $
        switch (this.rune()) {
          case 39:
            if (posix) return T_DOLLAR;
            return bail("$'");
          case 34:
            if (posix) return T_DOLLAR;
            return bail('$"');
          case 123:
            this.rune();
            return T_DOLLBRACE;
          case 91:
            if (!bash || this.quote === Q_PARAMNAME) return T_DOLLAR;
            return bail("$[");
          case 40:
            if (this.rune() === 40) {
              this.rune();
              return T_DOLLDBLPAREN;
            }
            return T_DOLLPAREN;
        }
        return T_DOLLAR;
      case 40: // (
        if (this.rune() === 40 && !posix && this.quote !== Q_TESTEXPR) bail("((");
        return T_LEFTPAREN;
      case 41: // )
        this.rune();
        return T_RIGHTPAREN;
      case 59: // ;
        switch (this.rune()) {
          case 59:
            if (this.rune() === 38 && bash) {
              this.rune();
              return T_DBLSEMIAND;
            }
            return T_DBLSEMICOLON;
          case 38:
            if (posix) return T_SEMICOLON;
            this.rune();
            return T_SEMIAND;
          case 124:
            if (this.lang !== L_MKSH) return T_SEMICOLON;
            this.rune();
            return T_SEMIOR;
        }
        return T_SEMICOLON;
      case 60: // <
        switch (this.rune()) {
          case 60: {
            const r2 = this.rune();
            if (r2 === 45) {
              this.rune();
              return T_DASHHDOC;
            }
            if (r2 === 60 && !posix) {
              this.rune();
              return T_WORDHDOC;
            }
            return T_HDOC;
          }
          case 62:
            this.rune();
            return T_RDRINOUT;
          case 38:
            this.rune();
            return T_DPLIN;
          case 40:
            if (!bash) return T_RDRIN;
            return bail("<(");
        }
        return T_RDRIN;
      default: // >
        switch (this.rune()) {
          case 62:
            this.rune();
            return T_APPOUT;
          case 38:
            this.rune();
            return T_DPLOUT;
          case 124:
            this.rune();
            return T_CLBOUT;
          case 40:
            if (!bash) return T_RDROUT;
            return bail(">(");
        }
        return T_RDROUT;
    }
  }

  private dqToken(r: number): number {
    if (r === 34) {
      this.rune();
      return T_DBLQUOTE;
    }
    if (r === 96) return bail("backquote");
    switch (this.rune()) {
      case 123:
        this.rune();
        return T_DOLLBRACE;
      case 91:
        if (this.lang !== L_BASH) return T_DOLLAR;
        return bail("$[");
      case 40:
        if (this.rune() === 40) {
          this.rune();
          return T_DOLLDBLPAREN;
        }
        return T_DOLLPAREN;
    }
    return T_DOLLAR;
  }

  /** An operator in arithmetic (mvdan's arithmToken; r is one of arithmOps). */
  private arithmToken(r: number): number {
    // The operators of one or two characters, and those that take a third "=" (<<= >>=).
    const r2 = this.rune();
    const two = (tok: number): number => {
      this.rune();
      return tok;
    };
    switch (r) {
      case 33: // !
        return r2 === 61 ? two(T_NEQUAL) : T_EXCLMARK;
      case 61: // =
        return r2 === 61 ? two(T_EQUAL) : T_ASSGN;
      case 126: // ~
        return T_TILDE;
      case 40:
        return T_LEFTPAREN;
      case 41:
        return T_RIGHTPAREN;
      case 38: // &
        return r2 === 38 ? two(T_ANDAND) : r2 === 61 ? two(T_ANDASSGN) : T_AND;
      case 124: // |
        return r2 === 124 ? two(T_OROR) : r2 === 61 ? two(T_ORASSGN) : T_OR;
      case 60: // <
        if (r2 === 60) return this.rune() === 61 ? two(T_SHLASSGN) : T_SHL;
        return r2 === 61 ? two(T_LEQUAL) : T_LSS;
      case 62: // >
        if (r2 === 62) return this.rune() === 61 ? two(T_SHRASSGN) : T_SHR;
        return r2 === 61 ? two(T_GEQUAL) : T_GTR;
      case 43: // +
        return r2 === 43 ? two(T_ADDADD) : r2 === 61 ? two(T_ADDASSGN) : T_PLUS;
      case 45: // -
        return r2 === 45 ? two(T_SUBSUB) : r2 === 61 ? two(T_SUBASSGN) : T_MINUS;
      case 37: // %
        return r2 === 61 ? two(T_REMASSGN) : T_PERC;
      case 42: // *
        return r2 === 42 ? two(T_POWER) : r2 === 61 ? two(T_MULASSGN) : T_STAR;
      case 47: // /
        return r2 === 61 ? two(T_QUOASSGN) : T_SLASH;
      case 94: // ^
        return r2 === 61 ? two(T_XORASSGN) : T_CARET;
      case 91:
        return T_LEFTBRACK;
      case 93:
        return T_RIGHTBRACK;
      case 44:
        return T_COMMA;
      case 63:
        return T_QUEST;
      case 58:
        return T_COLON;
      default: // #
        return T_HASH;
    }
  }

  private paramToken(r: number): number {
    switch (r) {
      case 125:
        this.rune();
        return T_RIGHTBRACE;
      case 58:
        switch (this.rune()) {
          case 43:
            this.rune();
            return T_COLPLUS;
          case 45:
            this.rune();
            return T_COLMINUS;
          case 63:
            this.rune();
            return T_COLQUEST;
          case 61:
            this.rune();
            return T_COLASSGN;
        }
        return T_COLON;
      case 43:
        this.rune();
        return T_PLUS;
      case 45:
        this.rune();
        return T_MINUS;
      case 63:
        this.rune();
        return T_QUEST;
      case 61:
        this.rune();
        return T_ASSGN;
      case 37:
        if (this.rune() === 37) {
          this.rune();
          return T_DBLPERC;
        }
        return T_PERC;
      case 35:
        if (this.rune() === 35) {
          this.rune();
          return T_DBLHASH;
        }
        return T_HASH;
      case 33:
        this.rune();
        return T_EXCLMARK;
      case 91:
        this.rune();
        return T_LEFTBRACK;
      case 93:
        this.rune();
        return T_RIGHTBRACK;
      case 47:
        if (this.rune() === 47 && this.quote !== Q_PARAMREPL) {
          this.rune();
          return T_DBLSLASH;
        }
        return T_SLASH;
      case 94:
        if (this.rune() === 94) {
          this.rune();
          return T_DBLCARET;
        }
        return T_CARET;
      case 44:
        if (this.rune() === 44) {
          this.rune();
          return T_DBLCOMMA;
        }
        return T_COMMA;
      case 64:
        this.rune();
        return T_AT;
      default: // *
        this.rune();
        return T_STAR;
    }
  }

  private isLitRedir(): boolean {
    const s = this.litStr();
    const lit = s.slice(0, s.length - 1);
    if (lit.length === 0) return bail("empty redirect literal");
    if (lit.charCodeAt(0) === 123 && lit.charCodeAt(lit.length - 1) === 125) return isValidName(lit.slice(1, lit.length - 1));
    return isNumber(lit);
  }

  private advanceLitNone(r: number): void {
    this.eqlOffs = -1;
    let tok = T_LITWORD;
    this.newLit(r);
    loop: while (r !== R_EOF) {
      switch (r) {
        case 32: case 9: case 10: case 13: case 38: case 124: case 59: case 40: case 41:
          break loop;
        case 92: // \ escapes the next character
          this.rune();
          break;
        case 62: case 60:
          if (this.peekByte(40)) tok = T_LIT;
          else if (this.isLitRedir()) tok = T_LITREDIR;
          break loop;
        case 96:
          if (this.quote !== Q_SUBCMD_BCKQUO) tok = T_LIT;
          break loop;
        case 34: case 39: case 36:
          tok = T_LIT;
          break loop;
        case 63: case 42: case 43: case 64: case 33:
          if (this.tokenizeGlob()) {
            tok = T_LIT;
            break loop;
          }
          break;
        case 61:
          if (this.eqlOffs < 0) this.eqlOffs = this.litLen() - 1;
          break;
        case 91:
          if (this.lang !== L_POSIX && this.litLen() > 1 && this.litFirst() !== 91) {
            tok = T_LIT;
            break loop;
          }
          break;
      }
      r = this.rune();
    }
    this.tok = tok;
    this.val = this.endLit();
  }

  private advanceLitOther(r: number): void {
    let tok = T_LITWORD;
    const q = this.quote;
    this.newLit(r);
    loop: while (r !== R_EOF) {
      switch (r) {
        case 92:
          this.rune();
          break;
        case 39: case 34: case 96: case 36:
          tok = T_LIT;
          break loop;
        case 125:
          if (q & Q_ALL_PARAMEXP) break loop;
          break;
        case 47:
          if (q !== Q_PARAMEXP) break loop;
          break;
        case 58: case 61: case 37: case 94: case 44: case 63: case 33: case 126: case 42:
          if (q & Q_ALL_ARITHM || q === Q_PARAMNAME) break loop;
          break;
        case 91: case 93:
          if (this.lang !== L_POSIX && q & Q_ALL_ARITHM) break loop;
          if (q & Q_ALL_PARAMREG) break loop;
          break;
        case 35: case 64:
          if (q & Q_ALL_PARAMREG) break loop;
          break;
        case 43: case 45: case 32: case 9: case 59: case 38: case 62: case 60: case 124: case 40: case 41: case 10: case 13:
          if (!(q & Q_ALL_KEEPSPACES)) break loop;
          break;
      }
      r = this.rune();
    }
    this.tok = tok;
    this.val = this.endLit();
  }

  private advanceLitDquote(r: number): void {
    let tok = T_LITWORD;
    this.newLit(r);
    loop: while (r !== R_EOF) {
      switch (r) {
        case 34:
          break loop;
        case 92:
          this.rune();
          break;
        case R_ESCNL: case 96: case 36:
          tok = T_LIT;
          break loop;
      }
      r = this.rune();
    }
    this.tok = tok;
    this.val = this.endLit();
  }

  private advanceLitHdoc(r: number): void {
    let lastTok = this.tok;
    while (r === R_ESCNL) {
      r = this.rune();
      lastTok = T_LIT;
    }
    this.posLine = this.line;
    this.posCol = this.col;
    this.tok = T_LIT;
    this.newLit(r);
    if (this.quote === Q_HDOCBODYTABS) while (r === 9) r = this.rune();
    let lStart = this.litLen() - 1;
    const stop = this.hdocStops[this.hdocStops.length - 1] ?? "";
    for (;; r = this.rune()) {
      switch (r) {
        case R_ESCNL: case 36:
          this.val = this.endLit();
          return;
        case 92:
          this.rune();
          break;
        case 96:
          this.val = this.endLit();
          return; // the backquote is lexed next, and bails
        case 10: case R_EOF: {
          if (lStart === 0 && lastTok === T_LIT) {
            // the line follows a line continuation: it cannot end the heredoc
          } else if (lStart >= 0) {
            let line = this.litTail(lStart);
            if (r !== R_EOF && line.length > 0) line = line.slice(0, line.length - 1);
            if (line === stop) {
              this.tok = T_LITWORD;
              this.val = this.endLit().slice(0, lStart);
              if (this.val === "") this.tok = T_NEWL;
              this.hdocStops[this.hdocStops.length - 1] = null;
              return;
            }
          }
          if (r !== 10) return; // end of input: the heredoc is unclosed
          if (this.quote === Q_HDOCBODYTABS) while (this.peekByte(9)) this.rune();
          lStart = this.litLen();
          break;
        }
      }
    }
  }

  private advanceNameCont(r: number): void {
    this.newLit(r);
    while (r !== R_EOF) {
      if ((r >= 97 && r <= 122) || (r >= 65 && r <= 90) || r === 95 || (r >= 48 && r <= 57) || r === R_ESCNL) r = this.rune();
      else break;
    }
    this.tok = T_LITWORD;
    this.val = this.endLit();
  }

  // ---- parser ----

  private got(tok: number): boolean {
    if (this.tok === tok) {
      this.next();
      return true;
    }
    return false;
  }
  private isRsrv(val: string): boolean {
    return this.tok === T_LITWORD && this.val === val;
  }
  private gotRsrv(val: string): boolean {
    if (this.tok === T_LITWORD && this.val === val) {
      this.next();
      return true;
    }
    return false;
  }
  private needRsrv(val: string): void {
    if (!this.gotRsrv(val)) bail(`expected ${val}`);
  }
  private stopToken(): boolean {
    switch (this.tok) {
      case T_EOF: case T_NEWL: case T_SEMICOLON: case T_AND: case T_OR: case T_ANDAND: case T_OROR: case T_ORAND:
      case T_DBLSEMICOLON: case T_SEMIAND: case T_DBLSEMIAND: case T_SEMIOR: case T_RIGHTPAREN:
        return true;
    }
    return false;
  }
  private enter(): void {
    if (++this.nest > MAX_NEST) bail("nesting");
  }

  private stmtList(stops: string[] | null): LNode[] {
    this.enter();
    const stmts: LNode[] = [];
    let gotEnd = true;
    loop: while (this.tok !== T_EOF) {
      const newLine = this.got(T_NEWL);
      switch (this.tok) {
        case T_LITWORD:
          if (stops && stops.includes(this.val)) break loop;
          break;
        case T_RIGHTPAREN:
          if (this.quote === Q_SUBCMD) break loop;
          break;
        case T_DBLSEMICOLON: case T_SEMIAND: case T_DBLSEMIAND: case T_SEMIOR:
          if (this.quote === Q_SWITCHCASE) break loop;
          bail("case operator outside case");
      }
      if (!newLine && !gotEnd) bail("statements must be separated");
      if (this.tok === T_EOF) break;
      const s = this.getStmt(true, false);
      if (!s) return bail("invalid statement start");
      gotEnd = this.lastSemi;
      stmts.push(s);
    }
    this.nest--;
    return stmts;
  }

  private followStmts(stops: string[]): LNode[] {
    if (this.got(T_SEMICOLON)) return [];
    const newLine = this.got(T_NEWL);
    const stmts = this.stmtList(stops);
    if (stmts.length < 1 && !newLine) bail("expected a statement list");
    return stmts;
  }

  private getStmt(readEnd: boolean, binCmd: boolean): LNode | null {
    this.enter();
    let s = mkStmt(this.posLine, this.posCol);
    if (this.gotRsrv("!")) {
      s.negated = true;
      if (this.stopToken()) bail("! alone");
      if (this.isRsrv("!")) bail("double !");
    }
    const piped = this.gotStmtPipe(s, false);
    if (!piped) {
      this.nest--;
      return null;
    }
    s = piped;
    while (this.tok === T_ANDAND || this.tok === T_OROR) {
      if (binCmd) {
        this.nest--;
        return s;
      }
      const op = this.tok;
      this.next();
      this.got(T_NEWL);
      const y = this.getStmt(false, true);
      if (!y) return bail("expected a statement after && or ||");
      const b = mkStmt(s.line, s.col);
      b.cmd = { type: "BinaryCmd", op, x: s, y };
      s = b;
    }
    let semi = false;
    if (readEnd) {
      if (this.tok === T_SEMICOLON) {
        semi = true;
        this.next();
      } else if (this.tok === T_AND) {
        semi = true;
        this.next();
        s.background = true;
      } else if (this.tok === T_ORAND) bail("|&");
    }
    this.lastSemi = semi;
    this.nest--;
    return s;
  }

  private gotStmtPipe(s: LNode, binCmd: boolean): LNode | null {
    const posix = this.lang === L_POSIX;
    switch (this.tok) {
      case T_LITWORD: {
        switch (this.val) {
          case "{":
            this.block(s);
            break;
          case "if":
            this.ifClause(s);
            break;
          case "while":
          case "until":
            this.whileClause(s, this.val === "until");
            break;
          case "for":
            this.forClause(s);
            break;
          case "case":
            this.caseClause(s);
            break;
          case "}": case "then": case "elif": case "fi": case "do": case "done": case "esac": case "!":
            bail(`misplaced ${this.val}`);
            break;
          case "[[":
            if (!posix) this.testClause(s);
            break;
          case "]]": case "let": case "function": case "time": case "select":
            if (!posix) bail(this.val);
            break;
          case "coproc":
            if (this.lang === L_BASH) bail("coproc");
            break;
          case "declare":
            if (this.lang === L_BASH) this.declClause(s);
            break;
          case "local": case "export": case "readonly": case "typeset": case "nameref":
            if (!posix) this.declClause(s);
            break;
        }
        if (s.cmd !== null) break;
        if (this.hasValidIdent()) {
          this.callExpr(s, null, true);
          break;
        }
        const name = this.val;
        this.next();
        if (this.got(T_LEFTPAREN)) {
          if (!this.got(T_RIGHTPAREN)) bail("foo( must be followed by )");
          if (posix && !isValidName(name)) bail("invalid func name");
          this.got(T_NEWL);
          const body = this.getStmt(false, false);
          if (!body) return bail("function without a body");
          s.cmd = { type: "FuncDecl", name: this.gs(name), body };
        } else {
          this.callExpr(s, mkWord([mkLit(this.gs(name))]), false);
        }
        break;
      }
      case T_RDROUT: case T_APPOUT: case T_RDRIN: case T_DPLIN: case T_DPLOUT: case T_CLBOUT: case T_RDRINOUT:
      case T_HDOC: case T_DASHHDOC: case T_WORDHDOC: case T_RDRALL: case T_APPALL: case T_LITREDIR:
        this.doRedirect(s);
        this.callExpr(s, null, false);
        break;
      case T_LIT: case T_DOLLBRACE: case T_DOLLPAREN: case T_DOLLDBLPAREN: case T_DOLLAR: case T_SGLQUOTE: case T_DBLQUOTE: {
        if (this.hasValidIdent()) {
          this.callExpr(s, null, true);
          break;
        }
        const w = mkWord(this.wordParts());
        if (this.tok === T_LEFTPAREN) bail("invalid func name");
        this.callExpr(s, w, false);
        break;
      }
      case T_LEFTPAREN:
        this.subshell(s);
        break;
      default:
        return null;
    }
    while (isRedirTok(this.tok)) this.doRedirect(s);
    while (this.tok === T_OR) {
      if (binCmd) return s;
      this.next();
      this.got(T_NEWL);
      this.enter();
      const y = this.gotStmtPipe(mkStmt(this.posLine, this.posCol), true);
      this.nest--;
      if (!y) return bail("expected a statement after |");
      const b = mkStmt(s.line, s.col);
      b.cmd = { type: "BinaryCmd", op: T_OR, x: s, y };
      b.negated = s.negated;
      s.negated = false;
      s = b;
    }
    return s;
  }

  private hasValidIdent(): boolean {
    if (this.tok !== T_LIT && this.tok !== T_LITWORD) return false;
    let end = this.eqlOffs;
    if (end > 0) {
      if (this.val.charCodeAt(end - 1) === 43 && this.lang !== L_POSIX) end--;
      if (isValidName(this.val.slice(0, end))) return true;
    } else if (!isValidName(this.val)) return false;
    return this.r === 91;
  }

  private getAssign(): LNode {
    if (!(this.eqlOffs > 0)) return bail("indexed assignment");
    const val = this.val;
    let nameEnd = this.eqlOffs;
    let append = false;
    if (this.lang !== L_POSIX && val.charCodeAt(nameEnd - 1) === 43) {
      append = true;
      nameEnd--;
    }
    const name = val.slice(0, nameEnd);
    const rest = val.slice(this.eqlOffs + 1);
    let parts: LNode[] | null = rest !== "" ? [mkLit(this.gs(rest))] : null;
    this.next();
    if (!(this.spaced || this.stopToken())) {
      if (parts === null && this.tok === T_LEFTPAREN) {
        const array = this.arrayExpr();
        // lower() gives a=(…) a value-less assignment with the elements in `array`
        const a: LNode = { type: "Assign", name: this.gs(name), value: null, append, naked: false, array };
        this.arrayAssigns.add(a);
        return a;
      }
      const w = this.getWord();
      if (w) parts = parts ? parts.concat(w.parts) : w.parts;
    }
    return { type: "Assign", name: this.gs(name), value: parts ? mkWord(parts) : null, append, naked: false };
  }

  /** The (...) of a=(...): its elements, as lower() gives them ([i]=v ones bail, in the lexer). */
  private arrayExpr(): LNode[] {
    if (this.lang === L_POSIX) bail("arrays");
    const old = this.quote;
    const oldBuried = this.buriedHdocs;
    this.buriedHdocs = this.heredocs.length;
    // mksh lexes the elements as in the enclosing context
    if (this.lang === L_BASH) this.quote = Q_ARRAYELEMS;
    this.enter();
    this.next();
    this.got(T_NEWL);
    const elems: LNode[] = [];
    while (this.tok !== T_EOF && this.tok !== T_RIGHTPAREN) {
      if (this.tok === T_LEFTBRACK) bail("[i]= in an array");
      const w = this.getWord();
      if (w) elems.push({ type: "ArrayElem", index: null, value: w });
      else {
        const t = this.tok;
        if (t === T_LEFTPAREN) bail("arrays cannot be nested");
        if (t !== T_NEWL && t !== T_RIGHTPAREN) bail("array element values must be words");
      }
      this.got(T_NEWL);
    }
    this.quote = old;
    this.buriedHdocs = oldBuried;
    if (!this.got(T_RIGHTPAREN)) bail("unclosed array");
    this.nest--;
    return elems;
  }

  private callExpr(s: LNode, w: LNode | null, assign: boolean): void {
    const assigns: LNode[] = [];
    const args: LNode[] = w ? [w] : [];
    if (assign) assigns.push(this.getAssign());
    loop: for (;;) {
      switch (this.tok) {
        case T_EOF: case T_NEWL: case T_SEMICOLON: case T_AND: case T_OR: case T_ANDAND: case T_OROR: case T_ORAND:
        case T_DBLSEMICOLON: case T_SEMIAND: case T_DBLSEMIAND: case T_SEMIOR:
          break loop;
        case T_LITWORD:
          if (args.length === 0 && this.hasValidIdent()) {
            assigns.push(this.getAssign());
            break;
          }
          args.push(mkWord([mkLit(this.gs(this.val))]));
          this.next();
          break;
        case T_LIT:
          if (args.length === 0 && this.hasValidIdent()) {
            assigns.push(this.getAssign());
            break;
          }
          args.push(mkWord(this.wordParts()));
          break;
        case T_DOLLBRACE: case T_DOLLPAREN: case T_DOLLDBLPAREN: case T_DOLLAR: case T_SGLQUOTE: case T_DBLQUOTE:
          args.push(mkWord(this.wordParts()));
          break;
        case T_RDROUT: case T_APPOUT: case T_RDRIN: case T_DPLIN: case T_DPLOUT: case T_CLBOUT: case T_RDRINOUT:
        case T_HDOC: case T_DASHHDOC: case T_WORDHDOC: case T_RDRALL: case T_APPALL: case T_LITREDIR:
          this.doRedirect(s);
          break;
        case T_RIGHTPAREN:
          if (this.quote === Q_SUBCMD) break loop;
          bail("unexpected )");
          break;
        default:
          bail("a command can only contain words and redirects");
      }
    }
    if (assigns.length === 0 && args.length === 0) return;
    if (args.length > 0) for (const a of assigns) if (this.arrayAssigns.has(a)) bail("inline variables cannot be arrays");
    s.cmd = { type: "CallExpr", assigns, args };
  }

  private declClause(s: LNode): void {
    const variant = this.val;
    this.next();
    const args: LNode[] = [];
    while (!this.stopToken() && !isRedirTok(this.tok)) {
      if (this.hasValidIdent()) {
        args.push(this.getAssign());
      } else if (this.eqlOffs > 0) {
        bail("invalid var name");
      } else if (this.tok === T_LITWORD && isValidName(this.val)) {
        args.push({ type: "Assign", name: this.val, value: null, append: false, naked: true });
        this.next();
      } else {
        const w = this.getWord();
        if (!w) bail("expected names or assignments");
        args.push({ type: "Assign", name: null, value: w, append: false, naked: true });
      }
    }
    s.cmd = { type: "DeclClause", variant, args };
  }

  private doRedirect(s: LNode): void {
    s.redirs++;
    let fd: string | null = null;
    if (this.tok === T_LITREDIR) {
      fd = this.val;
      this.next();
    }
    if (this.lang !== L_BASH && fd !== null && fd.charCodeAt(0) === 123) bail("{varname} redirect");
    const op = this.tok;
    if (!(op >= T_RDROUT && op <= T_APPALL)) bail("redirect operator");
    this.next();
    if (op === T_HDOC || op === T_DASHHDOC) {
      const old = this.quote;
      this.quote = Q_HDOCWORD;
      this.forbidNested = true;
      const h: Heredoc = { op, word: null };
      this.heredocs.push(h);
      h.word = this.getWord();
      if (!h.word) bail("<< must be followed by a word");
      this.quote = old;
      this.forbidNested = false;
      if (this.tok === T_NEWL) this.doHeredocs();
    } else if (!this.getWord()) bail("redirect must be followed by a word");
  }

  private doHeredocs(): void {
    if (this.heredocs.length <= this.buriedHdocs) return;
    const hdocs = this.heredocs.slice(this.buriedHdocs);
    this.rune(); // the newline
    const old = this.quote;
    this.heredocs.length = this.buriedHdocs;
    for (let i = 0; i < hdocs.length; i++) {
      const h = hdocs[i]!;
      this.quote = h.op === T_DASHHDOC ? Q_HDOCBODYTABS : Q_HDOCBODY;
      const [stop, quoted] = heredocStop(h.word!);
      this.hdocStops.push(stop);
      if (i > 0 && this.r === 10) this.rune();
      if (quoted) this.quotedHdocBody();
      else {
        this.next();
        this.getWord();
      }
      if (this.hdocStops[this.hdocStops.length - 1] !== null) bail("unclosed here-document");
      this.hdocStops.pop();
    }
    this.quote = old;
  }

  /**
   * The body of a heredoc with a quoted delimiter: nothing in it is expanded, and it is not in the tree,
   * so only the search for the delimiter line matters. mvdan compares the text since the start of the
   * line (after leading tabs for <<-) with the delimiter; a line ending in a continuation ends in a
   * backslash there. When the line starts with a continuation or the end of input, mvdan's line starts
   * one character early (the newline or tab before): it cannot match a delimiter of printable
   * characters (heredocStop ensures that), so such lines are skipped.
   */
  private quotedHdocBody(): void {
    let r = this.r;
    const stop = this.hdocStops[this.hdocStops.length - 1];
    for (;;) {
      if (r === R_EOF) return;
      if (this.quote === Q_HDOCBODYTABS) while (r === 9) r = this.rune();
      const normal = r !== R_EOF && r !== R_ESCNL;
      const start = this.bsp - this.wu;
      while (r !== R_EOF && r !== 10 && r !== R_ESCNL) r = this.rune();
      if (normal) {
        const line = r === 10 ? this.src.slice(start, this.bsp - 1) : r === R_EOF ? this.src.slice(start, this.n) : this.src.slice(start, this.escAt) + "\\";
        if (line === stop) {
          this.hdocStops[this.hdocStops.length - 1] = null;
          return;
        }
      }
      r = this.rune();
    }
  }

  private ensureNoNested(): void {
    if (this.forbidNested) bail("expansion in heredoc word");
  }

  private getWord(): LNode | null {
    const parts = this.wordParts();
    return parts.length > 0 ? mkWord(parts) : null;
  }

  private wordParts(): LNode[] {
    const parts: LNode[] = [];
    for (;;) {
      const p = this.wordPart();
      if (p === null) return parts;
      parts.push(p);
      if (this.spaced) return parts;
    }
  }

  private wordPart(): LNode | null {
    switch (this.tok) {
      case T_LIT:
      case T_LITWORD: {
        const l = mkLit(this.gs(this.val));
        this.next();
        return l;
      }
      case T_DOLLBRACE: {
        this.ensureNoNested();
        const r = this.r;
        if (r === 124 || r === 32 || r === 9 || r === 10) bail("${ stmts;}");
        this.enter();
        const pe = this.paramExp();
        this.nest--;
        return pe;
      }
      case T_DOLLPAREN: {
        this.ensureNoNested();
        this.enter();
        const old = this.quote;
        const oldBuried = this.buriedHdocs;
        this.buriedHdocs = this.heredocs.length;
        this.quote = Q_SUBCMD;
        this.next();
        const stmts = this.stmtList(null);
        this.quote = old;
        this.buriedHdocs = oldBuried;
        if (!this.got(T_RIGHTPAREN)) bail("unclosed $(");
        this.nest--;
        return { type: "CmdSubst", stmts };
      }
      case T_DOLLDBLPAREN: {
        this.ensureNoNested();
        this.enter();
        const old = this.quote;
        const oldBuried = this.buriedHdocs;
        this.buriedHdocs = this.heredocs.length;
        this.quote = Q_ARITHM_EXPR;
        this.next();
        if (this.tok === T_HASH) bail("$((# unsigned");
        const x = this.arithmExpr();
        // mvdan's arithmEnd: ")" then ")" right after it
        if (this.tok !== T_RIGHTPAREN || this.r !== 41) bail("unclosed $((");
        this.rune();
        this.quote = old;
        this.buriedHdocs = oldBuried;
        this.next();
        this.nest--;
        return { type: "ArithmExp", x };
      }
      case T_DOLLAR: {
        const r = this.r;
        if (singleRuneParam(r)) {
          this.tok = T_LITWORD;
          this.val = String.fromCharCode(r);
          this.rune();
        } else if ((r >= 97 && r <= 122) || (r >= 65 && r <= 90) || (r >= 48 && r <= 57) || r === 95 || r === 92) {
          this.advanceNameCont(r);
        } else {
          const l = mkLit("$");
          this.next();
          return l;
        }
        this.ensureNoNested();
        const line = this.posLine;
        const col = this.posCol;
        const param = this.val;
        this.next();
        if (param === "") return mkLit("$");
        return { type: "ParamExp", line, col, param, short: true, length: false, excl: false, index: null, exp: null, slice: null, repl: null };
      }
      case T_SGLQUOTE: {
        let r = this.r;
        this.newLit(r);
        for (;;) {
          if (r === 39) {
            const value = this.endLit();
            this.rune();
            this.next();
            return { type: "SglQuoted", value: this.gs(value), dollar: false };
          }
          if (r === R_ESCNL) this.litAppend("\\\n");
          else if (r === R_EOF) bail("unclosed '");
          r = this.rune();
        }
      }
      case T_DBLQUOTE: {
        if (this.quote === Q_DBLQUOTES) return null;
        this.enter();
        const old = this.quote;
        this.quote = Q_DBLQUOTES;
        this.next();
        const parts = this.wordParts();
        this.quote = old;
        if (!this.got(T_DBLQUOTE)) bail('unclosed "');
        this.nest--;
        return { type: "DblQuoted", parts };
      }
    }
    return null;
  }

  private paramExp(): LNode {
    const line = this.posLine;
    const col = this.posCol;
    const old = this.quote;
    this.quote = Q_PARAMNAME;
    if (this.r === 35) {
      this.tok = T_HASH;
      this.posLine = this.line;
      this.posCol = this.col;
      this.rune();
    } else this.next();
    let length = false;
    let excl = false;
    switch (this.tok) {
      case T_HASH:
        if (paramNameOp(this.r)) {
          length = true;
          this.next();
        }
        break;
      case T_PERC:
        bail("${%x}");
        break;
      case T_EXCLMARK:
        // ${!x} (bash, mksh): an error in POSIX mode; ${!prefix@} and ${!x@op} bail below (@ and *)
        if (paramNameOp(this.r)) {
          if (this.lang === L_POSIX) bail("${!x} in POSIX mode");
          excl = true;
          this.next();
        }
        break;
    }
    let param: string;
    switch (this.tok) {
      case T_LIT:
      case T_LITWORD:
        if (!isNumber(this.val) && !isValidName(this.val)) bail("invalid parameter name");
        param = this.val;
        this.next();
        break;
      case T_QUEST:
      case T_MINUS:
        if (length && this.r !== 125) {
          // ${#-default}: # is the parameter, - the operator
          length = false;
          param = "#";
          break;
        }
        param = tokString(this.tok);
        this.next();
        break;
      case T_AT: case T_STAR: case T_HASH: case T_EXCLMARK: case T_DOLLAR:
        param = tokString(this.tok);
        this.next();
        break;
      default:
        return bail("parameter expansion requires a literal");
    }
    if (this.tok === T_LIT || this.tok === T_LITWORD) bail("parameter cannot be followed by a word");
    let index: LNode = null;
    if (this.tok === T_LEFTBRACK) {
      if (this.lang === L_POSIX) bail("arrays");
      if (!isValidName(param)) bail("cannot index a special parameter name");
      index = this.eitherIndex();
    }
    let exp: LNode = null;
    if (this.tok !== T_RIGHTBRACE) {
      if (length) bail("cannot combine multiple parameter expansion operators");
      if (this.tok === T_COLON) {
        // ${x:offset} and ${x:offset:length}: arithmetic expressions (either may be left out)
        if (this.lang === L_POSIX) bail("slicing");
        this.quote = Q_PARAMSLICE;
        this.next();
        let offset: LNode = null;
        let len: LNode = null;
        if (this.tok !== T_COLON) offset = this.arithmExpr();
        if (this.tok === T_COLON) {
          this.next();
          len = this.arithmExpr();
        }
        this.quote = old;
        if (this.tok !== T_RIGHTBRACE) bail("unclosed ${x:");
        this.next();
        const slice = { offset, length: len };
        return { type: "ParamExp", line, col, param, short: false, length: false, excl, index, exp: null, slice, repl: null };
      }
      if (this.tok < T_PLUS || this.tok > T_DBLHASH) bail("parameter expansion operator");
      const op = this.tok;
      this.quote = Q_PARAMEXP;
      this.next();
      exp = { op, word: this.getWord() };
      if (this.tok !== T_RIGHTBRACE) bail("unclosed ${");
    }
    this.quote = old;
    this.next();
    return { type: "ParamExp", line, col, param, short: false, length, excl, index, exp, slice: null, repl: null };
  }

  /** The index of ${a[i]}: an arithmetic expression, or @ or * (mvdan's eitherIndex). */
  private eitherIndex(): LNode {
    const old = this.quote;
    this.quote = Q_ARITHM_BRACK;
    this.next();
    if (this.tok === T_STAR || this.tok === T_AT) {
      this.val = this.tok === T_STAR ? "*" : "@";
      this.tok = T_LITWORD;
    }
    const x = this.arithmExpr();
    this.quote = old;
    if (this.tok !== T_RIGHTBRACK) bail("unclosed [");
    this.next();
    return x;
  }

  // ---- arithmetic (mvdan's arithmExpr* in non-compact mode: $((...)), ${x:a:b}, ${a[i]}) ----
  // Every level returns a node: where mvdan's returns nil, each of its callers reports an error, so
  // the port bails at once. Assignments, ?:, ++ and --, a[i] and newlines inside bail.

  private arithmExpr(): LNode {
    // mvdan goes down its 14 levels of precedence (some 25 stack frames) for each nested expression,
    // where a nested statement costs it about 5: count one as ARITHM_NEST_COST levels of nesting.
    this.nest += ARITHM_NEST_COST - 1;
    this.enter();
    const x = this.arithmBinary(0);
    this.nest -= ARITHM_NEST_COST;
    return x;
  }

  private arithmBinary(level: number): LNode {
    const ops = ARITHM_LEVELS[level]!;
    let x = level === 0 ? this.arithmAssign() : level + 1 < ARITHM_LEVELS.length ? this.arithmBinary(level + 1) : this.arithmPower();
    while (ops.includes(this.tok)) {
      const op = this.tok;
      this.nextArithm();
      const y = level === 0 ? this.arithmAssign() : level + 1 < ARITHM_LEVELS.length ? this.arithmBinary(level + 1) : this.arithmPower();
      x = { type: "BinaryArithm", op, x, y };
    }
    return x;
  }

  /** mvdan's assignment and ternary levels, between "," and "||": only the pass-through here. */
  private arithmAssign(): LNode {
    const x = this.arithmBinary(1);
    const t = this.tok;
    if (t === T_QUEST) bail("arithmetic ?:");
    if ((t >= T_ADDASSGN && t <= T_SHRASSGN) || t === T_ASSGN) bail("arithmetic assignment");
    return x;
  }

  private arithmPower(): LNode {
    const x = this.arithmUnary();
    if (this.tok !== T_POWER) return x;
    this.nextArithm();
    this.enter();
    const y = this.arithmPower();
    this.nest--;
    return { type: "BinaryArithm", op: T_POWER, x, y };
  }

  private arithmUnary(): LNode {
    if (this.tok === T_NEWL) bail("newline in arithmetic");
    const t = this.tok;
    if (t === T_EXCLMARK || t === T_TILDE || t === T_PLUS || t === T_MINUS) {
      this.nextArithm();
      this.enter();
      const x = this.arithmUnary();
      this.nest--;
      return { type: "UnaryArithm", op: t, x };
    }
    return this.arithmValue();
  }

  private arithmValue(): LNode {
    let x: LNode;
    switch (this.tok) {
      case T_ADDADD: case T_SUBSUB:
        return bail("arithmetic ++/--");
      case T_LEFTPAREN: {
        this.nextArithm();
        const inner = this.arithmExpr();
        if (this.tok !== T_RIGHTPAREN) bail("unclosed ( in arithmetic");
        this.next();
        // lower() reads ParenArithm's Op, a field that the Go struct does not have.
        x = { type: "ParenArithm", op: undefined, x: inner };
        break;
      }
      case T_LEFTBRACK: case T_COLON:
        return bail("arithmetic [ or :");
      case T_LITWORD: {
        const v = this.gs(this.val);
        const line = this.posLine;
        const col = this.posCol;
        this.next();
        if (this.tok === T_LEFTBRACK) {
          // a[i]: mvdan makes it a short ParamExp, at the name
          if (this.lang === L_POSIX) bail("arrays");
          const index = this.eitherIndex();
          x = mkWord([{ type: "ParamExp", line, col, param: v, short: true, length: false, excl: false, index, exp: null, slice: null, repl: null }]);
        } else x = mkWord([mkLit(v)]);
        break;
      }
      default: {
        const w = this.getWord();
        if (!w) return bail("arithmetic expression expected");
        x = w;
      }
    }
    if (this.tok === T_NEWL) bail("newline in arithmetic");
    if (this.tok === T_ADDADD || this.tok === T_SUBSUB) bail("arithmetic ++/--");
    return x;
  }

  private nextArithm(): void {
    this.next();
    if (this.tok === T_NEWL) bail("newline in arithmetic");
  }

  private block(s: LNode): void {
    this.next();
    const stmts = this.stmtList(["}"]);
    this.needRsrv("}");
    s.cmd = { type: "Block", stmts };
  }

  private subshell(s: LNode): void {
    const old = this.quote;
    const oldBuried = this.buriedHdocs;
    this.buriedHdocs = this.heredocs.length;
    this.quote = Q_SUBCMD;
    this.next();
    const stmts = this.stmtList(null);
    this.quote = old;
    this.buriedHdocs = oldBuried;
    if (!this.got(T_RIGHTPAREN)) bail("unclosed (");
    s.cmd = { type: "Subshell", stmts };
  }

  private ifClause(s: LNode): void {
    this.next();
    const cond = this.followStmts(["then"]);
    this.needRsrv("then");
    const then = this.followStmts(["fi", "elif", "else"]);
    const root: LNode = { type: "IfClause", cond, then, else: null };
    let cur = root;
    while (this.isRsrv("elif")) {
      this.next();
      const c = this.followStmts(["then"]);
      this.needRsrv("then");
      const t = this.followStmts(["fi", "elif", "else"]);
      const e: LNode = { type: "IfClause", cond: c, then: t, else: null };
      cur.else = e;
      cur = e;
    }
    if (this.gotRsrv("else")) {
      const t = this.followStmts(["fi"]);
      cur.else = { type: "IfClause", cond: [], then: t, else: null };
    }
    this.needRsrv("fi");
    s.cmd = root;
  }

  private whileClause(s: LNode, until: boolean): void {
    const line = this.posLine;
    const col = this.posCol;
    this.next();
    const cond = this.followStmts(["do"]);
    this.needRsrv("do");
    const body = this.followStmts(["done"]);
    this.needRsrv("done");
    s.cmd = { type: "WhileClause", line, col, until, cond, do: body };
  }

  private forClause(s: LNode): void {
    this.next();
    if (this.tok === T_LEFTPAREN) bail("c-style for");
    let name: string;
    if (this.tok === T_LIT || this.tok === T_LITWORD || this.tok === T_LITREDIR) {
      name = this.val;
      this.next();
    } else return bail("for must be followed by a literal");
    let loop: LNode;
    if (this.got(T_SEMICOLON)) {
      this.got(T_NEWL);
      loop = { type: "WordIter", name: this.gs(name), items: [], inPos: false };
    } else {
      this.got(T_NEWL);
      if (this.gotRsrv("in")) {
        const items: LNode[] = [];
        while (!this.stopToken()) {
          const w = this.getWord();
          if (!w) bail("word list can only contain words");
          items.push(w);
        }
        this.got(T_SEMICOLON);
        this.got(T_NEWL);
        loop = { type: "WordIter", name: this.gs(name), items, inPos: true };
      } else if (this.isRsrv("do")) {
        loop = { type: "WordIter", name: this.gs(name), items: [], inPos: false };
      } else return bail('for foo must be followed by "in", "do", ; or a newline');
    }
    if (this.isRsrv("{")) bail("for with braces");
    this.needRsrv("do");
    const body = this.followStmts(["done"]);
    this.needRsrv("done");
    s.cmd = { type: "ForClause", loop, do: body };
  }

  // ---- [[ ]] (mvdan's testClause, testExpr, testExprBase) ----

  private testClause(s: LNode): void {
    const old = this.quote;
    const oldBuried = this.buriedHdocs;
    this.buriedHdocs = this.heredocs.length;
    this.quote = Q_TESTEXPR;
    this.next();
    if (this.isRsrv("]]") || this.tok === T_EOF) bail("[[ ]] without an expression");
    const x = this.testExpr(false);
    // mvdan reads the token after ]] before it leaves the [[ state
    if (!this.gotRsrv("]]")) bail("unclosed [[");
    this.quote = old;
    this.buriedHdocs = oldBuried;
    s.cmd = { type: "TestClause", x };
  }

  /**
   * mvdan's testExpr: with pastAndOr, an operand and what follows it; without, the same again (so
   * that `a && b == c` and `a == b && c` nest as in mvdan). && and || recurse to the right.
   * Like the arithmetic, it never returns nil: wherever mvdan's would, its callers report an error.
   */
  private testExpr(pastAndOr: boolean): LNode {
    this.got(T_NEWL);
    this.enter();
    const x = pastAndOr ? this.testExprBase() : this.testExpr(true);
    this.got(T_NEWL);
    let op: number;
    switch (this.tok) {
      case T_ANDAND: case T_OROR: case T_LSS: case T_GTR:
        op = this.tok;
        break;
      case T_LITWORD:
        if (this.val === "]]") {
          this.nest--;
          return x;
        }
        op = BIN_TEST_OPS[this.val] ?? 0;
        if (op === 0) bail("not a valid test operator");
        break;
      case T_EOF: case T_RIGHTPAREN:
        this.nest--;
        return x;
      default:
        return bail("not a valid test operator");
    }
    let y: LNode;
    if (op === T_ANDAND || op === T_OROR) {
      this.next();
      y = this.testExpr(false);
    } else {
      if (op === T_TSREMATCH) bail("=~");
      if (x.type !== "Word") bail("expected &&, || or ]] after complex expr");
      this.next();
      y = this.getWord();
      if (!y) bail("test operator must be followed by a word");
    }
    this.nest--;
    return { type: "BinaryTest", op, x, y };
  }

  private testExprBase(): LNode {
    let t = this.tok;
    if (t === T_LITWORD) {
      const u = UN_TEST_OPS[this.val] ?? 0;
      // -N and -R are bash's: elsewhere they are plain words
      if (u !== 0 && ((u !== T_TSMODIF && u !== T_TSREFVAR) || this.lang === L_BASH)) t = u;
    }
    if (t === T_EXCLMARK) {
      this.next();
      return { type: "UnaryTest", op: T_EXCLMARK, x: this.testExpr(false) };
    }
    if (t >= T_TSEXISTS && t <= T_TSREFVAR) {
      this.next();
      const x = this.getWord();
      if (!x) bail("test operator must be followed by a word");
      return { type: "UnaryTest", op: t, x };
    }
    if (t === T_LEFTPAREN) {
      this.next();
      const x = this.testExpr(false);
      if (this.tok !== T_RIGHTPAREN) bail("unclosed ( in [[ ]]");
      this.next();
      return { type: "ParenTest", x };
    }
    if (t === T_EOF || t === T_RIGHTPAREN || (t === T_LITWORD && this.val === "]]")) bail("expression expected in [[ ]]");
    const w = this.getWord();
    if (!w) bail("expression expected in [[ ]]");
    return w;
  }

  private caseClause(s: LNode): void {
    this.next();
    const word = this.getWord();
    if (!word) bail("case must be followed by a word");
    this.got(T_NEWL);
    if (this.isRsrv("{")) bail("case with braces");
    this.needRsrv("in");
    const items: LNode[] = [];
    this.got(T_NEWL);
    while (this.tok !== T_EOF && !this.isRsrv("esac")) {
      this.got(T_LEFTPAREN);
      const patterns: LNode[] = [];
      while (this.tok !== T_EOF) {
        const w = this.getWord();
        if (!w) bail("case patterns must consist of words");
        patterns.push(w);
        if (this.tok === T_RIGHTPAREN) break;
        if (!this.got(T_OR)) bail("case patterns must be separated with |");
      }
      const old = this.quote;
      const oldBuried = this.buriedHdocs;
      this.buriedHdocs = this.heredocs.length;
      this.quote = Q_SWITCHCASE;
      this.next();
      const stmts = this.stmtList(["esac"]);
      this.quote = old;
      this.buriedHdocs = oldBuried;
      const t = this.tok;
      if (t === T_DBLSEMICOLON || t === T_SEMIAND || t === T_DBLSEMIAND || t === T_SEMIOR) {
        this.next();
        this.got(T_NEWL);
        items.push({ type: "CaseItem", op: t, patterns, stmts });
      } else {
        items.push({ type: "CaseItem", op: T_DBLSEMICOLON, patterns, stmts });
        break;
      }
    }
    this.needRsrv("esac");
    s.cmd = { type: "CaseClause", word, items };
  }
}

/** The delimiter of a heredoc as mvdan computes it, and whether it was quoted (no expansions). */
function heredocStop(word: LNode): [string, boolean] {
  let stop = "";
  let quoted = false;
  for (const p of word.parts as LNode[]) {
    if (p.type === "Lit") {
      const v: string = p.value;
      for (let i = 0; i < v.length; i++) {
        if (v.charCodeAt(i) === 92) {
          if (++i < v.length) stop += v[i];
          quoted = true;
        } else stop += v[i];
      }
    } else if (p.type === "SglQuoted") {
      stop += p.value;
      quoted = true;
    } else if (p.type === "DblQuoted") {
      for (const q of p.parts as LNode[]) if (q.type === "Lit") stop += q.value;
      quoted = true;
    } else bail("heredoc delimiter");
  }
  if (!/^[\x20-\x7e]+$/.test(stop)) bail("heredoc delimiter empty or not printable ASCII");
  return [stop, quoted];
}

/** The depth of the deepest node as lower() counts it (File is 0), or Infinity past `limit`. */
function treeDepth(n: LNode, d: number, limit: number): number {
  if (d > limit) return Infinity;
  let max = d;
  for (const k in n) {
    const v = n[k];
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (const c of v) {
        const x = treeDepth(c, d + 1, limit);
        if (x > max) max = x;
      }
    } else if (typeof v.type === "string") {
      const x = treeDepth(v, d + 1, limit);
      if (x > max) max = x;
    } else {
      // ParamExp's exp { op, word } and slice { offset, length }: their nodes are one level down
      for (const k2 in v) {
        const c = v[k2];
        if (c === null || typeof c !== "object" || typeof c.type !== "string") continue;
        const x = treeDepth(c, d + 1, limit);
        if (x > max) max = x;
      }
    }
    if (max === Infinity) return max;
  }
  return max;
}

const LANGS: Record<FastDialect, number> = { posix: L_POSIX, bash: L_BASH, mksh: L_MKSH };

/** Like fastParse, with the reason when it bails (for tests and diagnostics). */
export function fastParseWithReason(text: string, dialect: FastDialect): { file: LNode | null; reason: string | null } {
  try {
    const file = new Parser(text, LANGS[dialect]).parse();
    if (treeDepth(file, 0, MAX_TREE_DEPTH) > MAX_TREE_DEPTH) return { file: null, reason: "tree too deep" };
    return { file, reason: null };
  } catch (e) {
    if (e instanceof Bail) return { file: null, reason: e.reason };
    // A bug (or a stack overflow) must never turn into a wrong tree: leave the script to mvdan-sh.
    return { file: null, reason: `internal: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Parses `text` as mvdan-sh does in that dialect and returns the same tree as lower(mvdan's tree).file,
 * or null when the script is outside the supported subset or does not parse (the caller then uses
 * mvdan-sh, which also reports the error).
 */
export function fastParse(text: string, dialect: FastDialect): LNode | null {
  return fastParseWithReason(text, dialect).file;
}
