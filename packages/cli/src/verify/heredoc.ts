// Dockerfile heredocs (`COPY <<EOF /x`) need BuildKit's Dockerfile frontend 1.4+, and `# syntax=` would
// fetch a frontend from a registry. Neither is available to an offline 20.10 engine. Workaround: build from
// a temporary copy of the context in which every heredoc body is a file and the instruction copies that
// file instead. ENTRYPOINT/CMD/SHELL/STOPSIGNAL are left alone, so the runtime facts being checked stay the
// same. The rewritten Dockerfile is kept next to the result (with --keep) so a failure can be traced back.
import fs from "node:fs";
import path from "node:path";

export const HEREDOC_DIR = ".audit-image-heredoc";

export interface Rewrite {
  /** The Dockerfile to build. */
  text: string;
  /** True when anything was rewritten (the build must then use the temporary context). */
  changed: boolean;
  notes: string[];
  /** Files to write into the temporary context: relative path → content and mode. */
  files: { rel: string; content: string; mode: number }[];
}

const TOKEN = /(\d*)<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\3/g;
const INSTR = /^\s*(COPY|ADD|RUN)\b/i;
const SYNTAX = /^#\s*syntax\s*=/i;

/** Rewrite heredocs and `# syntax=` directives. Pure: the caller writes the files. */
export function rewriteHeredocs(text: string): Rewrite {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  const notes: string[] = [];
  const files: Rewrite["files"] = [];
  let changed = false;
  let n = 0;
  let inDirectives = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inDirectives && SYNTAX.test(line)) {
      notes.push(`removed "${line.trim()}": the frontend it names cannot be fetched offline; the daemon's built-in frontend builds instead`);
      changed = true;
      continue;
    }
    if (!/^\s*#/.test(line)) inDirectives = false;
    const m = INSTR.exec(line);
    if (!m || !line.includes("<<")) {
      out.push(line);
      continue;
    }
    const tokens = [...line.matchAll(TOKEN)].filter((t) => t[4]);
    if (tokens.length === 0) {
      out.push(line);
      continue;
    }
    // Bodies follow the instruction line, one after the other, each ended by its delimiter.
    let j = i + 1;
    const bodies: { name: string; content: string; expand: boolean; token: string }[] = [];
    for (const t of tokens) {
      const chomp = t[2] === "-";
      const name = t[4]!;
      const body: string[] = [];
      while (j < lines.length) {
        const l = lines[j]!;
        j++;
        if ((chomp ? l.replace(/^\t+/, "") : l) === name) break;
        body.push(chomp ? l.replace(/^\t+/, "") : l);
      }
      const content = body.length ? body.join("\n") + "\n" : "";
      const expand = t[3] === "";
      if (expand && /\$/.test(content))
        notes.push(`line ${i + 1}: <<${name} is unquoted, so BuildKit would expand build-time variables in its body; the rewrite copies it verbatim`);
      bodies.push({ name, content, expand, token: t[0] });
    }
    n++;
    const keyword = m[1]!.toUpperCase();
    let rewritten = line;
    if (keyword === "RUN") {
      // RUN <<EOF (a script) or RUN cmd <<EOF (the body is stdin): copy the bodies in, then run.
      const pre: string[] = [];
      for (const b of bodies) {
        const rel = `${HEREDOC_DIR}/${n}/${b.name}`;
        files.push({ rel, content: b.content, mode: 0o755 });
        pre.push(`COPY ${rel} /tmp/${HEREDOC_DIR}-${n}-${b.name}`);
      }
      const rest = line.replace(INSTR, "").trim();
      const only = bodies.length === 1 && rest === bodies[0]!.token;
      const cmd = only
        ? `RUN /bin/sh /tmp/${HEREDOC_DIR}-${n}-${bodies[0]!.name}`
        : "RUN " + bodies.reduce((acc, b) => acc.replace(b.token, `< /tmp/${HEREDOC_DIR}-${n}-${b.name}`), rest);
      out.push(...pre, cmd);
      notes.push(`line ${i + 1}: RUN heredoc rewritten to a COPY of its body plus ${only ? "a script run" : "a redirect"}`);
    } else {
      for (const b of bodies) {
        const rel = `${HEREDOC_DIR}/${n}/${b.name}`;
        files.push({ rel, content: b.content, mode: 0o644 });
        rewritten = rewritten.replace(b.token, rel);
      }
      out.push(rewritten);
      notes.push(`line ${i + 1}: ${keyword} heredoc${bodies.length > 1 ? "s" : ""} ${bodies.map((b) => b.name).join(", ")} rewritten to ${keyword} of context file${bodies.length > 1 ? "s" : ""} (flags such as --chmod kept)`);
    }
    changed = true;
    i = j - 1;
  }
  return { text: out.join("\n"), changed, notes, files };
}

/** Copy the context into `dest` and apply the rewrite there. Returns the path of the Dockerfile to build. */
export function materialize(contextDir: string, rw: Rewrite, dest: string): string {
  fs.cpSync(contextDir, dest, { recursive: true, dereference: false, preserveTimestamps: true });
  for (const f of rw.files) {
    const p = path.join(dest, f.rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.content, { mode: f.mode });
    fs.chmodSync(p, f.mode);
  }
  const ignore = path.join(dest, ".dockerignore");
  if (fs.existsSync(ignore)) fs.appendFileSync(ignore, `\n!${HEREDOC_DIR}\n!${HEREDOC_DIR}/**\n`);
  const df = path.join(dest, ".audit-image.Dockerfile");
  fs.writeFileSync(df, rw.text);
  return df;
}
