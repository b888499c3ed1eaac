// GitHub Actions workflow commands: one `::error file=…,line=…,col=…,title=…::message` per finding.
import type { Report } from "../report.js";

const LEVEL = { error: "error", warning: "warning", info: "notice" } as const;

/** Escaping of workflow-command data (the message). */
export const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
/** Escaping of workflow-command properties (file, title). */
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function toGithub(report: Report): string {
  const lines: string[] = [];
  for (const r of report.results) {
    for (const f of r.findings) {
      const msg = f.fix ? `${f.message}\nFix: ${f.fix.description}` : f.message;
      lines.push(
        `::${LEVEL[f.severity]} file=${escapeProperty(f.file)},line=${f.line},col=${f.column},title=${escapeProperty(`audit-image ${f.ruleId}`)}::${escapeData(msg)}`,
      );
    }
  }
  for (const e of report.errors) {
    lines.push(`::error file=${escapeProperty(e.file)}${e.line ? `,line=${e.line}` : ""},title=${escapeProperty(`audit-image ${e.code}`)}::${escapeData(e.message)}`);
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}
