// Inline suppression, applied to the findings after analyze():
//   # audit-image ignore=RULE[,RULE] [reason]     the next instruction (Dockerfile) or command (script)
//   # audit-image global ignore=RULE[,RULE]       the whole file
//   # hadolint ignore=DL3025 / # hadolint global ignore=DL3025   the rules that carry that alias
//   # check=skip=JSONArgsRecommended / # check=skip=all           BuildKit's parser directive, in the Dockerfile:
//                                                 the rules that carry that BuildKit check name (all: any)
// Unknown rule ids in audit-image pragmas become "unknown-rule" warnings; hadolint pragmas name many
// hadolint checks we do not have, so unknown ones are left alone.
import { append } from "./append.js";
import { formatMessage, type Finding } from "@audit-image/analyzer";
import { EXTRA_RULES } from "./rules-meta.js";

export interface RuleIndex {
  ids: ReadonlySet<string>;
  /** alias (hadolint, BuildKit check name) → rule ids */
  aliases: ReadonlyMap<string, string[]>;
  /** the rule ids that carry a BuildKit check name (what `# check=skip=all` skips) */
  buildkit?: ReadonlySet<string>;
}

/** Which tool an alias of a rule comes from: hadolint's DLnnnn, ShellCheck's SCnnnn, or a BuildKit check name. */
export function aliasTool(alias: string): "hadolint" | "shellcheck" | "buildkit" {
  return /^DL\d+$/.test(alias) ? "hadolint" : /^SC\d+$/.test(alias) ? "shellcheck" : "buildkit";
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;

/**
 * The rules a BuildKit `check` value skips: `skip=A,B` (BuildKit check names, case-sensitive) or `skip=all`
 * (every rule that carries a BuildKit check name: audit-image's own rules without one are not BuildKit
 * checks and stay), options joined by `;` (at most three), as linter.ParseLintOptions reads them. BuildKit
 * takes the value up to its first space (directives.go detectDirectiveFromParser: strings.Cut(value, " ")),
 * so `skip=A, B` skips A only.
 */
export function checkSkips(value: string, rules: RuleIndex): Set<string> {
  const ids = new Set<string>();
  for (const part of value.split(" ")[0]!.split(";").slice(0, 3)) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== "skip") continue;
    const v = part.slice(eq + 1).trim();
    if (v === "all") for (const id of rules.buildkit ?? []) ids.add(id);
    else for (const name of v.split(",").map((x) => x.trim())) if (aliasTool(name) === "buildkit") for (const id of rules.aliases.get(name) ?? []) ids.add(id);
  }
  return ids;
}

/**
 * The rules a Dockerfile's BuildKit `check` parser directive skips in the whole file (`# check=skip=…`), or
 * null. As BuildKit reads it (moby/buildkit frontend/dockerfile/parser/directives.go): after a BOM and a
 * `#!` line, directives are the lines at the very top that are `# key=value` with a known key (syntax,
 * escape, check; keys in any case); the first other line (a blank line, another comment, an instruction)
 * ends them; the first `check` counts.
 */
export function checkDirectiveSkips(text: string, rules: RuleIndex): { ids: Set<string>; line: number } | null {
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  for (let i = lines[0]?.startsWith("#!") ? 1 : 0; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!.replace(/\r$/, ""));
    if (!m) return null;
    const key = m[1]!.toLowerCase();
    if (key !== "syntax" && key !== "escape" && key !== "check") return null;
    if (key === "check") return { ids: checkSkips(m[2]!, rules), line: i + 1 };
  }
  return null;
}

export interface FilePragmas {
  /** Rule ids suppressed in the whole file. */
  global: Set<string>;
  /** line → rule ids suppressed at that line. */
  lines: Map<number, Set<string>>;
  unknown: Finding[];
}

const PRAGMA = /^\s*#\s*(audit-image|hadolint)\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_.\-]+(?:\s*,\s*[A-Za-z0-9_.\-]+)*)(.*)$/;

/**
 * The pragmas of a file. In a Dockerfile (`dockerfile`), a `# check=skip=…` comment on the line(s) before an
 * instruction also skips those BuildKit checks at that instruction, as BuildKit does since 2025-11
 * (moby/buildkit a248d48d0 "dockerfile: add syntax to skip a check": linter.WithMergedConfigFromComments on
 * the instruction's comments).
 */
export function parsePragmas(text: string, file: string, rules: RuleIndex, dockerfile = false): FilePragmas {
  const out: FilePragmas = { global: new Set(), lines: new Map(), unknown: [] };
  if (!text.includes("ignore") && !(dockerfile && /check/i.test(text))) return out;
  const lines = text.split("\n");
  let pending: Set<string> | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, "");
    if (/^\s*#/.test(raw)) {
      const m = PRAGMA.exec(raw);
      if (!m) {
        const d = dockerfile ? DIRECTIVE.exec(raw.trim()) : null;
        if (d && d[1]!.toLowerCase() === "check") {
          pending ??= new Set();
          for (const id of checkSkips(d[2]!, rules)) pending.add(id);
        }
        continue;
      }
      const tool = m[1]!;
      const ids = new Set<string>();
      // "ignore=a, b reason": ids are comma-separated; what follows is the reason.
      const list = m[3]!.split(/\s*,\s*/).map((x) => x.trim()).filter(Boolean);
      for (const name of list) {
        if (tool === "audit-image" && rules.ids.has(name)) ids.add(name);
        else if (rules.aliases.has(name)) for (const id of rules.aliases.get(name)!) ids.add(id);
        else if (tool === "audit-image" && name !== "unknown-rule")
          out.unknown.push({
            ruleId: "unknown-rule", severity: "warning", file, line: i + 1, column: raw.indexOf(name) + 1,
            messageId: "unknownRule",
            message: formatMessage(EXTRA_RULES[0]!.messages.unknownRule!, { name }),
            fix: { description: "Use a rule id from docs/rules (or a hadolint/BuildKit alias of one), or remove the pragma." },
          });
        else if (name === "unknown-rule") ids.add(name);
      }
      if (m[2]) for (const id of ids) out.global.add(id);
      else {
        pending ??= new Set();
        for (const id of ids) pending.add(id);
      }
      continue;
    }
    if (raw.trim() === "" || !pending) continue;
    // The next instruction or command: this line and its continuation lines.
    let j = i;
    for (;;) {
      add(out.lines, j + 1, pending);
      const l = lines[j]!.replace(/\r$/, "");
      if (!/[\\`]\s*$/.test(l) || j + 1 >= lines.length) break;
      j++;
    }
    pending = null;
  }
  return out;
}

function add(m: Map<number, Set<string>>, line: number, ids: Set<string>) {
  const s = m.get(line) ?? new Set<string>();
  for (const id of ids) s.add(id);
  m.set(line, s);
}

/**
 * Drop the findings that pragmas suppress; add "unknown-rule" warnings for pragmas that name no rule.
 * `buildkitCheck`: the build argument BUILDKIT_DOCKERFILE_CHECK, which takes the place of the Dockerfile's
 * `check` directive when it is given (moby/buildkit frontend/dockerui/config.go keyDockerfileLintArg, and
 * dockerfile2llb/convert.go: the directive is read only without it).
 */
export function applyPragmas(
  findings: Finding[],
  readText: (file: string) => string | null,
  rules: RuleIndex,
  alwaysScan: string[] = [],
  buildkitCheck?: string,
): { findings: Finding[]; suppressed: number } {
  const cache = new Map<string, FilePragmas>();
  const pragmasOf = (file: string) => {
    let p = cache.get(file);
    if (!p) {
      const text = readText(file);
      p = text === null ? { global: new Set(), lines: new Map(), unknown: [] } : parsePragmas(text, file, rules, file === alwaysScan[0]);
      cache.set(file, p);
    }
    return p;
  };
  for (const f of alwaysScan) pragmasOf(f);
  // BuildKit's check directive: in the Dockerfile (the first file of alwaysScan), for the whole file.
  const dockerfile = alwaysScan[0];
  if (dockerfile !== undefined) {
    const text = readText(dockerfile);
    const skips = buildkitCheck !== undefined ? checkSkips(buildkitCheck, rules) : text === null ? null : checkDirectiveSkips(text, rules)?.ids;
    for (const id of skips ?? []) cache.get(dockerfile)!.global.add(id);
  }
  for (const f of findings) pragmasOf(f.file);
  const all = [...findings];
  for (const p of cache.values()) append(all, p.unknown);
  let suppressed = 0;
  const kept = all.filter((f) => {
    const p = cache.get(f.file)!;
    if (p.global.has(f.ruleId) || p.lines.get(f.line)?.has(f.ruleId)) {
      suppressed++;
      return false;
    }
    return true;
  });
  kept.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
  return { findings: kept, suppressed };
}
