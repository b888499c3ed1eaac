// Inline suppression, applied to the findings after analyze():
//   # audit-image ignore=RULE[,RULE] [reason]     the next instruction (Dockerfile) or command (script)
//   # audit-image global ignore=RULE[,RULE]       the whole file
//   # hadolint ignore=DL3025 / # hadolint global ignore=DL3025   the rules that carry that alias
// Unknown rule ids in audit-image pragmas become "unknown-rule" warnings; hadolint pragmas name many
// hadolint checks we do not have, so unknown ones are left alone.
import { append } from "./append.js";
import { formatMessage, type Finding } from "@audit-image/analyzer";
import { EXTRA_RULES } from "./rules-meta.js";

export interface RuleIndex {
  ids: ReadonlySet<string>;
  /** alias (hadolint, BuildKit check name) → rule ids */
  aliases: ReadonlyMap<string, string[]>;
}

export interface FilePragmas {
  /** Rule ids suppressed in the whole file. */
  global: Set<string>;
  /** line → rule ids suppressed at that line. */
  lines: Map<number, Set<string>>;
  unknown: Finding[];
}

const PRAGMA = /^\s*#\s*(audit-image|hadolint)\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_.\-]+(?:\s*,\s*[A-Za-z0-9_.\-]+)*)(.*)$/;

export function parsePragmas(text: string, file: string, rules: RuleIndex): FilePragmas {
  const out: FilePragmas = { global: new Set(), lines: new Map(), unknown: [] };
  if (!text.includes("ignore")) return out;
  const lines = text.split("\n");
  let pending: Set<string> | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, "");
    if (/^\s*#/.test(raw)) {
      const m = PRAGMA.exec(raw);
      if (!m) continue;
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

/** Drop the findings that pragmas suppress; add "unknown-rule" warnings for pragmas that name no rule. */
export function applyPragmas(
  findings: Finding[],
  readText: (file: string) => string | null,
  rules: RuleIndex,
  alwaysScan: string[] = [],
): { findings: Finding[]; suppressed: number } {
  const cache = new Map<string, FilePragmas>();
  const pragmasOf = (file: string) => {
    let p = cache.get(file);
    if (!p) {
      const text = readText(file);
      p = text === null ? { global: new Set(), lines: new Map(), unknown: [] } : parsePragmas(text, file, rules);
      cache.set(file, p);
    }
    return p;
  };
  for (const f of alwaysScan) pragmasOf(f);
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
