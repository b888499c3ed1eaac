import { cleanRel } from "./paths.js";
import type { ContextFS, ContextStat } from "./types.js";

/** An in-memory build context: path → content (a string, or { content, mode }). Directories are implied. */
export function memoryFs(files: Record<string, string | { content: string; mode?: number }>): ContextFS {
  const map = new Map<string, { content: string; mode: number }>();
  const dirs = new Map<string, Set<string>>([["", new Set()]]);
  for (const [p, v] of Object.entries(files)) {
    const path = cleanRel(p).path;
    map.set(path, typeof v === "string" ? { content: v, mode: 0o644 } : { content: v.content, mode: v.mode ?? 0o644 });
    const parts = path.split("/");
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (!dirs.has(dir)) dirs.set(dir, new Set());
      dirs.get(dir)!.add(parts[i]!);
    }
  }
  const norm = (p: string) => cleanRel(p).path;
  return {
    stat(p): ContextStat | null {
      const path = norm(p);
      const f = map.get(path);
      if (f) return { type: "file", mode: f.mode, size: f.content.length };
      return dirs.has(path) ? { type: "dir", mode: 0o755, size: 0 } : null;
    },
    readFile: (p) => map.get(norm(p))?.content ?? null,
    list: (p) => {
      const d = dirs.get(norm(p));
      return d ? [...d] : null;
    },
  };
}
