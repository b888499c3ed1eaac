// A command whose status the script tests: a check that returns (`until pg_isready`), or, for a program the
// catalog knows to keep running outside a loop (`npm start || exit 1`), the service itself when nothing follows.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/analyze.js";
import type { ProcessNode } from "../src/types.js";

const run = (script: string) => {
  const ctx = memoryFs({ "run.sh": { content: script, mode: 0o755 }, "package.json": '{"scripts":{"start":"node server.js"}}\n', "server.js": "process.on('SIGTERM', () => process.exit(0));\n" });
  const a = analyze(buildModel('FROM node:20-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/run.sh"]\n', { file: "Dockerfile", context: ctx }));
  const names = (n: ProcessNode | null): string[] => (n ? [n.argv.join(" "), ...n.children.flatMap(names)] : []);
  return { lifecycle: a.prediction.lifecycle.state, tree: names(a.prediction.processTree), outcome: a.prediction.stop.outcome };
};

describe("a tested command that keeps running", () => {
  test("`npm start || { echo; exit 1; }` at the end: the script waits on it", () => {
    const r = run("#!/bin/bash\nnpm start || { echo failed >&2; exit 1; }\n");
    expect(r.lifecycle).toBe("runs");
    expect(r.tree.slice(0, 2)).toEqual(["/bin/bash /app/run.sh", "npm start"]);
    expect(r.outcome).toBe("killed");
    const viaIf = run("#!/bin/bash\nif ! npm start; then echo failed >&2; exit 1; fi\n");
    expect(viaIf.tree.slice(0, 2)).toEqual(["/bin/bash /app/run.sh", "npm start"]);
  });
  test("the script goes on to a service after it: it is a step that returns", () => {
    const r = run("#!/bin/bash\nnpm start || exit 1\nexec node server.js\n");
    expect(r.tree).toEqual(["node server.js"]);
  });
  test("in a loop's condition it stays a check that returns", () => {
    const r = run("#!/bin/bash\nuntil npm start; do sleep 1; done\nexec node server.js\n");
    expect(r.tree).toEqual(["node server.js"]);
  });
});
