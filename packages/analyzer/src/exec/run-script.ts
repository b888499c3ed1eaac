// npm start, npm run X, yarn X, pnpm run X, npx CMD: a package manager that runs a script of package.json as
// its child `/bin/sh -c SCRIPT` and stays as its parent (measured with npm 11, yarn 1.22 and pnpm 10 as PID 1:
// run-scripts.ns.test.ts). Which script, from which package.json, is read here; what the manager does with the
// stop signal is the catalog's (`signals`, `forwards`), walked by simulate.ts.
import type { ProgramEntry, RunScriptSpec } from "../programs.js";
import type { SourceLoc } from "../types.js";
import { type Word, known, lit } from "../values.js";
import { type Path, type Proc, type Sh, type World, Exported, Vars, attach, newProc, sh } from "../world.js";
import { become } from "./become.js";

/** What the arguments ask the package manager to run. */
export type Invocation =
  | { kind: "script"; name: string; extra: string[]; filter?: string }
  | { kind: "exec"; words: string[] }
  /** Not a run-script (`npm install`, `npm --version`): it does its work and exits. */
  | { kind: "tool"; what: string }
  | { kind: "unknown"; why: string };

const isOption = (a: string) => a.startsWith("-") && a !== "-" && a !== "--";

/** Reads the package manager's arguments: which script (or command) it runs, and the words appended to it. */
export function invocation(spec: RunScriptSpec, args: (string | null)[]): Invocation {
  let i = 0;
  let filter: string | undefined;
  const skipOptions = (): Invocation | null => {
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === null || a === undefined) return { kind: "unknown", why: "one of its arguments is only known at run time" };
      if (!isOption(a)) return null;
      const opt = a.includes("=") ? a.slice(0, a.indexOf("=")) : a;
      if (spec.otherPackage?.includes(opt)) return { kind: "unknown", why: `${opt} runs the script of another package, which is not followed` };
      if (spec.filterOptions?.includes(opt)) {
        const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
        if (v === null || v === undefined) return { kind: "unknown", why: `the package ${opt} selects is only known at run time` };
        if (filter !== undefined) return { kind: "unknown", why: `${opt} given twice selects several packages, which is not followed` };
        filter = v;
        continue;
      }
      if (!a.includes("=") && spec.optionsWithValue.includes(a)) i++;
    }
    return null;
  };
  const stop = skipOptions();
  if (stop) return stop;
  if (spec.exec) {
    if (args[i] === "--") i++;
    const words = args.slice(i);
    if (!words.length) return { kind: "tool", what: "no command" };
    if (words.some((x) => x === null)) return { kind: "unknown", why: "the command is only known at run time" };
    return { kind: "exec", words: words as string[] };
  }
  const sub = args[i];
  if (sub === undefined || sub === "--") return { kind: "tool", what: "no subcommand" };
  if (sub === null) return { kind: "unknown", why: "the subcommand is only known at run time" };
  if (spec.otherPackage?.includes(sub)) return { kind: "unknown", why: `${sub} runs another package's script or a command, which is not followed` };
  i++;
  let name: string;
  if (spec.byOperand.includes(sub)) {
    const again = skipOptions();
    if (again) return again;
    const n = args[i];
    if (n === undefined || n === "--") return { kind: "tool", what: `${sub} without a script lists the scripts` };
    if (n === null) return { kind: "unknown", why: "the script's name is only known at run time" };
    name = n;
    i++;
  } else if (spec.named.includes(sub) || (spec.implicit && !spec.builtins.includes(sub))) {
    name = sub;
  } else {
    return { kind: "tool", what: sub };
  }
  const rest = args.slice(i);
  let extra: (string | null)[];
  if (spec.extraArgs === "after-dashdash") {
    const dd = rest.indexOf("--");
    extra = dd >= 0 ? rest.slice(dd + 1) : [];
    const opts = dd >= 0 ? rest.slice(0, dd) : rest;
    if (opts.some((x) => x === null)) return { kind: "unknown", why: "one of its arguments is only known at run time" };
  } else extra = rest[0] === "--" ? rest.slice(1) : rest;
  if (extra.some((x) => x === null)) return { kind: "unknown", why: "an argument passed to the script is only known at run time" };
  return { kind: "script", name, extra: extra as string[], ...(filter !== undefined ? { filter } : {}) };
}

/** A word as the shell reads it back (npm and yarn quote the extra arguments they append). */
function quote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const parentDir = (d: string) => (d === "/" ? null : d.replace(/\/[^/]*\/?$/, "") || "/");
const joinPath = (d: string, f: string) => (d.endsWith("/") ? d + f : `${d}/${f}`);

type Found = { kind: "script"; text: string; from: string } | { kind: "fails"; why: string } | { kind: "unknown"; why: string };

/** The script `name` of the package.json in `dir` (or the manager's default for it). */
function readScript(w: World, spec: RunScriptSpec, dir: string, name: string, notes: string[]): Found {
  const file = joinPath(dir, "package.json");
  const r = w.model.resolve(file);
  if (r.kind === "not-found") return { kind: "fails", why: `${file} is not in the image: it exits with an error (no package.json)` };
  if (r.kind !== "context") return { kind: "unknown", why: `${file} is not copied from the build context (${r.kind === "unknown" ? r.reason : "a RUN step or the base image makes it"})` };
  const text = r.content();
  if (text === null) return { kind: "unknown", why: `${file} could not be read` };
  let scripts: Record<string, unknown> = {};
  let doc: { scripts?: unknown; packageManager?: unknown } | null;
  try {
    doc = JSON.parse(text) as { scripts?: unknown; packageManager?: unknown } | null;
  } catch {
    return { kind: "fails", why: `${file} is not valid JSON: it exits with an error` };
  }
  if (doc && typeof doc.scripts === "object" && doc.scripts !== null) scripts = doc.scripts as Record<string, unknown>;
  // corepack: package.json's packageManager names the version that runs (yarn@4 is not yarn 1)
  const pm = spec.versions && typeof doc?.packageManager === "string" ? /^([a-z]+)@(\d+)/.exec(doc.packageManager) : null;
  if (pm && pm[1] === spec.versions!.name && !spec.versions!.majors.includes(Number(pm[2])))
    return { kind: "unknown", why: `${file} asks for ${pm[1]} ${pm[2]} (packageManager), whose run-scripts were not measured` };
  if (spec.prePost) {
    const around = [`pre${name}`, `post${name}`].filter((k) => typeof scripts[k] === "string");
    if (around.length) notes.push(`it also runs ${around.join(" and ")} around ${name} (taken to end by themselves)`);
  }
  const s = scripts[name];
  if (typeof s === "string") return { kind: "script", text: s, from: `${file} scripts.${name}` };
  for (const d of spec.defaults ?? []) {
    if (d.script !== name) continue;
    const f = w.model.resolve(joinPath(dir, d.ifFile));
    if (f.kind === "context" || (f.kind === "base-image" && f.certain)) return { kind: "script", text: d.run, from: `its default for ${name} (${file} has no scripts.${name}, and ${d.ifFile} exists)` };
    if (f.kind !== "not-found") return { kind: "unknown", why: `${file} has no scripts.${name}: it runs \`${d.run}\` if ${joinPath(dir, d.ifFile)} exists, which is not known` };
  }
  return { kind: "fails", why: `${file} has no script "${name}": it exits with an error` };
}

/**
 * `pnpm --filter NAME`: the directory of the workspace package named NAME, from the pnpm-workspace.yaml found in
 * `dir` or above it (its `packages:` list; an entry with a glob, or a filter that is not a plain package name, is
 * not followed).
 */
function workspacePackage(w: World, dir: string, name: string): { dir: string } | { unknown: string } {
  if (!/^(@[A-Za-z0-9._-]+\/)?[A-Za-z0-9._-]+$/.test(name)) return { unknown: `the filter ${name} is not a plain package name` };
  for (let d: string | null = dir; d !== null; d = parentDir(d)) {
    const r = w.model.resolve(joinPath(d, "pnpm-workspace.yaml"));
    if (r.kind === "not-found") continue;
    const text = r.kind === "context" ? r.content() : null;
    if (text === null) return { unknown: `${joinPath(d, "pnpm-workspace.yaml")} is not copied from the build context` };
    const entries: string[] = [];
    let inPackages = false;
    for (const line of text.split("\n")) {
      if (/^packages:\s*$/.test(line)) inPackages = true;
      else if (/^\S/.test(line)) inPackages = false;
      else if (inPackages) {
        const m = /^\s+-\s+['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
        if (m) entries.push(m[1]!);
      }
    }
    for (const e of entries) {
      if (/[*?{}[\]!]/.test(e)) return { unknown: `pnpm-workspace.yaml lists ${e}, a pattern that is not followed` };
      const pdir = joinPath(d, e.replace(/^\.\//, "").replace(/\/$/, ""));
      const pj = w.model.resolve(joinPath(pdir, "package.json"));
      if (pj.kind === "not-found") continue;
      if (pj.kind !== "context") return { unknown: `${joinPath(pdir, "package.json")} is not copied from the build context` };
      try {
        if ((JSON.parse(pj.content() ?? "") as { name?: unknown }).name === name) return { dir: pdir };
      } catch {
        continue;
      }
    }
    return { unknown: `no package of ${joinPath(d, "pnpm-workspace.yaml")} is named ${name}` };
  }
  return { unknown: `no pnpm-workspace.yaml above ${dir}` };
}

/** The manager's process stays as the parent of `/bin/sh -c SCRIPT`, with node_modules/.bin first on its PATH. */
export function startRunScript(
  w: World, p: Path, proc: Proc, entry: ProgramEntry, name: string, args: Word[], source: SourceLoc | null,
  exitsWithChild: (q: Path, parent: Proc, child: Proc) => Path,
): Path[] {
  const spec = entry.runScript!;
  const inv = invocation(spec, args.map((a) => known(a)));
  if (inv.kind === "tool") {
    proc.role = "tool";
    proc.longRunning = false;
    proc.notes.push(`${name} ${inv.what === "no subcommand" || inv.what === "no command" ? "without a script to run" : inv.what} does its work and exits: no package.json script is run`);
    return [p];
  }
  proc.role = "wrapper";
  proc.longRunning = true;
  const dir = proc.cwd === undefined ? w.model.config?.workingDir.value || "/" : proc.cwd;
  const notes: string[] = [];
  let found: Found | undefined;
  let pkgDir: string | null = dir;
  if (inv.kind === "unknown") found = inv;
  else if (dir === null) found = { kind: "unknown", why: "its working directory is only known at run time (an earlier cd)" };
  else if (inv.kind === "exec") found = { kind: "script", text: inv.words.map(quote).join(" "), from: "its command line" };
  else {
    if (inv.filter !== undefined) {
      const ws = workspacePackage(w, dir, inv.filter);
      if ("unknown" in ws) found = { kind: "unknown", why: `--filter ${inv.filter}: ${ws.unknown}` };
      else pkgDir = ws.dir;
    }
    found ??= readScript(w, spec, pkgDir ?? dir, inv.name, notes);
    if (found.kind === "script" && inv.extra.length) found = { ...found, text: `${found.text} ${inv.extra.map(quote).join(" ")}` };
  }
  if (found.kind === "fails") {
    proc.alive = false;
    proc.notes.push(`${name}: ${found.why}`);
    p.status = 1;
    return [p];
  }
  const child = newProc(w, [], source, proc.user);
  attach(p, proc, child);
  // the script runs in its package's directory (another one with pnpm --filter)
  if (pkgDir !== dir) child.cwd = pkgDir;
  if (found.kind === "unknown") {
    child.argv = ["/bin/sh", "-c", `<${inv.kind === "script" ? `script ${inv.name}` : "command"}>`];
    child.role = "unknown";
    child.longRunning = null;
    child.notes.push(`what ${name} runs is not known: ${found.why}`);
    proc.notes.push(`${name} runs ${inv.kind === "script" ? `the script ${inv.name} of package.json` : "a command"} as its child (/bin/sh -c), which is not known: ${found.why}`);
    return [p];
  }
  proc.notes.push(`${name} runs ${found.from} as its child: /bin/sh -c ${JSON.stringify(found.text)}${notes.length ? `; ${notes.join("; ")}` : ""}`);
  // node_modules/.bin of the package and of each directory above it come first on the script's PATH.
  const bins: string[] = [];
  for (let d: string | null = pkgDir ?? "/"; d !== null; d = parentDir(d)) bins.push(joinPath(d, "node_modules/.bin"));
  const top = sh(p);
  const path = known(top.vars.get("PATH") ?? lit("")) ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  const frame: Sh = { ...top, vars: Vars.copy(top.vars), exported: Exported.copy(top.exported) };
  frame.vars.set("PATH", lit(`${bins.join(":")}:${path}`));
  frame.exported.add("PATH");
  const depth = p.stack.length;
  p.stack.push(frame);
  const out = become(w, p, child, [lit("/bin/sh"), lit("-c"), lit(found.text)], source).map((q) => exitsWithChild(q, proc, child));
  for (const q of out) if (q.stack.length > depth) q.stack.length = depth;
  return out;
}
