// npm-run-all, run-s, run-p: a node program that runs package.json scripts ("tasks") one after another (or at the
// same time), each as its child `<manager> run TASK`, the manager being the one that ran npm-run-all itself
// ($npm_execpath: pnpm under `pnpm X`, npm when no manager ran it). Measured with npm-run-all 4.1.5 under npm 11 and
// pnpm 10 (run-scripts.ns.test.ts): the tree is manager → [sh] → npm-run-all → manager run TASK → [sh] → the app.
// Only the run of the last task of a sequence is followed: the ones before it end by themselves (npm-run-all starts
// the next task only when one exits 0). Tasks at the same time, name patterns and `--` arguments are not followed.
import type { ProgramEntry } from "../programs.js";
import type { SourceLoc } from "../types.js";
import { type Word, known, lit } from "../values.js";
import { type Path, type Proc, type World, attach, newProc } from "../world.js";
import { program } from "./roles.js";

/** The processes from the root down to `id` (the root first), or null when `id` is not in the tree. */
function lineage(root: Proc, id: number): Proc[] | null {
  if (root.id === id) return [root];
  for (const c of root.children) {
    const l = lineage(c, id);
    if (l) return [root, ...l];
  }
  return null;
}

/** What the arguments ask for: the tasks in order, or why they are not followed. */
export function taskList(entry: ProgramEntry, args: (string | null)[]): { tasks: string[] } | { why: string } {
  const spec = entry.runTasks!;
  let parallel = spec.parallel;
  const tasks: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === null || a === undefined) return { why: "one of its arguments is only known at run time" };
    if (a === "--") return { why: "it passes the words after -- into its tasks' {1} placeholders, which is not followed" };
    if (a.startsWith("-")) {
      const opt = a.includes("=") ? a.slice(0, a.indexOf("=")) : a;
      // -pl, -snc: single-letter flags run together, read one by one
      const flags = /^-[a-z]{2,}$/.test(a) ? [...a.slice(1)].map((c) => `-${c}`) : [opt];
      if (flags.length > 1) {
        for (const f of flags) {
          if (spec.parallelOptions.includes(f)) parallel = true;
          else if (spec.sequentialOptions.includes(f)) parallel = false;
        }
        continue;
      }
      // --PACKAGE:CONFIG=VALUE (or its value as the next word) sets a package config variable
      if (/^--[^:=]+:[^=]+$/.test(a)) i++;
      else if (spec.parallelOptions.includes(opt)) parallel = true;
      else if (spec.sequentialOptions.includes(opt)) parallel = false;
      else if (spec.otherRunner.includes(opt)) return { why: `${opt} names the program that runs its tasks, which is not followed` };
      else if (spec.optionsWithValue.includes(opt) && !a.includes("=")) i++;
      continue;
    }
    if (/[*?{}[\]!]/.test(a)) return { why: `the task ${a} is a pattern over the scripts' names, which is not followed` };
    if (parallel && tasks.length) return { why: "it runs several tasks at the same time, which is not followed" };
    tasks.push(a);
  }
  if (parallel && tasks.length > 1) return { why: "it runs several tasks at the same time, which is not followed" };
  return { tasks };
}

export function startRunTasks(
  w: World, p: Path, proc: Proc, entry: ProgramEntry, name: string, args: Word[], source: SourceLoc | null,
  exitsWithChild: (q: Path, parent: Proc, child: Proc) => Path,
): Path[] {
  const spec = entry.runTasks!;
  proc.role = "wrapper";
  proc.longRunning = true;
  const list = taskList(entry, args.map((a) => known(a)));
  // $npm_execpath: the nearest package manager above it that runs package.json scripts
  const above = (lineage(p.root, proc.id) ?? []).slice(0, -1).reverse();
  const manager = above.find((q) => q.program?.runScript && !q.program.runScript.exec)?.program?.name ?? spec.defaultManager;
  const child = newProc(w, [], source, proc.user);
  attach(p, proc, child);
  if ("why" in list || !list.tasks.length) {
    const why = "why" in list ? list.why : "it is given no task";
    child.argv = [manager, "run", "<task>"];
    child.role = "unknown";
    child.longRunning = null;
    child.notes.push(`what ${name} runs is not known: ${why}`);
    proc.notes.push(`${name} runs package.json scripts with ${manager} as its children; which is not known: ${why}`);
    return [p];
  }
  const last = list.tasks[list.tasks.length - 1]!;
  const before = list.tasks.slice(0, -1);
  proc.notes.push(
    `${name} runs the package.json scripts ${list.tasks.join(", ")} one after another, each as its child \`${manager} run TASK\` (${manager}: the manager that ran it, or ${spec.defaultManager})` +
      (before.length ? `; ${before.join(", ")} end${before.length === 1 ? "s" : ""} before ${last} starts (taken to end by themselves)` : ""),
  );
  child.argv = [manager, "run", last];
  return program(w, p, child, manager, manager, [lit("run"), lit(last)], source).map((q) => exitsWithChild(q, proc, child));
}
