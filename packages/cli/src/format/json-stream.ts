// `--format json` as a sequence of chunks, byte for byte what JSON.stringify(report, null, 2) gives, so
// that ten thousand results never become one string of tens of megabytes (the peak memory of a large
// batch was that string and its encoded copy).
import type { Report } from "../report.js";

const indent = (json: string, pad: string) => json.replace(/\n/g, "\n" + pad);

export function* jsonChunks(report: Report): Generator<string> {
  const { results, errors, ...head } = report;
  const headJson = JSON.stringify(head, null, 2); // "{\n  …\n}"
  yield headJson.slice(0, -2) + ',\n  "results": [';
  for (let i = 0; i < results.length; i++) yield (i ? "," : "") + "\n    " + indent(JSON.stringify(results[i], null, 2), "    ");
  yield (results.length ? "\n  " : "") + '],\n  "errors": ' + indent(JSON.stringify(errors, null, 2), "  ") + "\n}\n";
}
