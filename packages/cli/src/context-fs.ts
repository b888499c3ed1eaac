// The build context on disk, behind the read-only ContextFS interface of @audit-image/dockerfile.
// Safety rules: nothing outside the context is read (a `..` is refused, and a symlink whose real path
// leaves the context is treated as missing); only regular files are opened (a FIFO or a device would
// block or never end); files larger than the limit are not read.
import fs from "node:fs";
import path from "node:path";
import type { ContextFS, ContextStat } from "@audit-image/dockerfile";

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export function diskContext(root: string, opts: { maxFileBytes?: number } = {}): ContextFS {
  const max = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let realRoot: string;
  try {
    realRoot = fs.realpathSync.native(root);
  } catch {
    realRoot = path.resolve(root);
  }
  const inside = (p: string) => p === realRoot || p.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);

  // A build context does not change during one run: real paths are looked up once each.
  const realCache = new Map<string, string | null>();
  /** The real path of a context-relative path, or null when it leaves the context or does not exist. */
  const real = (rel: string): string | null => {
    const hit = realCache.get(rel);
    if (hit !== undefined) return hit;
    const r = realUncached(rel);
    if (realCache.size < 100_000) realCache.set(rel, r);
    return r;
  };
  const realUncached = (rel: string): string | null => {
    if (rel.split("/").includes("..")) return null;
    const abs = path.join(realRoot, rel === "." ? "" : rel);
    let r: string;
    try {
      r = fs.realpathSync.native(abs); // libc realpath: follows symlinks; throws on loops (ELOOP) and dangling links
    } catch {
      return null;
    }
    return inside(r) ? r : null;
  };

  return {
    stat(rel): ContextStat | null {
      const r = real(rel);
      if (!r) return null;
      try {
        const st = fs.statSync(r);
        return { type: st.isFile() ? "file" : st.isDirectory() ? "dir" : "other", mode: st.mode & 0o7777, size: st.size };
      } catch {
        return null;
      }
    },
    readFile(rel): string | null {
      const r = real(rel);
      if (!r) return null;
      try {
        const st = fs.statSync(r);
        if (!st.isFile() || st.size > max) return null;
        // O_NONBLOCK: even if the file turned into a FIFO after the stat, the open does not hang.
        const fd = fs.openSync(r, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        try {
          const st2 = fs.fstatSync(fd);
          if (!st2.isFile() || st2.size > max) return null;
          const buf = Buffer.alloc(st2.size);
          let off = 0;
          while (off < buf.length) {
            const n = fs.readSync(fd, buf, off, buf.length - off, off);
            if (n <= 0) break;
            off += n;
          }
          return buf.subarray(0, off).toString("utf8");
        } finally {
          fs.closeSync(fd);
        }
      } catch {
        return null;
      }
    },
    list(rel): string[] | null {
      const r = real(rel);
      if (!r) return null;
      try {
        return fs.readdirSync(r);
      } catch {
        return null;
      }
    },
  };
}
