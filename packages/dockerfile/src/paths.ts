// POSIX path helpers and Go-style glob matching, for image paths and context paths.
import { wildcard } from "./wildcard.js";

/** Cleans an absolute image path: resolves `.` and `..` (never above `/`), collapses slashes. */
export function cleanAbs(p: string): string {
  // Most paths are already clean ("/usr/local/bin/x"): checked in one pass, without splitting.
  if (isCleanAbs(p)) return p;
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

/**
 * Cleans a context-relative path the way BuildKit does: `..` cannot climb above the context root (it is
 * clamped), a leading `/` means the context root. Returns "" for the root itself.
 */
export function cleanRel(p: string): { path: string; clamped: boolean } {
  const out: string[] = [];
  let clamped = false;
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) clamped = true;
      else out.pop();
    } else out.push(part);
  }
  return { path: out.join("/"), clamped };
}

export function joinAbs(dir: string, p: string): string {
  return p.startsWith("/") ? cleanAbs(p) : cleanAbs(dir + "/" + p);
}

/** "/" or "/a/b": a leading slash, no empty, "." or ".." component, no trailing slash. */
function isCleanAbs(p: string): boolean {
  if (p.charCodeAt(0) !== 47) return false;
  if (p.length === 1) return true;
  let start = 1;
  for (let i = 1; i <= p.length; i++) {
    if (i < p.length && p.charCodeAt(i) !== 47) continue;
    const len = i - start;
    if (len === 0) return false;
    if (p.charCodeAt(start) === 46 && (len === 1 || (len === 2 && p.charCodeAt(start + 1) === 46))) return false;
    start = i + 1;
  }
  return true;
}

export function basename(p: string): string {
  let end = p.length;
  while (end > 0 && p.charCodeAt(end - 1) === 47) end--;
  return p.slice(p.lastIndexOf("/", end - 1) + 1, end);
}

/** Is `p` inside (or equal to) directory `dir`? Both absolute and clean. Returns the relative rest. */
export function under(dir: string, p: string): string | null {
  if (dir === "/") return p.slice(1);
  if (p === dir) return "";
  return p.startsWith(dir + "/") ? p.slice(dir.length + 1) : null;
}

export const hasGlob = (s: string) => /[*?[]/.test(s);

/** Go filepath.Match-style matching (`*` and `?` do not cross `/`; `**` does when doubleStar). */
export function globMatcher(pattern: string, opts: { doubleStar?: boolean } = {}): { test(s: string): boolean } {
  return wildcard(pattern, { slash: false, doubleStar: !!opts.doubleStar });
}
