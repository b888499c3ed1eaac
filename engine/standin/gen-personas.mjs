#!/usr/bin/env node
// engine/standin/gen-personas.mjs [out.h]
//
// Generates the stand-in's table of programs (personas.h, included by standin.c) from the analyzer's
// program catalog, packages/analyzer/src/data/programs.json, so that the stand-in services on the engine
// react to signals exactly as the catalog says the real programs do, and the two cannot drift apart:
//
//   names        the entry's `match` (argv[0] basenames)
//   handlers     one per signal in `signals`; it stops the program when the action is graceful-stop or
//                fast-stop (or `signalDetails.stops` says so), and only logs otherwise (reload, reopen-logs,
//                ignore, other, ...). The log line names `signalDetails.label`, else the action; a stop exits
//                with `signalDetails.exitCode` (default 0). A stop that `atPid1` turns into "ignore" (node)
//                is a one-shot handler that re-raises the signal with the default action: fatal normally,
//                dropped by the kernel at PID 1. "ignore" gets a logging handler too: the program goes on,
//                as with the SIG_IGN the real one may use (only /proc's SigCgt/SigIgn tell them apart).
//   daemonizing  `daemonizes.byDefault`, kept in the foreground by `foregroundFlags` (one word) or
//                `foregroundArgs` (word sequences, compared as the analyzer compares them)
//
// What is only the stand-in's business stays here, small: which entries it plays (PLAYED), which of them
// reap (REAPS, see there) and the generic "app" it falls back to.
//
// Without an argument the header goes to stdout; with one it is written there, only when its content
// changed (so that make-style mtime checks in engine/base-images.sh work).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CATALOG = path.join(HERE, "../../packages/analyzer/src/data/programs.json");

/**
 * Catalog entries the stand-in plays besides every role "service" entry: supervisord (standin.c starts
 * the [program:x] commands of its config) and rabbitmq-server (really a shell script that forwards to the
 * Erlang VM; the stand-in is one process that reacts as the script does).
 */
export const PLAYED = new Set(["supervisord", "rabbitmq-server"]);

/**
 * Master-process servers whose master waitpid()s for any child, so they also reap orphans re-parented to
 * them. The catalog leaves their `reapsZombies` null (not verified for arbitrary orphans, docs/programs.md),
 * and setting it would change the analyzer's zombiesReaped prediction of the fixtures that run them; until
 * it is verified the stand-in keeps reaping for these. Entries whose `reapsZombies` is true reap too.
 */
export const REAPS = new Set(["nginx", "php-fpm", "postgres", "httpd", "httpd-foreground", "apache2-foreground", "gunicorn", "uwsgi", "puma", "sshd"]);

/** The generic service the stand-in acts as for a name it does not know: no handlers, no reaping. */
export const FALLBACK = "app";

const STOP_ACTIONS = new Set(["graceful-stop", "fast-stop"]);
// signal(7) on x86-64 Linux, less KILL and STOP (which cannot be caught)
const LINUX_SIGNALS = new Set(["SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"]);

/** @typedef {{ sig: string, kind: "K_LOG" | "K_STOP" | "K_RERAISE", action: string, code: number }} Rule */
/** @typedef {{ program: string, names: string[], reaps: boolean, rules: Rule[], daemonizes: boolean, fgFlags: string[], fgSeqs: string[][], bgFlags: string[] }} Persona */

/** The personas, in catalog order, the fallback last. */
export function personaTable(catalog = JSON.parse(fs.readFileSync(CATALOG, "utf8"))) {
  /** @type {Persona[]} */
  const out = [];
  const seen = new Map();
  for (const p of catalog.programs) {
    if (p.match.length === 0 || !(p.role === "service" || PLAYED.has(p.name))) continue;
    for (const sig of Object.keys(p.signals))
      if (!LINUX_SIGNALS.has(sig)) throw new Error(`programs.json: ${p.name}: ${sig} is not a Linux signal the stand-in can handle`);
    const rules = Object.entries(p.signals).map(([sig, action]) => {
      const d = p.signalDetails?.[sig] ?? {};
      const stops = d.stops ?? STOP_ACTIONS.has(action);
      const kind = !stops ? "K_LOG" : p.atPid1?.[sig] === "ignore" ? "K_RERAISE" : "K_STOP";
      return { sig, kind, action: d.label ?? action, code: stops && kind === "K_STOP" ? (d.exitCode ?? 0) : 0 };
    });
    for (const sig of Object.keys(p.signalDetails ?? {}))
      if (!(sig in p.signals)) throw new Error(`programs.json: ${p.name}: signalDetails.${sig} without signals.${sig}`);
    const d = p.daemonizes?.byDefault ? p.daemonizes : null;
    for (const n of p.match) {
      if (seen.has(n)) throw new Error(`programs.json: ${n} matches both ${seen.get(n)} and ${p.name}`);
      seen.set(n, p.name);
    }
    out.push({
      program: p.name,
      names: [...p.match],
      reaps: p.reapsZombies === true || REAPS.has(p.name),
      rules,
      daemonizes: d !== null,
      fgFlags: d ? [...d.foregroundFlags] : [],
      fgSeqs: d ? d.foregroundArgs.map((s) => [...s]) : [],
      // the command line wins over the config: `php-fpm -D` daemonizes on an image whose config says no
      bgFlags: d ? [...(p.config?.backgroundFlags ?? [])] : [],
    });
  }
  for (const n of REAPS) if (!out.some((p) => p.program === n)) throw new Error(`REAPS names ${n}, which the stand-in does not play`);
  if (seen.has(FALLBACK)) throw new Error(`programs.json: ${FALLBACK} is the stand-in's fallback name`);
  out.push({ program: FALLBACK, names: [FALLBACK], reaps: false, rules: [], daemonizes: false, fgFlags: [], fgSeqs: [], bgFlags: [] });
  return out;
}

const c = (s) => JSON.stringify(s); // a C string literal (the catalog's words are plain ASCII)
const list = (xs) => `(const char *const[]){${[...xs.map(c), "NULL"].join(", ")}}`;

/** personas.h for standin.c (see the struct definitions there). */
export function renderHeader(table = personaTable()) {
  const L = [
    "/* Generated by engine/standin/gen-personas.mjs from packages/analyzer/src/data/programs.json.",
    " * Do not edit: change the catalog (or the generator) instead. */",
    `#define MAXRULES ${Math.max(...table.map((p) => p.rules.length)) + 1}`,
    "static const struct persona personas[] = {",
  ];
  for (const p of table) {
    L.push(`  {${c(p.program)}, ${list(p.names)}, ${p.reaps ? 1 : 0},`);
    const rules = p.rules.map((r) => `{${r.sig}, ${r.kind}, ${c(r.action)}, ${r.code}}`);
    L.push(`   (const struct rule[]){${[...rules, "{0, K_LOG, NULL, 0}"].join(", ")}},`);
    L.push(`   ${p.daemonizes ? 1 : 0}, ${list(p.fgFlags)},`);
    L.push(`   (const char *const *const[]){${[...p.fgSeqs.map(list), "NULL"].join(", ")}}, ${list(p.bgFlags)}},`);
  }
  L.push("};", `#define FALLBACK_PERSONA (&personas[${table.length - 1}]) /* ${c(FALLBACK)} */`, "");
  return L.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const text = renderHeader();
  const out = process.argv[2];
  if (!out) process.stdout.write(text);
  else if (!fs.existsSync(out) || fs.readFileSync(out, "utf8") !== text) {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out + ".tmp", text);
    fs.renameSync(out + ".tmp", out);
  }
}
