// `--format json` as a sequence of chunks, byte for byte what JSON.stringify(report, null, 2) gives, so
// that ten thousand results never become one string of tens of megabytes (the peak memory of a large
// batch was that string and its encoded copy). The CLI serializes each result as soon as it is made
// (resultJson), so that a batch keeps compact strings instead of every result's object graph, which the
// garbage collector would otherwise copy and trace again and again.
import type { Report, Result } from "../report.js";

const indent = (json: string, pad: string) => json.replace(/\n/g, "\n" + pad);

/**
 * One result, serialized for jsonChunks: JSON.stringify of [[result]], a flat string whose middle is the
 * result indented exactly as an element of "results" ("[\n  [\n    " … "\n  ]\n]"). Re-indenting with a
 * regexp replace instead made rope strings that took five times the memory (300 MB at 10,000 results).
 */
export const resultJson = (result: Result): string => JSON.stringify([[result]], null, 2);
const element = (serialized: string): string => serialized.slice(10, -6);

/** The report's chunks; `results` (from resultJson, in order) replaces report.results when given. */
export function* jsonChunks(report: Report, results?: readonly string[]): Generator<string> {
  const { results: objects, errors, ...head } = report;
  const n = results ? results.length : objects.length;
  const headJson = JSON.stringify(head, null, 2); // "{\n  …\n}"
  yield headJson.slice(0, -2) + ',\n  "results": [';
  for (let i = 0; i < n; i++) yield (i ? "," : "") + "\n    " + element(results ? results[i]! : resultJson(objects[i]!));
  yield (n ? "\n  " : "") + '],\n  "errors": ' + indent(JSON.stringify(errors, null, 2), "  ") + "\n}\n";
}
