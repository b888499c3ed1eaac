import { wildcard } from "@audit-image/dockerfile";
// Values of the abstract shell interpreter: a word is a list of parts, each a known string or an
// unknown (something only known at run time, such as `$DEBUG` or `$(date)`).

export interface Unknown {
  u: string;
  /**
   * The value is the path of this program as a PATH lookup finds it (`$(command -v nginx)` when the image's
   * files are not known): the path is unknown, but exec'ing it runs that program.
   */
  cmd?: string;
  /** The value is surely not empty, though not known (the path of a program a PATH lookup surely finds). */
  nonEmpty?: boolean;
}
export type Part = string | Unknown;
export type Word = Part[];

export const lit = (s: string): Word => [s];
export const unknown = (desc: string): Word => [{ u: desc }];
/** The unknown path of a program found on the PATH (see Unknown.cmd). */
export const lookup = (desc: string, program: string, found = false): Word => [found ? { u: desc, cmd: program, nonEmpty: true } : { u: desc, cmd: program }];

export function known(w: Word): string | null {
  let s = "";
  for (const p of w) {
    if (typeof p !== "string") return null;
    s += p;
  }
  return s;
}

export function show(w: Word): string {
  return w.map((p) => (typeof p === "string" ? p : p.u)).join("");
}

export function isUnknown(w: Word): boolean {
  return w.some((p) => typeof p !== "string");
}

/** Joins adjacent known parts. */
export function norm(w: Word): Word {
  const out: Word = [];
  for (const p of w) {
    const last = out[out.length - 1];
    if (typeof p === "string" && typeof last === "string") out[out.length - 1] = last + p;
    else if (p !== "") out.push(p);
  }
  return out;
}

export function concat(a: Word, b: Word): Word {
  return norm([...a, ...b]);
}

/** Shell pattern match of a known string (case, [[ == ]]): `*` and `?` also match `/`. */
export function globMatch(pattern: string, s: string): boolean {
  return wildcard(pattern, { slash: true }).test(s);
}
