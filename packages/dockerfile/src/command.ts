// ENTRYPOINT, CMD and SHELL forms (exec or shell, and the JSON fallback), and the argv that Docker execs
// from the target stage's final ENTRYPOINT and CMD.
import type { Instruction } from "./parse.js";
import type { Diag, StageState } from "./state.js";
import type { CommandPart, Effect, Located, Origin, PathResolution, ResolvedCommand } from "./types.js";

type JsonResult = { kind: "ok"; value: string[] } | { kind: "not-json"; error: string } | { kind: "not-strings"; error: string };

/** Docker's parseMaybeJSON: exec form iff the text starts with `[` and parses as a JSON array of strings. */
export function parseJsonArray(text: string): JsonResult {
  const t = text.replace(/^\s+/, "");
  if (!t.startsWith("[")) return { kind: "not-json", error: "does not start with [" };
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (e) {
    return { kind: "not-json", error: (e as Error).message };
  }
  if (!Array.isArray(v)) return { kind: "not-json", error: "not a JSON array" };
  if (!v.every((x) => typeof x === "string")) return { kind: "not-strings", error: "the JSON array holds a value that is not a string" };
  return { kind: "ok", value: v as string[] };
}

const SHELL_NAMES = /^(sh|bash|dash|ash|zsh|mksh|ksh|busybox)$/;

/**
 * The index of the command string in an argv that runs a shell with -c (`["sh", "-c", "exec java
 * $JAVA_OPTS -jar app.jar"]`, also after `env` and as `busybox sh -c`): the shell expands the variables in
 * it, so a `$` there is not literal. -1 when there is none (the string may come from CMD: then it is
 * argv.length, one past the end).
 */
export function shellScriptIndex(argv: readonly string[]): number {
  let i = 0;
  const base = (w: string | undefined) => (w ?? "").replace(/^.*\//, "");
  if (base(argv[0]) === "env") {
    i = 1;
    while (i < argv.length && (/^-/.test(argv[i]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!))) i++;
  }
  if (!SHELL_NAMES.test(base(argv[i]))) return -1;
  if (base(argv[i]) === "busybox") {
    i++;
    if (!/^(sh|ash|bash)$/.test(argv[i] ?? "")) return -1;
  }
  let c = false;
  for (let k = i + 1; k < argv.length; k++) {
    const w = argv[k]!;
    if (w === "--") return c ? k + 1 : -1;
    if (/^[-+]o$/.test(w)) { k++; continue; }
    if (/^[-+][A-Za-z]+$/.test(w)) {
      if (w.startsWith("-") && w.includes("c")) c = true;
      continue;
    }
    return c ? k : -1;
  }
  return c ? argv.length : -1;
}

/**
 * Whether text that starts with `[` is a shell command led by the `[` test builtin, as the author meant it
 * (`CMD [ -f /etc/app.conf ] && exec app`), rather than a broken JSON array: `[` is a word of its own
 * (blank after it), its closing `]` is a word of its own, no comma separates items before it (JSON arrays
 * separate theirs by commas), and a shell operator joins it to a further command. `['a']`, `["a",]` and
 * `[ 'a' ]` alone stay broken JSON.
 */
export function isTestCommand(text: string): boolean {
  if (!/^\[[ \t]/.test(text)) return false;
  let quote: string | null = null;
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"') i++;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "\\") i++;
    else if (c === "," || c === "\n") return false;
    else if (c === "]" && /[ \t]/.test(text[i - 1]!)) {
      const rest = text.slice(i + 1);
      if (!/^(?:$|[ \t;&|])/.test(rest)) continue;
      return /^[ \t]*(?:&&|\|\||;|\|)[ \t]*\S/.test(rest);
    }
  }
  return false;
}

export function commandPart(
  keyword: "ENTRYPOINT" | "CMD", ins: Instruction, shell: Located<string[]>, origin: Origin,
  diag: Diag, effects: Effect[],
): CommandPart | null {
  const text = ins.args;
  const json = parseJsonArray(text);
  if (json.kind === "not-strings") {
    diag("error", "json-not-strings", `${keyword}: ${json.error}; Docker refuses to build this`, ins.line);
    return null;
  }
  if (json.kind === "ok") {
    const script = shellScriptIndex(json.value);
    json.value.forEach((w, k) => {
      if (k !== script && /\$(\{|[A-Za-z_@*#?0-9])/.test(w)) effects.push({ kind: "literal-dollar", keyword, line: ins.line, word: w });
    });
    return { keyword, form: "exec", words: json.value, text: null, shell: null, jsonFallback: null, origin };
  }
  if (text === "") {
    diag("warning", "empty-command", `${keyword} has no arguments`, ins.line);
  }
  const lead = text.replace(/^\s+/, "");
  const fallback = lead.startsWith("[") && !isTestCommand(lead) ? { error: json.error } : null;
  if (fallback) effects.push({ kind: "json-fallback", keyword, line: ins.line, error: fallback.error, text });
  return { keyword, form: "shell", words: [...shell.value, text], text, shell, jsonFallback: fallback, origin };
}

export function resolveCommand(
  st: StageState, effects: Effect[], diag: Diag, resolveShell?: (path: string) => PathResolution,
): ResolvedCommand {
  const { entrypoint, cmd } = st.config;
  const reset = effects.find((e) => e.kind === "inherited-cmd-reset" && e.entrypointLine === st.entrypointLines.at(-1));
  const epWords = entrypoint?.words ?? [];
  const cmdWords = cmd?.words ?? [];
  const argv = [...epWords, ...cmdWords];
  // ENTRYPOINT ["sh", "-c"] with the command string in CMD: the shell expands the CMD's first word.
  if (entrypoint?.form === "exec" && cmd?.form === "exec" && shellScriptIndex(epWords) === epWords.length && cmdWords.length) {
    const line = originLine(cmd.origin);
    const k = effects.findIndex((e) => e.kind === "literal-dollar" && e.keyword === "CMD" && e.line === line && e.word === cmdWords[0]);
    if (k >= 0) effects.splice(k, 1);
  }
  const cmdIgnored = entrypoint?.form === "shell" && cmdWords.length > 0;
  if (cmdIgnored) effects.push({ kind: "cmd-ignored", entrypointLine: originLine(entrypoint!.origin), cmd: cmd! });
  for (const part of [entrypoint, cmd]) {
    const shell = part?.form === "shell" ? part.shell?.value[0] : undefined;
    if (!part || !shell || st.stage.base.binSh !== "none" || st.hasRun) continue;
    // The shell may be there all the same: the base image's own (distroless :debug's /busybox/sh under
    // SHELL ["/busybox/sh", "-c"]), or one a COPY puts there (`COPY --from=busybox /bin/busybox /bin/sh`).
    const r = resolveShell?.(shell) ?? null;
    if (r && (r.kind === "context" || (r.kind === "base-image" && r.certain) || (r.kind === "unknown" && !r.maybe))) continue;
    const unsure = r && r.kind !== "not-found" ? (r.kind === "unknown" ? r.reason : "the base image may have it") : null;
    effects.push({ kind: "shell-form-without-shell", keyword: part.keyword, line: originLine(part.origin) ?? st.stage.line, shell, unsure });
  }
  let root: StageState = st;
  while (root.parent) root = root.parent;
  const unknownBase = root.stage.base.kind === "unknown" ? root.stage.base.ref : null;
  if (argv.length === 0 && unknownBase !== null) {
    // The base image may well set them (most do): what runs is not known, which is not an error.
    effects.push({ kind: "command-unknown", line: st.stage.line, image: unknownBase });
  } else if (argv.length === 0) {
    effects.push({ kind: "no-command", line: st.stage.line });
    diag("error", "no-command", "no command: neither ENTRYPOINT nor CMD is set for this stage (docker run fails with \"no command specified\")", st.stage.line);
  }
  return {
    argv: argv.length ? argv : null,
    path: argv[0] ?? null,
    args: argv.slice(1),
    entrypoint,
    cmd,
    cmdIgnored,
    resetCmd: reset && reset.kind === "inherited-cmd-reset" ? reset.cmd : null,
    unknownBase,
  };
}

export function originLine(o: Origin): number | null {
  return o.kind === "instruction" || o.kind === "stage" ? o.line : null;
}

