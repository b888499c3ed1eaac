// Reads the rule pages in docs/rules/<id>.md and turns their Bad and Good examples into analyzer input,
// so that the pages and the rule tests cannot drift apart (rule-tester.ts runs them). Test support only:
// it lives outside src/, so it is neither compiled into dist nor published.
//
// Conventions of a rule page (checked by registry.test.ts):
//   # <id>: <title>
//   Default severity: <severity> · Aliases: <a>, <b> | none
//   ## What it detects / ## Why it matters / ## Bad / ## Good / ## Suppress
//
// In the Bad and Good sections:
//   - the fenced block whose info string is `Dockerfile` is the Dockerfile (exactly one per section);
//   - a fenced block with `file=<path>` in its info string is a file of the build context, for example
//     ```sh file=entrypoint.sh mode=755
//     `mode=<octal>` sets its mode (default 644), `eol=crlf` stores it with CRLF line endings;
//   - `<!-- context: app.jar bin/server:755 -->` declares opaque placeholder files, for COPY sources whose
//     content does not matter; `:<octal>` sets the mode, and an executable placeholder starts with the ELF
//     magic (a compiled program, not a script without #!);
//   - any other block (console output, for instance) is prose and is ignored.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const DOCS_DIR = fileURLToPath(new URL("../../../../docs/rules/", import.meta.url));

export const SECTIONS = ["What it detects", "Why it matters", "Bad", "Good", "Suppress"] as const;
/**
 * An optional section between Good and Suppress: one `### <trap>` subsection per known false-alarm trap, each
 * with its own Dockerfile (and files), on which the rule must not report an error (registry.test.ts runs them).
 */
export const TRAPS_SECTION = "Not a false alarm";

/** What a rule does on a trap of its page: nothing, or a finding at this (lower than error) severity. */
export type TrapExpectation = "none" | "warning" | "info";

export interface CodeBlock {
  /** The whole info string, e.g. `sh file=entrypoint.sh mode=755`. */
  info: string;
  lang: string;
  attrs: Record<string, string>;
  content: string;
  /** Line of the page (1-based) of the block's first content line. */
  line: number;
  /** The `### ` subsection it is in, if any. */
  sub?: string;
}

export interface ContextFile {
  content: string;
  mode: number;
}

export interface DocExample {
  dockerfile: string;
  files: Record<string, ContextFile>;
  blocks: CodeBlock[];
}

export interface DocPage {
  id: string;
  path: string;
  title: string;
  severity: string;
  aliases: string[];
  /** Section heading → its text, in page order. */
  sections: Map<string, string>;
  bad: DocExample;
  good: DocExample;
  /**
   * The section "Not a false alarm": one example per `### <trap>` subsection, and what the rule does on it:
   * "none" (it reports nothing, the default) or the one lower severity it reports at, from a
   * `<!-- expect: warning -->` (or `info`) comment in the subsection.
   */
  traps: { name: string; expect: TrapExpectation; example: DocExample }[];
}

/** Ids of the rule pages present in docs/rules (every .md file except README.md). */
export function docPageIds(): string[] {
  return readdirSync(DOCS_DIR)
    .filter((f) => f.endsWith(".md") && f !== "README.md")
    .map((f) => f.slice(0, -3))
    .sort();
}

const cache = new Map<string, DocPage>();

export function readDocPage(id: string): DocPage {
  let page = cache.get(id);
  if (!page) {
    const path = DOCS_DIR + id + ".md";
    page = parseDocPage(readFileSync(path, "utf8"), path);
    cache.set(id, page);
  }
  return page;
}

export function parseDocPage(text: string, path = "<page>"): DocPage {
  const lines = text.split("\n");
  const fail = (msg: string, line?: number): never => {
    throw new Error(`${path}${line ? `:${line}` : ""}: ${msg}`);
  };
  const head = /^# ([a-z0-9-]+): (.+)$/.exec(lines[0] ?? "") ?? fail('the first line must be "# <id>: <title>"', 1);
  const metaIndex = lines.findIndex((l) => l.startsWith("Default severity:"));
  if (metaIndex < 0) fail('no "Default severity: … · Aliases: …" line');
  const meta = /^Default severity: `?(\w+)`? · Aliases: (.+)$/.exec(lines[metaIndex]!) ?? fail('the line must read "Default severity: <severity> · Aliases: <ids> | none"', metaIndex + 1);
  const aliasText = meta[2]!.replace(/`/g, "").trim();
  const aliases = aliasText === "none" ? [] : aliasText.split(/,\s*/);

  // Sections and the fenced blocks inside them.
  const sections = new Map<string, string>();
  const blocksBySection = new Map<string, CodeBlock[]>();
  const contextBySection = new Map<string, string[]>();
  const expectBySub = new Map<string, TrapExpectation>();
  let current: string | null = null;
  let sub: string | undefined;
  let body: string[] = [];
  const close = () => {
    if (current !== null) sections.set(current, body.join("\n").trim());
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const fence = /^(```+|~~~+)\s*(.*)$/.exec(l);
    if (fence) {
      const marker = fence[1]!;
      const info = fence[2]!.trim();
      const start = i + 1;
      let end = start;
      while (end < lines.length && !lines[end]!.startsWith(marker)) end++;
      if (end >= lines.length) fail("unclosed code fence", i + 1);
      if (current !== null) {
        body.push(...lines.slice(i, end + 1));
        const [lang = "", ...rest] = info.split(/\s+/);
        const attrs: Record<string, string> = {};
        for (const r of rest) {
          const eq = r.indexOf("=");
          if (eq > 0) attrs[r.slice(0, eq)] = r.slice(eq + 1);
        }
        const content = lines.slice(start, end).join("\n") + "\n";
        (blocksBySection.get(current) ?? blocksBySection.set(current, []).get(current)!).push({ info, lang, attrs, content, line: start + 1, ...(sub ? { sub } : {}) });
      }
      i = end;
      continue;
    }
    const h = /^## (.+)$/.exec(l);
    if (h) {
      close();
      current = h[1]!.trim();
      if (sections.has(current)) fail(`section "${current}" appears twice`, i + 1);
      body = [];
      sub = undefined;
      continue;
    }
    const h3 = /^### (.+)$/.exec(l);
    if (h3) sub = h3[1]!.trim();
    const ctx = /^<!--\s*context:\s*(.*?)\s*-->$/.exec(l);
    if (ctx && current !== null) (contextBySection.get(current) ?? contextBySection.set(current, []).get(current)!).push(...ctx[1]!.split(/\s+/).filter(Boolean).map((x) => (sub ? `${sub}\u0000${x}` : x)));
    const exp = /^<!--\s*expect:\s*(.*?)\s*-->$/.exec(l);
    if (exp && current !== null) {
      if (current !== TRAPS_SECTION || !sub) fail(`an "expect:" comment belongs in a "### <trap>" subsection of "## ${TRAPS_SECTION}"`, i + 1);
      if (!["none", "warning", "info"].includes(exp[1]!)) fail(`"expect: ${exp[1]}": expected none, warning or info`, i + 1);
      if (expectBySub.has(sub!)) fail(`"### ${sub}" has two "expect:" comments`, i + 1);
      expectBySub.set(sub!, exp[1] as TrapExpectation);
    }
    if (current !== null) body.push(l);
  }
  close();

  const example = (name: string, only?: string): DocExample => {
    if (!sections.has(name)) fail(`no "## ${name}" section`);
    const blocks = (blocksBySection.get(name) ?? []).filter((b) => only === undefined || b.sub === only);
    const where = only === undefined ? `"## ${name}"` : `"### ${only}"`;
    const dockerfiles = blocks.filter((b) => b.lang === "Dockerfile" && !("file" in b.attrs));
    if (dockerfiles.length !== 1) fail(`${where} must have exactly one \`\`\`Dockerfile block (found ${dockerfiles.length})`);
    const files: Record<string, ContextFile> = {};
    for (const raw of contextBySection.get(name) ?? []) {
      const z = raw.indexOf("\u0000");
      if ((z < 0 ? undefined : raw.slice(0, z)) !== only) continue;
      const spec = z < 0 ? raw : raw.slice(z + 1);
      const [p, mode] = spec.split(":");
      const m = mode ? parseInt(mode, 8) : 0o644;
      files[p!] = { content: m & 0o111 ? "\u007fELF placeholder\n" : "placeholder\n", mode: m };
    }
    for (const b of blocks) {
      const file = b.attrs.file;
      if (!file) continue;
      if (b.attrs.mode !== undefined && !/^[0-7]{3,4}$/.test(b.attrs.mode)) fail(`bad mode "${b.attrs.mode}"`, b.line - 1);
      if (b.attrs.eol !== undefined && b.attrs.eol !== "crlf" && b.attrs.eol !== "lf") fail(`bad eol "${b.attrs.eol}"`, b.line - 1);
      const content = b.attrs.eol === "crlf" ? b.content.replace(/\n/g, "\r\n") : b.content;
      files[file] = { content, mode: b.attrs.mode ? parseInt(b.attrs.mode, 8) : 0o644 };
    }
    return { dockerfile: dockerfiles[0]!.content, files, blocks };
  };

  const trapNames = [...new Set((blocksBySection.get(TRAPS_SECTION) ?? []).map((b) => b.sub).filter((x): x is string => !!x))];
  const traps = sections.has(TRAPS_SECTION) ? trapNames.map((n) => ({ name: n, expect: expectBySub.get(n) ?? "none", example: example(TRAPS_SECTION, n) })) : [];
  if (sections.has(TRAPS_SECTION) && !traps.length) fail(`"## ${TRAPS_SECTION}" has no "### <trap>" subsection with a Dockerfile`);
  return { id: head[1]!, path, title: head[2]!.trim(), severity: meta[1]!, aliases, sections, bad: example("Bad"), good: example("Good"), traps };
}
