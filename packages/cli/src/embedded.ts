// Files the CLI ships inside its bundle: the report's JSON Schema and the rule docs (docs/rules/<id>.md).
// scripts/build.mjs defines __AUDIT_IMAGE_EMBEDDED__; without it (tsc output, tests) they are read from disk.
import fs from "node:fs";

declare const __AUDIT_IMAGE_EMBEDDED__: { schema: string; docs: Record<string, string> } | undefined;

const embedded = typeof __AUDIT_IMAGE_EMBEDDED__ === "object" ? __AUDIT_IMAGE_EMBEDDED__ : null;

function readRel(rel: string): string | null {
  try {
    return fs.readFileSync(new URL(rel, import.meta.url), "utf8");
  } catch {
    return null;
  }
}

/** The JSON Schema (2020-12) of the `--format json` report, as text. */
export function reportSchemaText(): string {
  return embedded?.schema ?? readRel("../schema/report.schema.json") ?? "{}";
}

/** The Markdown doc of a rule, or null when there is none (yet). */
export function ruleDoc(id: string): string | null {
  if (!/^[a-z0-9-]+$/.test(id)) return null;
  if (embedded && id in embedded.docs) return embedded.docs[id] ?? null;
  return readRel(`../../../docs/rules/${id}.md`);
}
