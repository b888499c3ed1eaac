// Where the formats for code hosts (SARIF, GitHub annotations) put paths: relative to the repository root.
import fs from "node:fs";
import path from "node:path";

/**
 * The top of the git repository that holds `dir` (the nearest directory upward with a `.git` directory or
 * file, as `git rev-parse --show-toplevel` finds it for a checkout or a worktree), else `dir` itself. No
 * process is started.
 */
export function repositoryRoot(dir: string): string {
  for (let d = path.resolve(dir); ; ) {
    if (fs.existsSync(path.join(d, ".git"))) return d;
    const up = path.dirname(d);
    if (up === d) return path.resolve(dir);
    d = up;
  }
}

/** `file` (relative to `cwd`) relative to `root`, with / separators; null when it is outside `root`. */
export function underRoot(file: string, cwd: string, root: string): string | null {
  const rel = path.relative(root, path.resolve(cwd, file));
  return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? null : rel.split(path.sep).join("/");
}
