// SARIF 2.1.0 for GitHub code scanning: one run, the rules with their docs, one result per finding.
import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { RuleMeta } from "@audit-image/analyzer";
import { ruleDoc } from "../embedded.js";
import type { Report, Result } from "../report.js";
import { allRuleMeta } from "../rules-meta.js";
import { sourceReader } from "../audit.js";
import { LINKS } from "../version.js";
import { repositoryRoot, underRoot } from "./paths.js";
import { SourceLines } from "../source-lines.js";

/** The tool's page (package.json `homepage`); a rule's help is its page in the repository (`repository`). */
export const INFORMATION_URI = LINKS.homepage;
const RULE_DOCS_URI = `${LINKS.repository}/blob/main/docs/rules`;
const LEVEL = { error: "error", warning: "warning", info: "note" } as const;

type Json = Record<string, unknown>;

/** Markdown → plain text, roughly: enough for help.text. */
function mdToText(md: string): string {
  return md
    .replace(/```[a-zA-Z]*\n/g, "")
    .replace(/```/g, "")
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
    .trim();
}

function ruleDescriptor(m: RuleMeta): Json {
  const doc = ruleDoc(m.id);
  const markdown = doc ?? `# ${m.id}\n\n${m.title}\n\n${m.rationale}\n\n**Fix:** ${m.fix}\n`;
  return {
    id: m.id,
    name: m.id.replace(/(^|-)([a-z0-9])/g, (_, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: m.title },
    fullDescription: { text: m.rationale },
    help: { text: mdToText(markdown), markdown },
    helpUri: `${RULE_DOCS_URI}/${m.id}.md`,
    defaultConfiguration: { level: LEVEL[m.severity] },
    properties: { tags: ["docker", "pid1", "signals", ...m.aliases], precision: "high", ...(m.aliases.length ? { aliases: m.aliases } : {}) },
  };
}

export { repositoryRoot };
/** A lone surrogate (half of a UTF-16 pair) cannot be encoded in UTF-8: encodeURI throws on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A file's path as a relative URI reference: every character that is not allowed in a path segment is
 * percent-encoded, `#` and `?` included (encodeURI leaves them, which makes them a fragment and a query);
 * a lone surrogate becomes U+FFFD.
 */
export const uriOf = (file: string) =>
  encodeURI((file === "<stdin>" ? "stdin" : file.replace(/^\.\//, "")).replace(LONE_SURROGATE, "\uFFFD")).replace(/[#?]/g, (c) => (c === "#" ? "%23" : "%3F"));

/** Where SARIF paths are relative to: `root` (uriBaseId %SRCROOT%); report paths are relative to `cwd`. */
export interface SarifOptions {
  /** The report's working directory (default: the process's). */
  cwd?: string;
  /** The directory artifact URIs are relative to (default: cwd). A file outside it gets an absolute file: URI. */
  root?: string;
}

type Where = { uri: string; base: boolean };

function whereOf(file: string, cwd: string, root: string): Where {
  if (file === "<stdin>") return { uri: "stdin", base: true };
  const rel = underRoot(file, cwd, root);
  return rel === null ? { uri: pathToFileURL(path.resolve(cwd, file.replace(LONE_SURROGATE, "\uFFFD"))).href, base: false } : { uri: uriOf(rel), base: true };
}

function location(w: Where, line: number, column?: number, message?: string, id?: number): Json {
  return {
    ...(id !== undefined ? { id } : {}),
    physicalLocation: {
      artifactLocation: { uri: w.uri, ...(w.base ? { uriBaseId: "%SRCROOT%" } : {}) },
      region: { startLine: Math.max(1, line), ...(column && column >= 1 ? { startColumn: column } : {}) },
    },
    ...(message ? { message: { text: message } } : {}),
  };
}

function startLine(r: Result): number | null {
  return r.command.entrypoint && !r.command.entrypoint.inherited ? r.command.entrypoint.line : r.command.cmd && !r.command.cmd.inherited ? r.command.cmd.line : null;
}

export function toSarif(report: Report, readSource?: (file: string) => string | null, options: SarifOptions = {}): Json {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const root = path.resolve(cwd, options.root ?? cwd);
  const sources = new SourceLines(readSource ?? sourceReader(cwd).read);
  const where = (file: string) => whereOf(file, cwd, root);
  const metas = allRuleMeta();
  const known = new Map(metas.map((m, i) => [m.id, i]));
  const rules = metas.map(ruleDescriptor);
  const results: Json[] = [];
  const seen = new Map<string, number>();
  for (const r of report.results) {
    for (const f of r.findings) {
      let idx = known.get(f.ruleId);
      if (idx === undefined) {
        idx = rules.length;
        known.set(f.ruleId, idx);
        rules.push({ id: f.ruleId, shortDescription: { text: f.ruleId }, defaultConfiguration: { level: LEVEL[f.severity] } });
      }
      const related: Json[] = [];
      let rid = 1;
      for (const x of f.related ?? []) related.push(location(where(x.file), x.line, undefined, x.message, rid++));
      const sl = startLine(r);
      if (f.file !== r.file && sl !== null && !(f.related ?? []).some((x) => x.file === r.file && x.line === sl))
        related.push(location(where(r.file), sl, undefined, "the container starts this script here", rid++));
      const text = sources.line(f.file, f.line) ?? "";
      const norm = text.replace(/\s+/g, " ").trim();
      // The fingerprint names the file as the URI does (relative to the root), so it does not change with
      // the directory the tool was run from.
      const at = where(f.file);
      const base = createHash("sha256").update(`${f.ruleId}\0${at.uri}\0${norm}`).digest("hex").slice(0, 32);
      const occ = (seen.get(base) ?? 0) + 1;
      seen.set(base, occ);
      results.push({
        ruleId: f.ruleId,
        ruleIndex: idx,
        level: LEVEL[f.severity],
        message: { text: f.fix ? `${f.message}. Fix: ${f.fix.description}` : f.message },
        // A finding the docker run flags cause has no file of its own: it is shown on the Dockerfile.
        locations: [f.file === "<command line>" ? location(where(r.file), sl ?? 1) : location(at, f.line, f.column)],
        ...(related.length ? { relatedLocations: related } : {}),
        partialFingerprints: { primaryLocationLineHash: `${base}:${occ}` },
        ...(f.fix?.replacement ? { properties: { replacement: f.fix.replacement } } : {}),
      });
    }
  }
  const notifications = report.errors.map((e) => ({
    level: "error",
    message: { text: `${e.file}${e.line ? `:${e.line}` : ""}: ${e.message}` },
    descriptor: { id: e.code },
    ...(e.file !== "<stdin>" ? { locations: [location(where(e.file), e.line ?? 1)] } : {}),
  }));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, informationUri: INFORMATION_URI, rules },
        },
        invocations: [
          {
            executionSuccessful: true,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
            // which config file was loaded (null: none), as in the JSON report's `config`
            properties: { config: report.config ?? null },
          },
        ],
        results,
      },
    ],
  };
}
