// Control flow of the shell interpreter: paths are independent, errexit, background jobs and wait.
// Each expectation here is what the real shells do; the namespace ground truth for the ones that involve
// signals is in test/ground-truth/control-flow.ns.test.ts.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze, type Analysis } from "../src/index.js";
import type { ScenarioPrediction } from "../src/types.js";

const run = (script: string, opts: { from?: string; cmd?: string; shebang?: string } = {}): Analysis => {
  const dockerfile = `FROM ${opts.from ?? "debian:bookworm"}\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ${opts.cmd ?? '["redis-server"]'}\n`;
  const text = `${opts.shebang ?? "#!/bin/sh"}\n${script}`;
  return analyze(buildModel(dockerfile, { context: memoryFs({ "e.sh": { content: text, mode: 0o755 } }) }));
};

/** Every scenario (the default one too) as condition → [PID 1 argv[0], lifecycle, outcome]. */
const scenarios = (a: Analysis): Record<string, [string | null, string, string]> => {
  const p = a.prediction;
  const list: (ScenarioPrediction & { condition: string })[] = p.scenarios.length ? p.scenarios : [{ ...p, condition: "always" }];
  return Object.fromEntries(list.map((s) => [s.condition, [s.processTree?.argv[0] ?? null, s.lifecycle.state, s.stop.outcome]]));
};

describe("paths are independent", () => {
  test("an exit in one branch ends that path only; the other path goes on to exec", () => {
    const a = run('if [ -z "$PASSWORD" ]; then\n  echo "need PASSWORD" >&2\n  exit 1\nfi\nexec "$@"\n');
    expect(scenarios(a)).toEqual({
      "when PASSWORD is empty or unset": [null, "exits", "not-running"],
      "when PASSWORD is set": ["redis-server", "runs", "graceful"],
    });
  });
  test("the same when the guard is a function called from if", () => {
    const a = run('check() {\n  [ -n "$PASSWORD" ] || { echo missing >&2; exit 1; }\n}\nif check; then :; fi\nexec "$@"\n');
    const s = scenarios(a);
    expect(Object.values(s)).toEqual(expect.arrayContaining([["redis-server", "runs", "graceful"], [null, "exits", "not-running"]]));
  });
  test("a subshell's exit ends the subshell, not the script", () => {
    const a = run('( [ -n "$X" ] || exit 3 )\nexec "$@"\n');
    expect(Object.values(scenarios(a))).toEqual([["redis-server", "runs", "graceful"]]);
  });
});
