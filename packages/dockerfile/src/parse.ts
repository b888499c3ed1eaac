// Instructions of a Dockerfile, as BuildKit reads them. dockerfile-ast finds the parser directives and
// where each instruction starts; the logical line (continuations, comments and empty lines inside them)
// and the heredoc bodies are read here the way BuildKit's parser does, because their exact text decides
// exec vs shell form and the content of heredoc files.
import { DockerfileParser } from "dockerfile-ast";
import type { Diagnostic } from "./types.js";
import { splitWordsKeepQuotes } from "./words.js";

export interface Heredoc {
  name: string;
  /** `<<-`: leading tabs are stripped from the terminator line and from the content. */
  chomp: boolean;
  /** Unquoted delimiter: BuildKit expands variables in the content at build time. */
  expand: boolean;
  content: string;
  /** Line of the first content line. */
  line: number;
}

export interface Instruction {
  keyword: string;
  line: number;
  /** Last physical line, heredoc terminators included. */
  endLine: number;
  /** Argument text of the logical line, flags included, trimmed. */
  args: string;
  heredocs: Heredoc[];
}

export interface ParsedDockerfile {
  escape: string;
  instructions: Instruction[];
  diagnostics: Diagnostic[];
}

const HEREDOC_INSTRUCTIONS = new Set(["RUN", "COPY", "ADD"]);

const trimNewline = (s: string) => s.replace(/[\r\n]+$/, "");
const isComment = (s: string) => /^[ \t]*#/.test(trimNewline(s));
const isEmpty = (s: string) => trimNewline(s).trim() === "";

export function parseDockerfile(text: string): ParsedDockerfile {
  const diagnostics: Diagnostic[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const ast = DockerfileParser.parse(src);
  const escape = ast.getEscapeCharacter() === "`" ? "`" : "\\";
  const lines = src.split("\n");
  const cont = new RegExp(`${escape === "\\" ? "\\\\" : "`"}[ \\t]*$`);
  const trimCont = (s: string): [string, boolean] => (cont.test(s) ? [s.replace(cont, ""), false] : [s, true]);

  const instructions: Instruction[] = [];
  let consumedTo = -1; // last physical line (0-based) already consumed by an instruction
  for (const ins of ast.getInstructions()) {
    const start = ins.getRange().start.line;
    if (start <= consumedTo) continue; // inside a heredoc body that dockerfile-ast did not see as one
    // dockerfile-ast also breaks lines at a lone CR; BuildKit (and this reader) only at LF.
    if (start >= lines.length || !/\S/.test(lines[start]!)) continue;
    let k = start;
    let [logical, end] = trimCont(trimNewline(lines[k]!).replace(/^[ \t]+/, ""));
    while (!end && k + 1 < lines.length) {
      const raw = lines[++k] ?? "";
      if (isComment(raw) || isEmpty(raw)) continue;
      let part: string;
      [part, end] = trimCont(trimNewline(raw));
      logical += part;
    }
    const trimmed = logical.trim();
    const m = /^(\S+)(?:[ \t\v\f\r]+([\s\S]*))?$/.exec(trimmed);
    const keyword = (m?.[1] ?? "").toUpperCase();
    const args = (m?.[2] ?? "").trim();
    const instr: Instruction = { keyword, line: start + 1, endLine: k + 1, args, heredocs: [] };

    if (HEREDOC_INSTRUCTIONS.has(keyword) && args.includes("<<")) {
      for (const h of heredocsFromArgs(args)) {
        let content = "";
        let terminated = false;
        const first = k + 1;
        while (k + 1 < lines.length) {
          const raw = lines[++k]!;
          let candidate = trimNewline(raw);
          if (h.chomp) candidate = candidate.replace(/^\t+/, "");
          if (candidate === h.name) {
            terminated = true;
            break;
          }
          content += trimNewline(raw) + "\n";
        }
        if (!terminated) {
          diagnostics.push({
            severity: "error",
            code: "unterminated-heredoc",
            message: `unterminated heredoc <<${h.chomp ? "-" : ""}${h.name} (no line "${h.name}" before the end of the file)`,
            line: start + 1,
          });
          // Drop the trailing newline of the last line when the file ended without one.
          if (lines[lines.length - 1] === "") content = content.replace(/\n$/, "");
        }
        if (h.chomp) content = content.replace(/^\t+/gm, "");
        instr.heredocs.push({ ...h, content, line: first + 1 });
      }
      instr.endLine = k + 1;
    }
    consumedTo = k;
    instructions.push(instr);
  }
  return { escape, instructions, diagnostics };
}

/** BuildKit's heredocsFromLine: words that start with `<<` (after raw shell lexing) open a heredoc. */
function heredocsFromArgs(args: string): Omit<Heredoc, "content" | "line">[] {
  const out: Omit<Heredoc, "content" | "line">[] = [];
  for (const word of splitWordsKeepQuotes(args)) {
    const m = /^(\d*)<<(-?)([^<]*)$/.exec(word);
    if (!m || m[3] === "") continue;
    const rest = m[3]!;
    const unquoted = rest.replace(/'([^']*)'|"([^"]*)"/g, "$1$2");
    if (/\s/.test(unquoted)) continue;
    out.push({ name: unquoted, chomp: m[2] === "-", expand: unquoted === rest });
  }
  return out;
}

/** Leading `--name[=value]` flags of FROM, COPY, ADD and RUN. */
export function splitFlags(args: string): { flags: Map<string, string | null>; rest: string } {
  const flags = new Map<string, string | null>();
  let rest = args;
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?:[ \t]+|$)/.exec(rest);
    if (!m) break;
    flags.set(m[1]!.toLowerCase(), m[2] ?? null);
    rest = rest.slice(m[0].length);
  }
  return { flags, rest: rest.trim() };
}
