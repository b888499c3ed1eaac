// Which names a directory of the image holds, as far as the build tells: what COPY/ADD put there (files,
// globs, copied directories listed from the build context) and what the base-image catalog lists. Used to
// expand a program's config include globs (`[include] files = conf.d/*.conf`). Names that another stage or
// image brings into the directory cannot be listed: they are reported in `unknown`. Files a RUN step writes,
// links, moves or copies there are listed; what a RUN puts there that cannot be known (a download, an
// archive, a package) is reported in `unknown`.
import type { ContextView } from "./context.js";
import { basename, cleanAbs, globMatcher, hasGlob, under } from "./paths.js";
import type { RunEffect } from "./run-effects.js";
import type { StageState } from "./state.js";

export interface DirListing {
  /** Names directly in the directory (files or subdirectories), sorted. */
  names: string[];
  /** Why the listing may miss names (a COPY from another stage or image into the directory). */
  unknown: string[];
}

export function listImageDir(st: StageState, ctx: ContextView, dir: string): DirListing {
  dir = cleanAbs(dir);
  const names = new Set<string>();
  const unknown: string[] = [];
  const direct = (p: string) => {
    const rel = under(dir, p);
    if (rel && !rel.includes("/")) names.add(rel);
    else if (rel) names.add(rel.slice(0, rel.indexOf("/")));
  };
  // RUN steps: a file written, linked, moved or copied into the directory is a name of it (not listed when
  // the RUN may not run it: then the listing may miss it); what cannot be known makes the listing incomplete.
  const runEffect = (e: RunEffect, conditional: boolean, line: number) => {
    const made = e.kind === "write" || e.kind === "link" || e.kind === "mkdir" || e.kind === "edit" || e.kind === "touch" ? e.path : e.kind === "move" || e.kind === "copy" ? e.to : null;
    if (made !== null) {
      const rel = under(dir, made);
      const into = (e.kind === "move" || e.kind === "copy" || e.kind === "link") && e.into !== false && under(made, dir) !== null && rel === "";
      if (into) unknown.push(`a RUN at line ${line} puts a file into it`);
      else if (rel !== null && rel !== "") conditional ? unknown.push(`a RUN at line ${line} may write ${made}`) : direct(made);
      return;
    }
    if (e.kind === "unknown" && (under(dir, e.path) !== null || (e.under && under(e.path, dir) !== null))) unknown.push(`a RUN at line ${line} puts files there (${e.how})`);
    // (Files a package installs are not listed either: the package table knows binaries, not configs.)
  };
  const chain: StageState[] = [];
  for (let s: StageState | null = st; s; s = s.parent) chain.unshift(s);
  for (const s of chain) {
    for (const op of s.ops) {
      if (op.kind === "run") {
        runEffect(op.effect, op.conditional, op.line);
        continue;
      }
      if (op.kind !== "copy") continue;
      const target = (name: string) => (op.destIsDir ? cleanAbs(`${op.dest}/${name}`) : op.dest);
      for (const src of op.sources) {
        if (src.heredoc) direct(target(src.heredoc.name));
        else if (src.url) direct(target(basename(src.word.replace(/[?#].*$/, ""))));
        else if (op.origin.kind !== "context") {
          if (under(op.dest, dir) !== null || under(dir, op.dest) !== null)
            unknown.push(`line ${op.line} copies ${src.word} from ${op.origin.kind === "stage" ? `stage ${op.origin.stage}` : op.origin.image}`);
        } else {
          for (const path of hasGlob(src.word) ? ctx.glob(src.word) : [src.word]) {
            const stat = ctx.stat(path);
            if (!stat) continue;
            if (stat.type !== "dir") {
              direct(target(basename(path)));
              continue;
            }
            const dest = hasGlob(src.word) ? cleanAbs(`${op.dest}/${basename(path)}`) : op.dest;
            direct(dest);
            const rel = under(dest, dir);
            if (rel === null) continue;
            for (const n of ctx.list(rel === "" ? path : path === "" ? rel : `${path}/${rel}`) ?? []) names.add(n);
          }
        }
      }
    }
  }
  for (const p of Object.keys(st.stage.base.facts?.files ?? {})) direct(p);
  return { names: [...names].sort(), unknown };
}

/** The image paths of `pattern` (an absolute glob; `*`, `?` and `[…]` only in its last component). */
export function globImage(list: (dir: string) => DirListing, pattern: string): DirListing {
  const clean = cleanAbs(pattern);
  const i = clean.lastIndexOf("/");
  const dir = clean.slice(0, i) || "/";
  const last = clean.slice(i + 1);
  if (hasGlob(dir)) return { names: [], unknown: [`the pattern ${pattern} has a wildcard in a directory name`] };
  const l = list(dir);
  if (!hasGlob(last)) return { names: l.names.includes(last) ? [clean] : [], unknown: l.unknown };
  const re = globMatcher(last);
  return { names: l.names.filter((n) => re.test(n) && !n.startsWith(".")).map((n) => cleanAbs(`${dir}/${n}`)), unknown: l.unknown };
}
