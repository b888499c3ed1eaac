// YAML documents with the line of each value: Compose files and Kubernetes manifests are read into plain
// values (`Y`) that remember where they were written. The `yaml` package is loaded only when a manifest is
// audited, so a Dockerfile audit does not pay for it.
import { createRequire } from "node:module";

/** A YAML value with the line (1-based) it starts on. */
export type Y =
  | { t: "map"; line: number; entries: Map<string, Y>; keyLines: Map<string, number> }
  | { t: "seq"; line: number; items: Y[] }
  | { t: "scalar"; line: number; value: string | number | boolean | null };

type YamlLib = typeof import("yaml");
let lib: YamlLib | null = null;
function yaml(): YamlLib {
  // The CLI is bundled as CommonJS: require() keeps the package out of the start-up path.
  if (!lib) lib = createRequire(import.meta.url)("yaml") as YamlLib;
  return lib;
}

export class YamlError extends Error {
  constructor(message: string, readonly line: number | null) {
    super(message);
  }
}

/** Every document of a YAML stream (`---` separated); a document that does not parse throws YamlError. */
export function parseYamlDocuments(text: string): Y[] {
  const { parseAllDocuments, LineCounter, isMap, isSeq, isScalar, isAlias, isPair } = yaml();
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: Y[] = [];
  const lineOf = (n: { range?: [number, number, number] | null } | null | undefined) => (n?.range ? lc.linePos(n.range[0]).line : 1);
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) throw new YamlError(err.message.split("\n")[0]!, err.linePos?.[0]?.line ?? null);
    let depth = 0;
    let nodes = 0;
    const conv = (n: unknown): Y => {
      if (++depth > 200) throw new YamlError("the document nests too deeply", null);
      // Aliases can make a small file a huge tree ("billion laughs"): a bound on the values read.
      if (++nodes > 200_000) throw new YamlError("the document holds too many values (aliases expand it past 200,000)", null);
      try {
        if (isAlias(n)) return conv((n as { resolve(d: unknown): unknown }).resolve(doc));
        if (isMap(n)) {
          const entries = new Map<string, Y>();
          const keyLines = new Map<string, number>();
          for (const p of n.items) {
            if (!isPair(p)) continue;
            const k = isScalar(p.key) ? String(p.key.value) : String(p.key);
            if (k === "<<") {
              // A merge key: the aliased maps' entries, unless set here.
              const srcs = isSeq(p.value) ? p.value.items : [p.value];
              for (const s of srcs) {
                const m = conv(s);
                if (m.t === "map") for (const [mk, mv] of m.entries) if (!entries.has(mk)) (entries.set(mk, mv), keyLines.set(mk, m.keyLines.get(mk) ?? mv.line));
              }
              continue;
            }
            entries.set(k, p.value === null || p.value === undefined ? { t: "scalar", line: lineOf(p.key as never), value: null } : conv(p.value));
            keyLines.set(k, lineOf(p.key as never));
          }
          return { t: "map", line: lineOf(n as never), entries, keyLines };
        }
        if (isSeq(n)) return { t: "seq", line: lineOf(n as never), items: n.items.map(conv) };
        if (isScalar(n)) {
          const v = n.value;
          return { t: "scalar", line: lineOf(n as never), value: typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : v === null || v === undefined ? null : String(v) };
        }
        return { t: "scalar", line: 1, value: null };
      } finally {
        depth--;
      }
    };
    if (doc.contents === null) continue;
    out.push(conv(doc.contents));
  }
  return out;
}

export const get = (m: Y | undefined, k: string): Y | undefined => (m?.t === "map" ? m.entries.get(k) : undefined);
export const str = (y: Y | undefined): string | undefined => (y?.t === "scalar" && y.value !== null ? String(y.value) : undefined);
/** The line of a map's key (where a setting is written), else the value's. */
export const keyLine = (m: Y | undefined, k: string): number | null => (m?.t === "map" ? m.keyLines.get(k) ?? m.entries.get(k)?.line ?? null : null);
