// mvdan-sh (a GopherJS build of mvdan/sh) is loaded only when a script must be parsed: requiring it
// costs about 50 ms, which a Dockerfile with exec-form commands never needs to pay.
// Most scripts never get that far: fastParse (fast-parse.ts) reads the common subset of shell into the
// same tree, and only what it does not handle (or cannot parse) goes to mvdan-sh.
import { createRequire } from "node:module";
import { fastParse } from "./fast-parse.js";
import { lower } from "./lower.js";

export type ShellKind = "dash" | "bash" | "busybox" | "zsh" | "mksh" | "sh-unknown";

/* eslint-disable @typescript-eslint/no-explicit-any */
export type ShNode = any;

interface Syntax {
  NewParser(...opts: unknown[]): { Parse(src: string, name: string): ShNode };
  KeepComments(b: boolean): unknown;
  Variant(l: number): unknown;
  LangBash: number;
  LangPOSIX: number;
  LangMirBSDKorn: number;
  NodeType(n: ShNode): string;
}

let syntax: Syntax | null = null;
export function sh(): Syntax {
  if (!syntax) {
    const require = createRequire(import.meta.url);
    syntax = (require("mvdan-sh") as { syntax: Syntax }).syntax;
  }
  return syntax;
}

/** Whether mvdan-sh has been loaded (the fast path does not load it). */
export const mvdanLoaded = (): boolean => syntax !== null;

/** The type of a lowered node (see lower.ts). */
export const nodeType = (n: ShNode): string => (n ? n.type : "nil");

export interface ParsedScript {
  file: ShNode | null;
  /** The dialect the text was parsed in (bash when POSIX parsing failed on a bash feature). */
  dialect: "posix" | "bash" | "mksh";
  error: { line: number; column: number; message: string } | null;
  /** POSIX parsing failed on a bash/mksh feature that the shell running the script does not have. */
  bashismIn: { line: number; message: string } | null;
  /** The script nests deeper than the analyzer follows; deeper parts were dropped. */
  tooDeep?: boolean;
}

// A parser is reusable (mvdan/sh resets it on each Parse); making one per script cost as much as parsing.
const parsers = new Map<number, { Parse(src: string, name: string): ShNode }>();

function tryParse(text: string, name: string, lang: number): { file: ShNode | null; error: ParsedScript["error"]; tooDeep?: boolean } {
  const s = sh();
  try {
    let p = parsers.get(lang);
    if (!p) parsers.set(lang, (p = s.NewParser(s.KeepComments(false), s.Variant(lang))));
    const lowered = lower(p.Parse(text, name));
    return { file: lowered.file, error: null, tooDeep: lowered.tooDeep };
  } catch (e: any) {
    if (e instanceof RangeError) {
      // The parser recursed past the JS stack: a nesting bound, not a syntax error.
      return { file: null, error: { line: 1, column: 1, message: "the script nests too deeply for the parser" }, tooDeep: true };
    }
    const msg: string = typeof e?.Error === "function" ? e.Error() : String(e?.message ?? e);
    const m = /:(\d+):(\d+): (.*)$/s.exec(msg);
    return { file: null, error: m ? { line: Number(m[1]), column: Number(m[2]), message: m[3]! } : { line: 1, column: 1, message: msg } };
  }
}

export function parseScript(text: string, name: string, kind: ShellKind): ParsedScript {
  if (kind === "bash") {
    const fast = fastParse(text, "bash");
    if (fast) return { file: fast, error: null, dialect: "bash", bashismIn: null };
    const r = tryParse(text, name, sh().LangBash);
    return { ...r, dialect: "bash", bashismIn: null };
  }
  if (kind === "mksh") {
    const fast = fastParse(text, "mksh");
    if (fast) return { file: fast, error: null, dialect: "mksh", bashismIn: null };
    const r = tryParse(text, name, sh().LangMirBSDKorn);
    return { ...r, dialect: "mksh", bashismIn: null };
  }
  // BusyBox ash has bash's [[ … ]] (measured: control-flow.ns.test.ts, "BusyBox ash and [["): read as POSIX,
  // `[[` would be a command of that name that no image has.
  if (kind === "busybox" && /\[\[\s/.test(text)) {
    const r = tryParse(text, name, sh().LangBash);
    if (r.file) return { ...r, dialect: "bash", bashismIn: null };
  }
  const fast = fastParse(text, "posix");
  if (fast) return { file: fast, error: null, dialect: "posix", bashismIn: null };
  const posix = tryParse(text, name, sh().LangPOSIX);
  if (posix.file || posix.tooDeep) return { ...posix, dialect: "posix", bashismIn: null };
  // zsh and BusyBox ash understand many bash features; dash does not. Parse as bash to keep going.
  const bash = tryParse(text, name, sh().LangBash);
  if (bash.file) {
    const e = posix.error!;
    return { file: bash.file, error: null, dialect: "bash", bashismIn: { line: e.line, message: e.message } };
  }
  return { ...posix, dialect: "posix", bashismIn: null };
}
