// POSIX path helpers and Go-style glob matching, for image paths and context paths.

/** Cleans an absolute image path: resolves `.` and `..` (never above `/`), collapses slashes. */
export function cleanAbs(p: string): string {
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

export function basename(p: string): string {
  const parts = p.split("/").filter((x) => x !== "");
  return parts[parts.length - 1] ?? "";
}

export function dirname(p: string): string {
  const i = p.replace(/\/+$/, "").lastIndexOf("/");
  return i <= 0 ? (p.startsWith("/") ? "/" : "") : p.slice(0, i);
}

/** Is `p` inside (or equal to) directory `dir`? Both absolute and clean. Returns the relative rest. */
export function under(dir: string, p: string): string | null {
  if (dir === "/") return p.slice(1);
  if (p === dir) return "";
  return p.startsWith(dir + "/") ? p.slice(dir.length + 1) : null;
}

export const hasGlob = (s: string) => /[*?[]/.test(s);

const reCache = new Map<string, RegExp>();

/** Go filepath.Match for one path (`*` and `?` do not cross `/`); `**` (dockerignore) crosses `/`. */
export function globToRegExp(pattern: string, opts: { doubleStar?: boolean } = {}): RegExp {
  const key = (opts.doubleStar ? "D" : "S") + pattern;
  const cached = reCache.get(key);
  if (cached) return cached;
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") {
      if (opts.doubleStar && pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith("^") || cls.startsWith("!")) cls = "^" + cls.slice(1);
        re += "[" + cls.replace(/\\/g, "\\\\") + "]";
        i = end;
      }
    } else if (c === "\\" && i + 1 < pattern.length) {
      re += pattern[++i]!.replace(/[.+?^${}()|[\]\\*]/g, "\\$&");
    } else re += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  let compiled: RegExp;
  try {
    if (pattern.length > 4096) throw new Error("pattern too long");
    compiled = new RegExp("^" + re + "$");
    compiled.test(""); // V8 compiles lazily: a regex too large to compile throws here, not at new RegExp
  } catch {
    compiled = /^\b$/; // an invalid or absurd pattern matches nothing
  }
  reCache.set(key, compiled);
  return compiled;
}
