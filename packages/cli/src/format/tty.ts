// The human report: for each Dockerfile, the resolved command and where each part came from, the process
// tree, the `docker stop` timeline, reloads, scenarios and findings with code frames. Fits in `width`
// columns (80 by default), readable with and without colour.
import { append } from "../append.js";
import { SourceLines } from "../source-lines.js";
import { visible as shown, visibleDeep } from "../visible.js";
import type { Delivery, Finding, ProcessNode, Scenario, StopPrediction } from "@audit-image/analyzer";
import type { CommandPartInfo, Inherited, Report, Result } from "../report.js";

export interface TtyOptions {
  color: boolean;
  width?: number;
  /** Findings and problems only. */
  quiet?: boolean;
  platform?: "docker" | "compose" | "k8s" | string;
  /** Text of a repository file (a Dockerfile or a context script) for code frames; null when unavailable. */
  readSource?: (file: string) => string | null;
}

type Style = (s: string) => string;
interface Styles { bold: Style; dim: Style; red: Style; yellow: Style; green: Style; cyan: Style; magenta: Style }

const ANSI = /\x1b\[[0-9;]*m/g;
const visible = (s: string) => [...s.replace(ANSI, "")].length;

function styles(on: boolean): Styles {
  const mk = (open: number, close: number): Style => (on ? (s) => (s ? `\x1b[${open}m${s}\x1b[${close}m` : s) : (s) => s);
  return { bold: mk(1, 22), dim: mk(2, 22), red: mk(31, 39), yellow: mk(33, 39), green: mk(32, 39), cyan: mk(36, 39), magenta: mk(35, 39) };
}

/** Cut a (possibly coloured) line to `width` visible characters, ending in "…". */
export function fit(line: string, width: number): string {
  if (visible(line) <= width) return line;
  let out = "";
  let n = 0;
  const parts = line.split(/(\x1b\[[0-9;]*m)/);
  for (const p of parts) {
    if (p.startsWith("\x1b[")) {
      out += p;
      continue;
    }
    for (const ch of p) {
      if (n >= width - 1) break;
      out += ch;
      n++;
    }
  }
  return out + "…" + (line.includes("\x1b[") ? "\x1b[0m" : "");
}

/**
 * Word-wrap plain text to `width`, every line starting with `indent` (the first with `first`). Linear in
 * the text: a word longer than a line is cut in pieces by code point, without re-reading what is left.
 */
export function wrap(text: string, width: number, indent: string, first = indent): string[] {
  const out: string[] = [];
  const indentLen = visible(indent);
  let cur = first;
  let curLen = visible(first);
  let curEmpty = true;
  const flush = () => {
    out.push(cur);
    cur = indent;
    curLen = indentLen;
    curEmpty = true;
  };
  for (const word of text.replace(/(\d) s\b/g, "$1\u00a0s").split(/[ \t\n]+/)) {
    if (!word) continue;
    // code points, counted once (a 200 KB word is not re-spread for every line it fills)
    const chars = word.length > width ? Array.from(word) : null;
    const n = chars ? chars.length : [...word].length;
    if (!curEmpty && n > width - curLen - 1) flush();
    let at = 0;
    while (n - at > width - curLen) {
      const r = Math.max(1, width - curLen - (curEmpty ? 0 : 1));
      const piece = chars ? chars.slice(at, at + r).join("") : [...word].slice(at, at + r).join("");
      cur += (curEmpty ? "" : " ") + piece;
      at += r;
      flush();
    }
    if (at < n) {
      const rest = at === 0 ? word : chars ? chars.slice(at).join("") : [...word].slice(at).join("");
      cur += (curEmpty ? "" : " ") + rest;
      curLen += (curEmpty ? 0 : 1) + (n - at);
      curEmpty = false;
    }
  }
  if (!curEmpty || out.length === 0) out.push(cur);
  return out.map((l) => l.replace(/\u00a0/g, " "));
}

/** An argv as a shell would need it typed. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (a === "" ? "''" : /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

const bare = (p: string) => p.slice(p.lastIndexOf("/") + 1); // not /.*\//, which backtracks quadratically

function inheritedText(i: Inherited): string {
  switch (i.from) {
    case "stage":
      return `inherited from stage ${i.stage?.name ?? i.stage?.index ?? "?"}`;
    case "base-image":
      return `inherited from ${i.image}`;
    case "base-config":
      return `inherited from ${i.image} (--base-config)`;
    case "unknown-base":
      return `unknown base ${i.image}: assumed unset`;
    case "deployment":
      return i.file === "<command line>" ? "docker run flag" : `${i.file}${i.line ? `:${i.line}` : ""}`;
    default:
      return "Docker's default";
  }
}

function whereText(p: { line: number | null; inherited: Inherited | null }): string {
  if (!p.inherited) return p.line ? `line ${p.line}` : "";
  if (p.inherited.from === "stage" && p.line) return `line ${p.line}, ${inheritedText(p.inherited)}`;
  return inheritedText(p.inherited);
}

function partText(p: CommandPartInfo): string {
  return p.form === "exec" ? JSON.stringify(p.value) : p.text ?? shellQuote(p.value);
}

const ACTION: Record<string, string> = {
  "graceful-stop": "stops gracefully",
  "fast-stop": "stops at once (fast shutdown)",
  reload: "reloads",
  "reopen-logs": "reopens its logs",
  ignore: "ignores it",
  dropped: "dropped: PID 1 has no handler for it",
  forward: "forwards it",
  terminate: "dies (default action)",
  deferred: "acts only once its foreground command ends",
  exit: "exits",
  killed: "never gets it",
  unknown: "unknown reaction",
  "app-handler": "runs the application's handler",
};

function outcomeText(stop: StopPrediction, st: Styles): string {
  const code = stop.exitCode !== null ? `, exit code ${stop.exitCode}` : "";
  switch (stop.outcome) {
    case "graceful":
      return st.green(st.bold("graceful exit")) + code;
    case "killed":
      return st.red(st.bold(`SIGKILL after ${stop.gracePeriod} s`)) + code;
    case "abrupt":
      return st.yellow(st.bold("PID 1 exits; others are killed without a signal")) + code;
    case "not-running":
      return st.dim("nothing is running");
    default:
      return st.yellow("outcome unknown") + code;
  }
}

/** For a shell that stays PID 1: the same simple command with `exec` in front. */
function suggestedLine(f: Finding, page: Page): string | null {
  if (f.ruleId !== "shell-stays-pid1") return null;
  const raw = page.line(f.file, f.line)?.replace(/\r$/, "");
  const line = raw === undefined || raw === null ? null : shown(raw);
  if (!line) return null;
  const t = line.trim();
  if (!t || /^(exec|if|then|else|elif|while|until|for|case|do)\b/.test(t) || /[;&|(){}`]|\bthen\b|\bfi\b|\bdone\b/.test(t)) return null;
  return line.slice(0, line.length - line.trimStart().length) + "exec " + t;
}

/** The report being written: the options resolved once, and the lines so far. Every section below appends to it. */
class Page {
  readonly out: string[] = [];
  readonly width: number;
  readonly st: Styles;
  readonly read: (file: string) => string | null;
  /** The files' lines, for code frames: each file indexed once. */
  readonly sources: SourceLines;
  /** What the stop is called on this platform. */
  readonly stopName: string;
  constructor(options: TtyOptions) {
    this.width = Math.max(40, options.width ?? 80);
    this.st = styles(options.color);
    this.read = options.readSource ?? (() => null);
    this.sources = new SourceLines(this.read);
    this.stopName = options.platform === "k8s" ? "pod stop (kubelet)" : options.platform === "compose" ? "docker compose stop" : "docker stop";
  }
  push(...lines: string[]): void {
    append(this.out, lines);
  }
  /** Appends many lines (a spread into push would overflow the stack past ~100,000). */
  pushAll(lines: readonly string[]): void {
    append(this.out, lines);
  }
  wrapped(text: string, indent: string, first = indent): void {
    this.pushAll(wrap(text, this.width, indent, first));
  }
  /** Line n (from 1) of a file, null when there is no such line or no file. */
  line(file: string, n: number): string | null {
    return this.sources.line(file, n);
  }
  heading(s: string): void {
    this.push("", this.st.bold(s));
  }
}

export function formatTty(raw: Report, options: TtyOptions): string {
  // Nothing from the input reaches the terminal raw: its control characters are written out (visible.ts).
  const report = visibleDeep(raw);
  const page = new Page(options);
  for (const r of report.results) {
    titleSection(page, r);
    if (!options.quiet) {
      baseImageSection(page, r);
      commandSection(page, r);
      if (r.processTree) processSection(page, r, r.processTree);
      scenariosSection(page, r);
      notesSection(page, r);
    }
    findingsSection(page, r);
    page.push("");
  }
  problemsSection(page, report);
  if (report.config) page.push(page.st.dim(`config: ${report.config}`));
  return page.out.map((l) => fit(l.trimEnd(), page.width)).join("\n");
}

// ---------------------------------------------------------------- the sections, in the order they appear

function titleSection(page: Page, r: Result): void {
  const { width, st } = page;
  // A deployment heads the result with what runs: the Compose service, or the workload and its container.
  const d = r.deployment;
  const who = !d || d.kind === "docker-run" ? "" : d.kind === "compose" ? `service ${d.service ?? "?"} (${d.file}) · ` : `${d.workload ?? "?"}/${d.container ?? "?"} (${d.file}) · `;
  const title = ` ${who}${r.file}${r.stage ? ` · stage ${r.stage.name ?? r.stage.index}` : ""}${d?.kind === "docker-run" ? " · docker run flags" : ""} `;
  page.push(fit(st.bold(`━━${title}${"━".repeat(Math.max(2, width - 2 - [...title].length))}`), width));
}

function baseImageSection(page: Page, r: Result): void {
  if (!r.baseImage) return;
  const sh = r.baseImage.binSh === "none" ? "no /bin/sh" : r.baseImage.binSh === "unknown" ? "/bin/sh unknown" : `/bin/sh is ${r.baseImage.binSh}`;
  const kind = r.baseImage.kind === "catalog" ? "known image" : r.baseImage.kind === "user-config" ? "from --base-config" : r.baseImage.kind === "stage" ? `stage of this file` : r.baseImage.kind;
  page.wrapped(`FROM ${r.baseImage.ref} (${kind}, ${sh})`, "    ", "  ");
}

/** The command, its ENTRYPOINT and CMD parts with where each came from, STOPSIGNAL, and a container that does not run. */
function commandSection(page: Page, r: Result): void {
  const { width, st } = page;
  page.heading("Command");
  const c = r.command;
  if (c.argv) page.pushAll(wrap(shellQuote(c.argv), width, "      ", `  ${st.dim("$")} `));
  else if (r.lifecycle.state === "unknown") page.push(`  ${st.yellow("unknown command")}: no ENTRYPOINT or CMD here; the base image's are not known`);
  else page.push(`  ${st.red("no command")}: neither ENTRYPOINT nor CMD is set`);
  const parts: [string, CommandPartInfo & { reset?: boolean; ignored?: boolean }][] = [];
  if (c.entrypoint) parts.push(["ENTRYPOINT", c.entrypoint]);
  if (c.cmd) parts.push(["CMD", c.cmd]);
  parts.forEach(([kw, p], i) => {
    const branch = i === parts.length - 1 ? "└─" : "├─";
    const flags = [
      p.form === "exec" ? "exec form" : "shell form",
      whereText(p),
      p.jsonFallback ? "invalid JSON → shell form" : "",
      p.reset ? "reset by ENTRYPOINT: not run" : "",
      p.ignored ? "ignored by the shell-form ENTRYPOINT" : "",
    ].filter(Boolean).join(" · ");
    const left = `  ${branch} ${kw} ${partText(p)}`;
    if (visible(left) + 2 + flags.length <= width) page.push(left + " ".repeat(width - visible(left) - flags.length) + st.dim(flags));
    else {
      page.pushAll(wrap(`${kw} ${partText(p)}`, width, "       ", `  ${branch} `));
      page.pushAll(wrap(flags, width, "       ").map(st.dim));
    }
  });
  if (r.stopSignal) {
    const from = r.stopSignalFrom ? whereText(r.stopSignalFrom) : "";
    page.pushAll(wrap(`STOPSIGNAL ${r.stopSignal}${from ? ` (${from || "Docker's default"})` : " (Docker's default)"}`, width, "    ", "  "));
  }
  if (r.lifecycle.state !== "runs") {
    const s = r.lifecycle.state === "fails" ? st.red("cannot start") : r.lifecycle.state === "exits" ? st.yellow("exits by itself") : st.yellow("unknown");
    page.pushAll(wrap(`${r.lifecycle.reason}`, width, "    ", `  ${s}: `));
  }
}

/** The process tree, the stop timeline and the reload signals (of the headline scenario, with its preconditions). */
function processSection(page: Page, r: Result, root: ProcessNode): void {
  const { width, st } = page;
  const several = r.scenarios.length > 1;
  page.heading(`Process tree${several ? ` (scenario 1 of ${r.scenarios.length})` : ""}`);
  if (several) {
    const why = r.headline ? `: ${r.headline.reason}` : "";
    page.pushAll(wrap(`${r.scenarios[0]!.condition}${why}`, width, "    ", `  ${st.magenta("▸")} `).map((l, i) => (i === 0 ? l : st.dim(l))));
  }
  const lines: string[] = [];
  treeLines(page, r, root, "  ", "  ", lines);
  page.pushAll(lines);
  if (r.zombiesReaped === false) page.wrapped("PID 1 never reaps orphans: exited grandchildren stay zombies", "    ", `  ${st.yellow("!")} `);
  const pre = r.headline?.preconditions ?? [];
  if (pre.length) {
    page.push(`  ${st.bold("Preconditions")} ${st.dim("(otherwise the container ends before the service starts)")}`);
    for (const x of pre.slice(0, MAX_PRECONDITIONS)) page.pushAll(wrap(x.text, width, "      ", `    ${st.red("✗")} `));
    if (pre.length > MAX_PRECONDITIONS) page.push(st.dim(`    … and ${pre.length - MAX_PRECONDITIONS} more (--format json lists them all)`));
  }
  page.heading("Stop");
  page.pushAll(timelineLines(page, r.stop, "  ", r.deployment));
  if (r.reloads.length) {
    page.heading("Reload signals (docker kill -s …)");
    for (const w of r.reloads) page.pushAll(wrap(w.summary, width, "    ", "  • "));
  }
}

/** Scenarios listed after the headline, preconditions under it, and full trees among them, before "… and N more". */
const MAX_SCENARIOS = 5;
const MAX_PRECONDITIONS = 4;
const MAX_TREES = 2;
/** Lines of a scenario's condition in the list (the JSON report has it whole). */
const MAX_CONDITION_LINES = 4;

/**
 * The other scenarios (the first is the one shown above), numbered as findings name them: each one's
 * condition and outcome in a line; the process tree and the stop of the first few; a precondition in one line.
 */
function scenariosSection(page: Page, r: Result): void {
  const { width, st } = page;
  if (r.scenarios.length <= 1) return;
  page.heading(`Scenarios: ${r.scenarios.length} runs, depending on run-time conditions`);
  const pre = new Map((r.headline?.preconditions ?? []).map((x) => [x.scenario, x] as const));
  const pad = "       ";
  const item = (i: number, text: string) => {
    const lines = wrap(text, width, pad, `  ${st.magenta("▸")} ${String(i + 1).padStart(2)}. `);
    if (lines.length <= MAX_CONDITION_LINES) return void page.pushAll(lines);
    page.pushAll(lines.slice(0, MAX_CONDITION_LINES - 1));
    page.push(fit(lines[MAX_CONDITION_LINES - 1]! + " …", width));
  };
  let trees = 0;
  r.scenarios.slice(0, MAX_SCENARIOS + 1).forEach((s: Scenario, i) => {
    if (i === 0) return item(i, `${s.condition} (shown above)`);
    const early = pre.get(i);
    if (early) return item(i, `${early.text} (a precondition above)`);
    item(i, s.condition);
    if (s.processTree && trees < MAX_TREES) {
      trees++;
      const lines: string[] = [];
      treeLines(page, r, s.processTree, pad, pad, lines);
      page.pushAll(lines);
      page.pushAll(timelineLines(page, s.stop, "     ").slice(1));
      return;
    }
    const pid1 = s.processTree ? `PID 1 ${bare(s.processTree.argv[0] ?? "?")} (${s.processTree.role})` : s.lifecycle.reason;
    page.pushAll(wrap(`${pid1} ⇒ ${outcomeText(s.stop, st)}`, width, pad + "  ", pad));
  });
  const more = r.scenarios.length - 1 - MAX_SCENARIOS;
  if (more > 0) page.push(st.dim(`  … and ${more} more scenario${more === 1 ? "" : "s"} (--format json lists them all)`));
}

function notesSection(page: Page, r: Result): void {
  const { width, st } = page;
  if (!r.notes.length && !r.truncated) return;
  page.heading("Notes");
  for (const n of r.notes) page.pushAll(wrap(n, width, "    ", "  - ").map(st.dim));
  if (r.truncated) page.pushAll(wrap(`analysis cut short at ${r.truncated.file}:${r.truncated.line}: ${r.truncated.reason}`, width, "    ", "  - ").map(st.dim));
}

/** The findings, errors first, each with its code frame, fix and related places. */
function findingsSection(page: Page, r: Result): void {
  const { width, st, read } = page;
  const sev = { error: 0, warning: 1, info: 2 } as const;
  const fs = [...r.findings].sort((a, b) => sev[a.severity] - sev[b.severity] || (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  const counts = (["error", "warning", "info"] as const).map((s) => [s, fs.filter((f) => f.severity === s).length] as const).filter(([, n]) => n);
  page.heading(`Findings${counts.length ? ": " + counts.map(([s, n]) => `${n} ${s}${n > 1 ? (s === "info" ? "" : "s") : ""}`).join(", ") : ""}${r.suppressed ? st.dim(` (${r.suppressed} suppressed)`) : ""}`);
  if (!fs.length) page.push(`  ${st.green("✓")} none`);
  let group = "";
  let n = 0;
  for (const f of fs) {
    if (f.severity !== group) {
      group = f.severity;
      const label = f.severity === "error" ? st.red("✖ errors") : f.severity === "warning" ? st.yellow("▲ warnings") : st.cyan("● info");
      page.push(`  ${label}`);
    }
    const loc = `${f.file}:${f.line}`;
    const id = f.severity === "error" ? st.red(f.ruleId) : f.severity === "warning" ? st.yellow(f.ruleId) : st.cyan(f.ruleId);
    const gap = width - 4 - visible(f.ruleId) - loc.length;
    if (n++ > 0) page.push("");
    if (gap >= 2) page.push(`    ${st.bold(id)}${" ".repeat(gap)}${loc}`);
    else page.push(`    ${st.bold(id)}`, ...wrap(loc, width, "      ", "    at "));
    page.wrapped(f.message, "      ");
    codeFrame(page, f, "      ");
    if (f.fix) page.wrapped(f.fix.description, "           ", `      ${st.green("fix:")} `);
    const write = f.fix?.replacement ?? suggestedLine(f, page);
    if (write) page.push(fit(`      ${st.green("write:")} ${write.trim()}`, width));
    for (const x of f.related ?? []) page.pushAll(wrap(`${x.file}:${x.line} ${x.message}`, width, "           ", "      see: ").map(st.dim));
  }
}

/** After all the Dockerfiles: the problems (inputs not audited) and, for several Dockerfiles, the totals. */
function problemsSection(page: Page, report: Report): void {
  const { width, st } = page;
  if (report.errors.length) {
    page.push(st.bold(st.red("Problems")));
    for (const e of report.errors) page.pushAll(wrap(e.message, width, "    ", `  ${e.file}${e.line ? `:${e.line}` : ""}: `));
    page.push("");
  }
  if (report.results.length === 0 && report.errors.length === 0) page.push("No Dockerfile was audited.", "");
  if (report.results.length > 1) {
    const all = report.results.flatMap((r) => r.findings);
    const n = (s: string) => all.filter((f) => f.severity === s).length;
    const what = report.results.some((r) => r.deployment && r.deployment.kind !== "docker-run") ? "results" : "Dockerfiles";
    page.push(st.bold(`${report.results.length} ${what}: ${n("error")} errors, ${n("warning")} warnings, ${n("info")} info`), "");
  }
}

// ---------------------------------------------------------------- pieces of the sections

/** A process and its children as an indented tree, appended to `lines`. */
function treeLines(page: Page, r: Result, n: ProcessNode, prefix: string, childPrefix: string, lines: string[]): void {
  const { width, st } = page;
  const srcText = (f: string, line: number) => (f === "<command line>" ? "docker run" : `${f === r.file ? bare(f) : f}:${line}`);
  const meta = [n.role + (n.background ? ", background &" : ""), n.source ? srcText(n.source.file, n.source.line) : ""].filter(Boolean).join(" · ");
  const head = `${prefix}${st.bold(String(n.pid))} `;
  const metaS = `  ${st.dim(meta)}`;
  const cmd = shellQuote(n.argv);
  const color = (x: string) => (n.role === "service" ? st.cyan(x) : x);
  const cont = childPrefix + (n.children.length ? "│  " : "   ") + "  ";
  if (visible(head) + [...cmd].length + visible(metaS) <= width) lines.push(head + color(cmd) + metaS);
  else {
    lines.push(fit(head + color(cmd), width));
    lines.push(fit(cont + st.dim(meta), width));
  }
  const sub = (x: string) => append(lines, wrap(x, width, cont).map(st.dim));
  if (n.note) sub(n.note);
  for (const t of n.shell?.traps ?? []) sub(`trap ${t.signal} → ${t.handler} (${t.file}:${t.line})`);
  n.children.forEach((c, i) => {
    const last = i === n.children.length - 1;
    treeLines(page, r, c, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "), lines);
  });
}

/** The stop: the signal, who gets it and what each does, and the outcome. */
function timelineLines(page: Page, stop: StopPrediction, indent: string, d?: Result["deployment"]): string[] {
  const { width, st } = page;
  // Who stops the container: the deployment's own tool when the result is one.
  const stopName = d?.kind === "kubernetes" ? "pod stop (kubelet)" : d?.kind === "compose" ? "docker compose stop" : page.stopName;
  const to = d?.sharedPid ? "the container's first process" : "PID 1";
  const lines: string[] = [];
  const pre = stop.preStop;
  if (pre) {
    const took = pre.seconds === null ? "for a time not known" : `for ${pre.seconds} s`;
    lines.push(...wrap(`preStop ${pre.kind} ${pre.what} runs first, ${took}; the grace period is ${stop.gracePeriod} s in all`, width, indent + "    ", indent));
    lines.push(fit(`${indent}${st.bold("then")} → ${st.bold(stop.signal)} to the container${pre.signalAfter !== null ? ` at ${pre.signalAfter} s` : ""}; SIGKILL ${pre.killAfter !== null ? `at ${pre.killAfter} s` : `${stop.gracePeriod} s after the stop began`}`, width));
  } else lines.push(fit(`${indent}${st.bold(stopName)} → ${st.bold(stop.signal)} to ${to}; SIGKILL after ${stop.gracePeriod} s`, width));
  const whoOf = (d: Delivery) => `PID ${d.pid} ${bare(d.argv0)}`;
  const col = Math.min(20, stop.deliveries.reduce((m, d) => Math.max(m, whoOf(d).length), 0) + 2);
  for (const d of stop.deliveries as Delivery[]) {
    const mark = d.receives ? (d.action === "unknown" ? st.yellow("?") : st.green("✓")) : d.action === "ends" ? st.green("✓") : st.red("✗");
    const who = whoOf(d);
    const action = ACTION[d.action] ?? d.action;
    const text = `${action} (${d.via})`;
    const first = `${indent}  ${mark} ${who.length + 2 <= col ? who.padEnd(col) : who + " "}`;
    append(lines, wrap(text, width, indent + "    " + " ".repeat(col), first));
  }
  lines.push(`${indent}  ⇒ ${outcomeText(stop, st)}`);
  append(lines, wrap(stop.reason, width, indent + "    ").map(st.dim));
  return lines;
}

/** The finding's line with one line of context either side (blank neighbours left out). */
function codeFrame(page: Page, f: Finding, indent: string): void {
  const { width, st } = page;
  const count = page.sources.count(f.file);
  if (count === null) return;
  if (f.line < 1 || f.line > count) return;
  const from = Math.max(1, f.line - 1);
  const to = Math.min(count, f.line + 1);
  const w = String(to).length;
  for (let i = from; i <= to; i++) {
    const src = shown((page.line(f.file, i) ?? "").replace(/\r$/, "").replace(/\t/g, "  "));
    if (i !== f.line && src.trim() === "") continue;
    const mark = i === f.line ? st.red(">") : " ";
    const line = `${indent}${mark} ${String(i).padStart(w)} │ ${i === f.line ? src : st.dim(src)}`;
    page.push(fit(line, width));
  }
}
