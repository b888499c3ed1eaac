// Bounded, non-blocking reads of files the user names (Dockerfiles, configs, scripts for code frames).
import fs from "node:fs";

export const MAX_DOCKERFILE_BYTES = 4 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; code: "not-found" | "unreadable" | "not-a-file"; message: string };

/** Read at most `max` bytes of a regular file as UTF-8 (the model cuts a too-large file and says so). */
export function readBounded(file: string, max = MAX_DOCKERFILE_BYTES): ReadResult {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO or a device does not block, and the fstat below refuses it unread.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { ok: false, code: "not-found", message: "no such file" };
    return { ok: false, code: "unreadable", message: `cannot read it (${code ?? (e as Error).message})` };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, code: "not-a-file", message: st.isDirectory() ? "is a directory" : "not a regular file (a FIFO or a device is never read)" };
    const buf = Buffer.allocUnsafe(Math.min(st.size, max));
    let off = 0;
    while (off < buf.length) {
      const n = fs.readSync(fd, buf, off, buf.length - off, off);
      if (n <= 0) break;
      off += n;
    }
    return { ok: true, text: buf.toString("utf8", 0, off) };
  } catch (e) {
    return { ok: false, code: "unreadable", message: `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  } finally {
    fs.closeSync(fd);
  }
}

/** Read a stream (stdin) up to `max` bytes, then stop: never more memory than that. */
export function readStreamBounded(stream: NodeJS.ReadableStream, max = MAX_DOCKERFILE_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      stream.removeListener("data", onData);
      resolve(Buffer.concat(chunks).subarray(0, max).toString("utf8"));
    };
    const onData = (c: Buffer | string) => {
      const b = typeof c === "string" ? Buffer.from(c) : c;
      chunks.push(b);
      size += b.length;
      if (size >= max) {
        finish();
        (stream as NodeJS.ReadStream).pause?.();
        (stream as NodeJS.ReadStream).destroy?.();
      }
    };
    stream.on("data", onData);
    stream.once("end", finish);
    stream.once("close", finish);
    stream.once("error", (e) => (done ? undefined : ((done = true), reject(e))));
  });
}
