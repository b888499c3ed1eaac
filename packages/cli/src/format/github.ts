// GitHub Actions workflow commands: one `::error file=…,line=…,col=…,title=…::message` per finding.
import path from "node:path";
import type { Report } from "../report.js";
import { underRoot } from "./paths.js";

const LEVEL = { error: "error", warning: "warning", info: "notice" } as const;

/** Escaping of workflow-command data (the message). */
export const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `%${c.charCodeAt(0) > 0xff ? encodeURIComponent(c).slice(1) : c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
/** Escaping of workflow-command properties (file, title). */
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/**
 * The annotations. GitHub places them by paths relative to the repository root: with `root` (the CLI gives
 * the repository's top level), paths of files under it are made relative to it; others stay as they are.
 */
export function toGithub(report: Report, options: { cwd?: string; root?: string } = {}): string {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const at = (file: string) => (options.root === undefined || file === "<stdin>" ? file : (underRoot(file, cwd, options.root) ?? file));
  const lines: string[] = [];
  // Which config file was loaded: a notice, so that a config that turns rules off is never invisible.
  if (report.config) lines.push(`::notice title=${escapeProperty("audit-image config")}::${escapeData(`audit-image loaded the config file ${report.config}`)}`);
  for (const r of report.results) {
    for (const f of r.findings) {
      const msg = f.fix ? `${f.message}\nFix: ${f.fix.description}` : f.message;
      lines.push(
        `::${LEVEL[f.severity]} file=${escapeProperty(at(f.file))},line=${f.line},col=${f.column},title=${escapeProperty(`audit-image ${f.ruleId}`)}::${escapeData(msg)}`,
      );
    }
  }
  for (const e of report.errors) {
    lines.push(`::error file=${escapeProperty(at(e.file))}${e.line ? `,line=${e.line}` : ""},title=${escapeProperty(`audit-image ${e.code}`)}::${escapeData(e.message)}`);
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}
