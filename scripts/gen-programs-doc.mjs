#!/usr/bin/env node
// Generates docs/programs.md from packages/analyzer/src/data/programs.json: the prose below is the
// catalog's conventions and findings; every "## <program>" section is rendered from its entry.
//   node scripts/gen-programs-doc.mjs            writes docs/programs.md
//   node scripts/gen-programs-doc.mjs --check    exits 1 when docs/programs.md differs
// packages/analyzer/test/programs-doc.test.ts checks that the committed file is the generated one.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const CATALOG = path.join(ROOT, "packages/analyzer/src/data/programs.json");
export const DOC = path.join(ROOT, "docs/programs.md");

const tick = (s) => "`" + s + "`";
const orNone = (xs, f) => (xs.length ? xs.map(f).join(" ") : "none");
const sentence = (s) => (s.endsWith(".") ? s : `${s}.`);

function entry(p) {
  const out = [`## ${p.name}`, ""];
  out.push(`- match: ${p.match.length ? p.match.map(tick).join(", ") : "*(none, chosen by base image; see notes)*"} | role: ${tick(p.role)} | longRunning: ${p.longRunning}`);
  const sigs = Object.entries(p.signals);
  out.push(`- signals: ${sigs.length ? sigs.map(([s, a]) => `${tick(s)}→${a}`).join(", ") : "*(none: no handler installed, or unknown; see Unverified)*"}`);
  if (p.atPid1) out.push(`- at PID 1: ${Object.entries(p.atPid1).map(([s, a]) => `${tick(s)}→${a}`).join(", ")}`);
  if (p.signalDetails) {
    const d = Object.entries(p.signalDetails).map(([s, x]) => {
      const parts = [x.label, x.stops ? "stops" : null, x.exitCode !== undefined ? `exit ${x.exitCode}` : null, x.depends ? `depends: ${x.depends}` : null].filter((v) => v !== null && v !== undefined);
      return `${tick(s)} ${parts.join(", ")}`;
    });
    out.push(`- signal details: ${d.join("; ")}`);
  }
  if (p.forwards) {
    const f = p.forwards;
    out.push(`- forwards: to ${tick(f.to)}, signals ${f.signals.join(", ")}${f.except.length ? `, except ${f.except.join(", ")}` : ""}${f.sends ? `; sends ${f.sends} whatever it received` : ""}${f.toWhen ? `; to, by its options: ${tick(JSON.stringify(f.toWhen))}` : ""}${f.rewrite ? `; rewrites signals: ${tick(JSON.stringify(f.rewrite))}` : ""}${f.exitsAtOnce ? "; exits at once after passing it on, without waiting" : ""}${f.notes ? `. ${f.notes}` : ""}`);
  }
  out.push(`- reapsZombies: ${p.reapsZombies} | exitsWithChild: ${p.exitsWithChild} | recommendedStopSignal: ${p.recommendedStopSignal}`);
  if (p.stopTakes) {
    const t = p.stopTakes;
    const fc = t.fromConfig;
    out.push(
      `- a graceful stop on ${t.signals.join(", ")} can take ${t.seconds} s by default (${tick(t.setting)}${t.options ? `; options ${t.options.map(tick).join(", ")}` : ""}); source: ${t.source}` +
        (fc ? `; read from its config: the last ${tick(fc.key)} (a number and a unit: ${Object.entries(fc.units).map(([u, n]) => `${u} = ${n} s`).join(", ")}), plus ${fc.extraSeconds} s; source: ${fc.source}` : ""),
    );
  }
  if (p.daemonizes) {
    const d = p.daemonizes;
    const parts = [`- daemonizes by default: ${d.byDefault}`];
    if (d.foregroundArgs.length) parts.push(`; foreground args: ${d.foregroundArgs.map((a) => tick(a.join(" "))).join(", ")}`);
    if (d.foregroundFlags.length) parts.push(`; foreground flags: ${d.foregroundFlags.map(tick).join(", ")}`);
    if (d.notes) parts.push(`. ${d.notes}`);
    out.push(parts.join(""));
  }
  if (p.programsFrom) {
    const c = p.programsFrom;
    const where = c.configFlags?.length || c.search?.length ? `: named by ${orNone(c.configFlags ?? [], tick)}, else the first of ${(c.search ?? []).map(tick).join(", ")}` : "";
    out.push(`- its children come from its config (${c.format} format${c.procfile ? `, started ${c.procfile}` : ""})${where}${c.stopWaitSeconds !== undefined ? `; it SIGKILLs a program still running ${c.stopWaitSeconds} s after its stop signal` : ""}${c.notes ? `. ${c.notes}` : ""}`);
  }
  if (p.config) {
    const c = p.config;
    const s = c.setting;
    const named = [...(c.fileOptions ?? []).map(tick), ...(c.fileOperand ? ["its first operand"] : [])];
    out.push(`- config file (${c.syntax} syntax): named by ${named.length ? named.join(" or ") : "nothing on the command line"}${c.search.length ? `, else the first that exists of ${c.search.map(tick).join(", ")}` : ", else none (built-in defaults)"}`);
    if (s) out.push(`  - setting: ${tick(`${s.section ? `[${s.section}] ` : ""}${s.key}`)}: foreground with ${s.foreground.map(tick).join(", ")}; background with ${s.background.map(tick).join(", ")}${s.duplicateFails ? "; given both on the command line and in the file, the program exits 1" : ""}`);
    if (c.include) {
      const i = c.include;
      out.push(`  - include: ${tick(`${i.section ? `[${i.section}] ` : ""}${i.key}`)}${i.list ? " (several patterns)" : ""}, relative to ${i.relativeTo}, read ${i.at === "end" ? "after the whole file" : "where it stands"}${i.nested ? ", nested" : ", not nested"}`);
    }
    if (c.backgroundFlags?.length) out.push(`  - background flags: ${c.backgroundFlags.map(tick).join(", ")}`);
    if (c.argvSettings) out.push(`  - settings on the command line: ${tick(c.argvSettings)}`);
    if (c.notes) out.push(`  - ${sentence(c.notes)}`);
    for (const src of c.sources) out.push(`  - source: ${src}`);
  }
  if (p.optionsFrom) {
    const o = p.optionsFrom;
    const files = [...(o.fileOptions ?? []).map(tick), ...(o.fileOperandSuffixes ?? []).map((x) => `an operand ending in ${tick(x)}`), ...(o.fileEnv ?? []).map((e) => tick(`$${e}`))];
    out.push(`- options outside its command line: ${o.envPrefix ? `environment variables ${tick(`${o.envPrefix}<OPTION>`)}, then ` : ""}${o.syntax} files (section ${tick(`[${o.section}]`)}) named by ${files.join(" or ")}; the last value wins, and ${o.falseValues.map(tick).join(", ")} turn a flag off; they choose the modes as command-line options do`);
    for (const src of o.sources) out.push(`  - source: ${src}`);
  }
  if (p.failsWithoutRoot) {
    const f = p.failsWithoutRoot;
    out.push(`- run by a user other than root it exits ${f.status}${f.notes ? `. ${f.notes}` : ""}`);
  }
  if (p.duration) {
    const d = p.duration;
    out.push(`- ends after the duration of operand ${d.operand}; under ${d.transientBelowSeconds} s it is taken for a pause of the setup${d.notes ? `. ${d.notes}` : ""}`);
  }
  if (p.runScript) {
    const r = p.runScript;
    const how = r.exec
      ? "runs its operands as a command"
      : [r.named.length ? `${r.named.map(tick).join(", ")} run the script of that name` : null, r.byOperand.length ? `${r.byOperand.map(tick).join(", ")} the script named next` : null, r.implicit ? "any other first operand that is not one of its commands names a script" : null].filter(Boolean).join("; ");
    out.push(
      `- runs a package.json script as its child \`/bin/sh -c SCRIPT\` (node_modules/.bin first on the PATH): ${how}; extra words appended: ${r.extraArgs === "all" ? "all after the script's name" : "those after `--`"}` +
        `; options with value: ${orNone(r.optionsWithValue, tick)}; not followed (another package or command): ${orNone(r.otherPackage ?? [], tick)}` +
        (r.filterOptions?.length ? `; the workspace package named by ${r.filterOptions.map(tick).join(" or ")} (pnpm-workspace.yaml)` : "") +
        (r.defaults?.length ? `; defaults: ${r.defaults.map((d) => `${tick(d.script)} → ${tick(d.run)} when ${tick(d.ifFile)} exists`).join(", ")}` : "") +
        (r.prePost ? "; runs pre/post scripts around it" : "") +
        (r.versions ? `; holds for ${r.versions.name} ${r.versions.majors.join(", ")} (another major named by package.json packageManager: unknown)` : "") +
        `; its own commands (not scripts): ${orNone(r.builtins, tick)}` +
        (r.notes ? `. ${r.notes}` : ""),
    );
  }
  if (p.runTasks) {
    const t = p.runTasks;
    out.push(
      `- runs the package.json scripts named on its command line ${t.parallel ? "at the same time" : "one after another"}, each as its child \`MANAGER run TASK\` (MANAGER: the package manager that ran it, else ${tick(t.defaultManager)}); only the last of a sequence is followed` +
        `; at the same time with ${orNone(t.parallelOptions, tick)}, one after another with ${orNone(t.sequentialOptions, tick)} (tasks at the same time, name patterns and \`--\` arguments are not followed)` +
        `; options with value: ${orNone(t.optionsWithValue, tick)}; not followed (another runner): ${orNone(t.otherRunner, tick)}`,
    );
  }
  if (p.launches) out.push(`- launcher: ${launchText(p.launches)}`);
  // Fields measured for inits, wrappers and shells (their meaning is in programs.schema.json).
  for (const k of ["shellSignals", "childLeadsGroup", "subreaper", "keepsIgnored", "busyboxApplet", "busyboxAppletNamedOnly"]) {
    if (p[k] !== undefined) out.push(`- ${k}: ${tick(JSON.stringify(p[k]))}`);
  }
  if (p.wrapper) {
    const w = p.wrapper;
    const user = w.user ? [...(w.user.options ?? []).map((o) => `the value of ${tick(o)}`), ...(w.user.operand ? ["the first operand"] : [])].join(" or ") : null;
    out.push(
      `- wrapper: skipWords ${w.skipWords}; options with value: ${orNone(w.optionsWithValue, tick)}; options stop: ${w.optionsStop ? tick(w.optionsStop) : "none"}; command flag: ${w.commandFlag ? tick(w.commandFlag) : "none"}` +
        (user ? `; user: ${user}` : "") +
        (w.permutesOptions ? "; permutes options (GNU getopt)" : "") +
        WRAPPER_EXTRA.filter((k) => w[k] !== undefined).map((k) => `; ${k}: ${tick(JSON.stringify(w[k]))}`).join(""),
    );
  }
  if (p.args) {
    const a = p.args;
    out.push(`- arguments: options with value: ${orNone(a.optionsWithValue, tick)}; operands: ${a.operands}${a.oneShot?.length ? `; one-shot options (the program exits): ${a.oneShot.map(tick).join(" ")}` : ""}${a.clusters ? "; single-letter options group after one dash (getopt)" : ""}${a.source ? `. ${a.source}` : ""}`);
  }
  if (p.app) {
    const a = p.app;
    out.push(
      `- application (${a.language}): the scan reads the entry file and the local files it loads for handlers (packages/analyzer/src/app/scan.ts); options with value: ${orNone(a.optionsWithValue, tick)}; code options: ${orNone(a.codeOptions, tick)}` +
        (a.moduleOption ? `; module option: ${tick(a.moduleOption)}` : "") +
        (a.preloadOptions?.length ? `; preload options (scanned too): ${a.preloadOptions.map(tick).join(" ")}` : "") +
        `. Sources: ${a.sources.join("; ")}`,
    );
    for (const f of a.frameworks) {
      const sigs = Object.entries(f.signals);
      out.push(
        `  - framework **${f.name}**: ` +
          (f.imports.length ? `imports ${f.imports.map(tick).join(", ")}` : `the entry file generated by its build (${tick(f.generated ?? "")})`) +
          (f.calls?.length ? `, with a call ${f.calls.map(tick).join(" or ")}` : "") +
          (f.modules?.length ? `; \`-m\` ${f.modules.map(tick).join(", ")}` : "") +
          (f.unlessEnv?.length ? `; none when the image sets ${f.unlessEnv.map(tick).join(" or ")}` : "") +
          `; signals: ${sigs.length ? sigs.map(([s, x]) => `${tick(s)}→${x}`).join(", ") : "none installed"}` +
          (f.notes ? `. ${sentence(f.notes)}` : ".") +
          ` Sources: ${f.sources.join("; ")}`,
      );
    }
  }
  if (p.modes) {
    for (const m of p.modes) {
      const w = m.when;
      const cond = [
        w.options ? `with ${w.options.map(tick).join(" or ")}` : null,
        w.operands ? `operands ${w.operands.map((s) => tick(s.join(" "))).join(" or ")}` : null,
        w.noOperands ? "no operand" : null,
        w.noOptions ? `without ${w.noOptions.map(tick).join(" or ")}` : null,
        w.targetUser ? `the user is ${w.targetUser.map(tick).join(" or ")} (none given: root)` : null,
        w.env ? `with ${w.env.map(tick).join(" or ")} set in ENV` : null,
        w.binSh ? `in an image whose /bin/sh is ${w.binSh.map(tick).join(" or ")}` : null,
        w.baseImage ? `in ${w.baseImage.repositories.map(tick).join(" or ")}${w.baseImage.majorBelow !== undefined ? `, tag below ${w.baseImage.majorBelow}` : ""}${w.baseImage.majorAtLeast !== undefined ? `, tag ${w.baseImage.majorAtLeast} or above` : ""}` : null,
      ].filter(Boolean).join(", ");
      const fields = MODE_FIELDS.filter((k) => m[k] !== undefined).map((k) => (k === "launches" ? `launcher: ${launchText(m[k])}` : `${k} ${tick(JSON.stringify(m[k]))}`));
      out.push(`- mode (${cond})${m.label ? `, ${m.label}` : ""}: ${fields.length ? fields.join("; ") : "as the entry"}`);
    }
  }
  if (p.provenance) {
    out.push("", "**Provenance**", "");
    for (const v of p.provenance) {
      const what = v.covers ? ` (${v.covers})` : "";
      out.push(v.kind === "measured" ? `- measured${what}: ${v.version}; ${v.test}` : `- documented${what}: ${v.source}: ${v.says}`);
    }
  }
  out.push("", "**Sources**", "");
  for (const s of p.sources.length ? p.sources : ["none found in the stored corpora (see Unverified)"]) out.push(`- ${s}`);
  out.push("", `**Notes.** ${p.notes}`, "", `**Unverified:** ${p.unverified.length ? sentence(p.unverified.join("; ")) : "nothing."}`, "");
  return out.join("\n");
}

/** What a launcher execs in its place, and when it is not followed. */
function launchText(l) {
  const what = l.argv.length ? `${tick(l.argv.join(" "))} and its own arguments${l.afterSubcommand ? " after the subcommand" : ""}` : "its own arguments";
  const unless = [
    l.unlessArgs?.length ? `given ${l.unlessArgs.map(tick).join(" or ")}` : null,
    l.unlessEnv?.length ? `with ${l.unlessEnv.map(tick).join(" or ")} set` : null,
    l.unlessOptionFirst ? `when its first argument is an option (${l.unlessOptionFirst})` : null,
  ].filter(Boolean);
  return (
    `${l.asChild ? "runs" : "execs"} ${what}${l.appends?.length ? `, then ${tick(l.appends.join(" "))},` : ""} ${l.asChild ? "as its child and stays its parent (no exec)" : "in its place"}` +
    (unless.length ? `, unless ${unless.join(", or ")}` : "") +
    (l.since ? `; since release ${l.since.version}${l.since.env?.length ? ` (an older one named by ${l.since.env.map(tick).join(" or ")}: not followed)` : ""}: before it, ${l.since.before}` : "") +
    (l.notes ? `. ${l.notes}` : "")
  );
}

/** Fields a mode replaces, shown as they are (their meaning is that of the entry's field of the same name). */
const MODE_FIELDS = ["role", "longRunning", "signals", "atPid1", "signalDetails", "daemonizes", "wrapper", "recommendedStopSignal", "launches", "forwards", "exitsWithChild"];

/** Wrapper fields shown as they are (their meaning is in programs.schema.json). */
const WRAPPER_EXTRA = ["runsApplets", "loneDashIsOption", "clearsEnv", "assignments", "forks", "shellOption", "stopRunsShell", "leavesWatcher"];

/** Every field of an entry that entry() renders: the test fails when the catalog grows a field the doc omits. */
export const RENDERED = {
  entry: ["name", "match", "role", "longRunning", "signals", "atPid1", "signalDetails", "forwards", "reapsZombies", "exitsWithChild", "daemonizes", "programsFrom", "config", "optionsFrom", "duration", "failsWithoutRoot", "recommendedStopSignal", "stopTakes", "wrapper", "args", "app", "sources", "notes", "unverified", "shellSignals", "childLeadsGroup", "subreaper", "keepsIgnored", "busyboxApplet", "busyboxAppletNamedOnly", "launches", "runScript", "runTasks", "provenance", "modes"],
  app: ["language", "optionsWithValue", "codeOptions", "moduleOption", "preloadOptions", "frameworks", "sources"],
  "app.frameworks": ["name", "imports", "calls", "modules", "generated", "unlessEnv", "signals", "sources", "notes"],
  launches: ["argv", "asChild", "afterSubcommand", "appends", "unlessArgs", "unlessEnv", "unlessOptionFirst", "since", "notes"],
  runTasks: ["parallel", "parallelOptions", "sequentialOptions", "optionsWithValue", "otherRunner", "defaultManager"],
  runScript: ["byOperand", "named", "implicit", "builtins", "optionsWithValue", "otherPackage", "filterOptions", "extraArgs", "exec", "defaults", "prePost", "versions", "notes"],
  provenance: ["kind", "version", "test", "source", "says", "covers"],
  modes: ["when", "label", ...MODE_FIELDS],
  "modes.when": ["options", "operands", "noOperands", "noOptions", "targetUser", "baseImage", "env", "binSh"],
  signalDetails: ["label", "stops", "exitCode", "depends"],
  forwards: ["to", "signals", "except", "sends", "toWhen", "rewrite", "exitsAtOnce", "notes"],
  programsFrom: ["format", "procfile", "configFlags", "search", "stopWaitSeconds", "notes"],
  config: ["syntax", "fileOptions", "fileOperand", "search", "setting", "include", "backgroundFlags", "argvSettings", "notes", "sources"],
  "config.setting": ["section", "key", "foreground", "background", "duplicateFails"],
  "config.include": ["section", "key", "list", "relativeTo", "at", "nested"],
  optionsFrom: ["envPrefix", "fileOptions", "fileOperandSuffixes", "fileEnv", "syntax", "section", "falseValues", "sources"],
  duration: ["operand", "transientBelowSeconds", "notes"],
  failsWithoutRoot: ["status", "notes"],
  daemonizes: ["byDefault", "foregroundArgs", "foregroundFlags", "notes"],
  wrapper: ["skipWords", "optionsWithValue", "optionsStop", "commandFlag", "user", "permutesOptions", ...WRAPPER_EXTRA],
  "wrapper.user": ["options", "operand"],
  args: ["optionsWithValue", "operands", "oneShot", "clusters", "source"],
};

export function render(catalog) {
  return `# Program signal-behaviour catalog: sources and open points

This file documents \`packages/analyzer/src/data/programs.json\` (version ${catalog.version}, ${catalog.programs.length} programs). It is generated from that file by \`node scripts/gen-programs-doc.mjs\`: edit the JSON (or the prose in the script) and run it; a test fails when the two differ.
Every fact was taken from a stored copy of public documentation or source code (via the team's search tools), or from the namespace measurements and reference facts of \`docs/measurements.md\` where that is said explicitly. The first entries were written from sources alone; the entries that cite docs/measurements.md rest on measurements made since. An entry with a **Provenance** section says how each of its facts was established: \`measured\` (the real program run as PID 1 of a PID namespace, its version, and the ground-truth test that shows it, e.g. \`packages/analyzer/test/ground-truth/programs.ns.test.ts\`) or \`documented\` (the source and what it says). Facts that could not be confirmed are listed under **Unverified** in each section and in the entry's \`unverified\` array.

## Conventions

- \`signals\`: what the program does when the signal is *delivered* to it. A signal that is not listed means no handler is installed (default disposition). At PID 1 such a signal is dropped by the kernel.
- Actions use only the enumerated set: \`graceful-stop\`, \`fast-stop\`, \`reload\`, \`reopen-logs\`, \`restart\`, \`ignore\`, \`forward\`, \`dump\`, \`other\`. The brief's nginx example used \`upgrade\` and \`graceful-stop-workers\`, which are not in that set. They are mapped to \`other\`, and the note explains them.
- \`ignore\` means the program explicitly sets SIG_IGN or catches and discards the signal. That is different from "not listed" only when the program is not PID 1.
- \`other\` is used where the outcome depends on context or fits none of the actions (postgres' SIGQUIT immediate shutdown, nginx's SIGUSR2 binary upgrade). A signal whose effect differs at PID 1 (node's SIGTERM: it ends node elsewhere, and is ignored at PID 1) has its PID-1 action in \`atPid1\`.
- \`null\` in \`reapsZombies\`/\`daemonizes\`/\`exitsWithChild\` means "not applicable or not verified". Check \`unverified\`.
- \`signalDetails\` (optional, shown as "signal details"): what \`signals\` does not say about a handled signal: the program's own name for the action (\`label\`, from its documentation or log wording), whether it ends the program where the action does not decide that (\`stops\`, e.g. postgres' SIGQUIT immediate shutdown is "other" but ends the postmaster), the exit status it then ends with (\`exitCode\`, default 0), and what the stop depends on that the image does not show (\`depends\`, e.g. pgbouncer's version: an "other" action that \`stops\` in every version counts as a stop, and the outcome's reason says what depends on the version; one whose stop takes a set time, \`stopTakes\`, stays unknown). Every key must also be in \`signals\`. The engine's stand-in services are generated from \`signals\`, \`atPid1\`, \`signalDetails\` and \`daemonizes\` (engine/standin/gen-personas.mjs), so a change here changes how the stand-ins on the engine react.
- \`atPid1\` (optional, shown as "at PID 1"): the action at PID 1 where it differs from \`signals\`, as measured in a PID namespace (node's default TERM/INT handler re-raises the signal, which the kernel drops at PID 1).
- \`args\` (optional, shown as "arguments"): the command-line syntax of a program that refuses operands (nginx exits on "invalid option"), with the options after which it exits at once (\`oneShot\`).
- \`wrapper.user\` (optional): where a wrapper's arguments name the user its command runs as, either the value of one of \`options\` (\`chpst -u\`, \`setpriv --reuid=\`, \`runuser -u\`) or the first operand (\`gosu USER\`, \`su-exec\`, \`s6-setuidgid\`, \`su USER\`); \`user:group\` gives the user. The analyzer uses it for \`$(id -u)\` after the wrapper. \`wrapper.permutesOptions\` (optional): the wrapper parses its options with GNU getopt without a leading \`+\`, so option words after the program name are taken by the wrapper unless \`--\` ends its options first (tini, catatonit; see point 2 below).
- \`modes\` (optional, shown as "mode"): behaviour that depends on the arguments. The first mode whose condition holds (an option among the arguments, the leading operands, or no operand at all) replaces the entry's fields it names: \`php -S\` serves and handles only SIGINT, \`php -a\` reads its commands from stdin and ends at EOF (a container started without \`-i\`), \`caddy run\` serves, \`caddy start\` forks into the background, \`caddy\` alone prints its help.
- Go programs: the Go runtime catches every signal. Without \`signal.Notify\` for it, TERM, INT and HUP make the runtime re-raise the signal with its default action; at PID 1 the kernel drops that, and the runtime exits with status 2 (measured, the go-binary entry). QUIT dumps the goroutines and exits 2; USR1, USR2 and WINCH do nothing. A Go server that calls \`signal.Notify\` decides for itself, which is why named Go servers have entries of their own. A binary whose name the catalog does not know is taken for a Go program only when the Dockerfile shows it: \`go build -o FILE\` (or \`go install\`) in an earlier stage made the file that a \`COPY --from\` brings (\`PathResolution.builtBy\`); otherwise it stays unknown.
- Sources are given as \`owner/repo:path (commit)\` for files read from the GitHub index, or as URLs for documentation pages. Stored copies found only through \`find_string\` have no repository name; they are cited by their stored file id.

## Kernel rules the entries rely on

- \`kernel/signal.c\` \`sig_ignored()\`: "Blocked signals are never ignored, since the signal handler may change by the time it is unblocked." \`sig_task_ignored()\`: \`if (unlikely(t->signal->flags & SIGNAL_UNKILLABLE) && handler == SIG_DFL && !(force && sig_kernel_only(sig))) return true;\`. Seen in several stored kernel copies, for example stored file ids 48111177 and 15233220.
- \`get_signal()\`: "Global init gets no signals it doesn't want. Container-init gets no signals it doesn't want from same container." The code is \`if (unlikely(signal->flags & SIGNAL_UNKILLABLE) && !sig_kernel_only(signr)) continue;\`. Seen in stored copies, for example stored file id 12953910567.
- Consequence: a signal reaches PID 1 if PID 1 has a handler for it **or keeps it blocked**. tini and catatonit install no handler for SIGTERM: they block it and read it with \`sigtimedwait\`/\`signalfd\`. The usual statement that the kernel "delivers a signal to PID 1 ... only if PID 1 has installed a handler" needs this extra clause, or tini and catatonit would appear deaf.
- Third-party caveat, not checked by us against a kernel tree: a stored analysis note (file id 68431573677) quotes kernel v6.8 \`complete_signal()\`. According to it, a **multithreaded** PID 1 can be killed by a SIG_DFL signal when its main thread has the signal blocked while another thread does not, for example inside glibc \`pthread_create\`. The note says this has been so since Linux 4.15 (commit 426915796cca). It is a rare race, not a reliable way to stop a program.

## Predictions, since measured (node, python)

Measured since as PID 1 of a PID namespace (docs/measurements.md, "runtimes"): node and python behave as predicted below (node is SIGKILLed at the end of the grace period; python exits 130 on INT and drops TERM). java was not measured.


- **node as PID 1, no \`process.on('SIGTERM')\` in the app: predicted to IGNORE \`docker stop\`, then SIGKILL (exit 137) at the end of the grace period.** Node installs \`SignalExit\` for SIGINT and SIGTERM with \`SA_RESETHAND\` and a full \`sa_mask\`. \`SignalExit\` resets the tty and calls \`raise(signo)\`. The raised signal is thread-directed and blocked while the handler runs, so it stays pending. After the handler returns it is dequeued with SIG_DFL, and \`get_signal()\` drops it for the container init. Any later SIGTERM is dropped at send time, because the disposition is now SIG_DFL. When node is not PID 1, the same code kills it (143).
- **python as PID 1, no SIGTERM handler in the app: predicted to IGNORE \`docker stop\` (exit 137 after the grace period).** Python installs no SIGTERM handler. SIGINT *is* handled (KeyboardInterrupt), so \`docker stop --signal SIGINT\` or \`STOPSIGNAL SIGINT\` reaches it. The exit code after an uncaught KeyboardInterrupt at PID 1 is unverified.
- **java as PID 1: predicted to stop gracefully on SIGTERM** (shutdown hooks, exit 143), unless \`-Xrs\` is set.

## Points that contradict or refine common belief

1. **PID-1 delivery rule**: the usual statement is "only if PID 1 has installed a handler". A *blocked* signal is delivered too; that is how tini and catatonit work. An installed handler is also not enough to make a program stoppable: node has a handler, but its re-raise is dropped. So "plain \`node\` ignores docker stop" holds (measured since), but for a different reason than that statement implies.
2. **tini option parsing**: tini uses \`getopt()\` without a leading \`+\`, so glibc permutes arguments. \`tini nginx -g "daemon off;"\` silently takes \`-g\` as tini's own process-group flag. dumb-init (\`"+hvVcr:"\`) stops at the first non-option; catatonit (\`"ghLPV"\`) permutes like tini. Use \`--\`.
3. **dumb-init also signals on child exit**: when its main child exits, dumb-init sends SIGTERM to the remaining process group before exiting. The usual description only says that it exits as soon as its direct child exits.
4. **runsvdir**: on TERM it exits 0 *immediately* (confirmed). On HUP it sends TERM to every runsv and then exits 111 **without waiting**. No signal gives a graceful stop when runsvdir is PID 1. \`runsv\` alone does stop its service on TERM.
5. **supervisord**: "ignores other signals such as SIGWINCH" is true in effect. The source logs them as "received %s indicating nothing". It also has **SIGUSR2 = reopen logs**, and its default \`stopwaitsecs\` = 10 s equals Docker's grace period, so Docker's SIGKILL usually arrives first.
6. **uWSGI**: SIGTERM means "brutally reload" unless \`--die-on-term\` is set. This is still the text of the *current* Management docs, so with Docker's default STOPSIGNAL uWSGI never stops by itself. A change in uWSGI 2.1 could not be confirmed.
7. **util-linux su/runuser**: the forwarded signal is always SIGTERM, whatever was received, and the child gets only 2 s before SIGKILL. Measured since (docs/measurements.md, "privilege droppers"): as PID 1 they wait the full 2 s even when the child dies at once; they act on INT and QUIT only when the command runs as a non-root user through \`-c\`, while \`su -c\` to root and \`runuser -u USER CMD\` keep INT and QUIT blocked and do nothing on them.
8. **chpst** execs normally, but with \`-F\`/\`-I\` (newer runit with unshare support) it stays as a parent signal relay.
9. **\`env\`** can change the target's signal dispositions (\`--ignore-signal=TERM\`, coreutils >= 8.31). Leading \`NAME=VALUE\` words must be skipped to find the command, and the wrapper schema cannot express that.
10. **crond**: the basename is ambiguous. BusyBox crond (Alpine) has *no* handlers and does not reap orphans; cronie's crond (RHEL family) exits 0 on TERM/INT and reaps everything. Debian \`cron\` could not be verified.
11. **postgres**: SIGTERM (Docker default) is a *smart* shutdown that waits for all sessions. The official image therefore sets STOPSIGNAL SIGINT. Images that build their own postgres without that line will usually hit the SIGKILL.
12. **httpd-foreground** (docker-library/httpd, stored version) does not pass \`"$@"\` to httpd, so CMD arguments after it are dropped. apache2-foreground (php images) does pass them.

` + catalog.programs.map(entry).join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = render(JSON.parse(fs.readFileSync(CATALOG, "utf8")));
  if (process.argv.includes("--check")) {
    if (fs.readFileSync(DOC, "utf8") !== text) {
      console.error("docs/programs.md is not the one generated from programs.json: run node scripts/gen-programs-doc.mjs");
      process.exit(1);
    }
  } else fs.writeFileSync(DOC, text);
}
