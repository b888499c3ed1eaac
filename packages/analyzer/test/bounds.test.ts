// Hostile scripts: the analysis is bounded, and a bound that is hit becomes a finding that says where.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";

const run = (script: string, extra: Record<string, string> = {}) => {
  const files: Record<string, { content: string; mode: number }> = { "entrypoint.sh": { content: script, mode: 0o755 } };
  for (const [k, v] of Object.entries(extra)) files[k] = { content: v, mode: 0o755 };
  const model = buildModel('FROM debian:bookworm\nCOPY . /app/\nENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["redis-server"]\n', { context: memoryFs(files) });
  const t0 = performance.now();
  const a = analyze(model);
  return { a, ms: performance.now() - t0 };
};
const truncation = (a: ReturnType<typeof run>["a"]) => a.findings.find((f) => f.ruleId === "analysis-truncated");

describe("bounds", () => {
  test("a 2,000-line entrypoint is analyzed well under a second", () => {
    const lines = ["#!/bin/sh", "set -e"];
    for (let i = 0; i < 670; i++) {
      lines.push(`if [ "$1" = "opt${i}" ]; then`, `  echo "configuring ${i}" >&2`, "fi");
    }
    lines.push('exec "$@"');
    const { a, ms } = run(lines.join("\n") + "\n");
    expect(lines.length).toBeGreaterThanOrEqual(2000);
    expect(a.prediction.processTree?.argv).toEqual(["redis-server"]);
    expect(ms).toBeLessThan(1000);
  });

  test("deep nesting is cut short with a finding", () => {
    const n = 2000;
    const { a, ms } = run("#!/bin/sh\n" + "if true; then ".repeat(n) + "exec sleep 1000" + "; fi".repeat(n) + '\nexec "$@"\n');
    expect(truncation(a)?.message).toMatch(/nests deeper/);
    expect(ms).toBeLessThan(3000);
  });

  test("a huge case statement on an unknown value stays within the path bound", () => {
    let s = '#!/bin/sh\ncase "$MODE" in\n';
    for (let i = 0; i < 3000; i++) s += `  m${i}) set -- svc${i} "$@" ;;\n`;
    s += 'esac\nexec "$@"\n';
    const { a, ms } = run(s);
    expect(truncation(a)?.message).toMatch(/paths/);
    expect(a.prediction.scenarios.length).toBeLessThanOrEqual(32);
    expect(ms).toBeLessThan(3000);
  });

  test("conditions on many run-time variables are bounded", () => {
    // each condition starts a helper or not: the process trees differ, so the paths cannot be joined
    let s = "#!/bin/sh\n";
    for (let i = 0; i < 40; i++) s += `if [ -n "$V${i}" ]; then sleep 10${i} & fi\n`;
    s += 'exec "$@"\n';
    const { a, ms } = run(s);
    expect(truncation(a)).toBeDefined();
    expect(ms).toBeLessThan(3000);
  });

  test("conditions that only set variables are joined, not cut short", () => {
    let s = "#!/bin/sh\n";
    for (let i = 0; i < 40; i++) s += `if [ -n "$V${i}" ]; then A${i}=1; else A${i}=2; fi\n`;
    s += 'exec "$@"\n';
    const { a, ms } = run(s);
    expect(truncation(a)).toBeUndefined();
    expect(a.prediction.truncated).toBeNull();
    expect(ms).toBeLessThan(3000);
  });

  test("a script that sources itself is cut short where the chain gets too deep", () => {
    const { a, ms } = run('#!/bin/sh\n. /app/entrypoint.sh\nexec "$@"\n');
    const t = truncation(a);
    expect(t?.message).toMatch(/source chain/);
    expect(t?.file).toBe("entrypoint.sh");
    expect(ms).toBeLessThan(3000);
  });

  test("two scripts that source each other are bounded", () => {
    const { a } = run('#!/bin/sh\n. /app/b.sh\nexec "$@"\n', { "b.sh": ". /app/entrypoint.sh\n" });
    expect(truncation(a)).toBeDefined();
  });

  test("a script that re-execs itself forever is bounded", () => {
    const { a, ms } = run('#!/bin/sh\nexec /app/entrypoint.sh "$@"\n');
    expect(truncation(a)?.message).toMatch(/nest deeper/);
    expect(ms).toBeLessThan(3000);
  });

  test("a recursive function is bounded", () => {
    const { a, ms } = run('#!/bin/bash\nf() { f "$@"; }\nf "$@"\nexec "$@"\n');
    expect(truncation(a)?.message).toMatch(/function calls/);
    expect(ms).toBeLessThan(3000);
  });

  test("an endless loop with an unknown condition is bounded", () => {
    const { a, ms } = run('#!/bin/sh\ni=0\nwhile [ -z "$STOP" ]; do\n  i=$((i+1))\ndone\nexec "$@"\n');
    expect(ms).toBeLessThan(3000);
    expect(a.prediction.stop.outcome).toBeTypeOf("string");
  });
});

test("a program the analysis reaches only after a bound stopped it is not called one the catalog lacks", () => {
  // supervisord starts a long script, which uses up the bound on steps, then redis-server
  const lines = ["#!/bin/sh"];
  for (let i = 0; i < 40; i++) lines.push(`echo step ${i}`);
  lines.push("exec sleep infinity");
  const conf = "[supervisord]\nnodaemon=true\n[program:a]\ncommand=/long.sh\npriority=1\n[program:b]\ncommand=redis-server\npriority=2\n";
  const files = { "long.sh": { content: lines.join("\n") + "\n", mode: 0o755 }, "s.conf": { content: conf, mode: 0o644 } };
  const model = buildModel('FROM debian:bookworm\nCOPY long.sh /long.sh\nCOPY s.conf /etc/s.conf\nCMD ["supervisord", "-c", "/etc/s.conf"]\n', { context: memoryFs(files) });
  const a = analyze(model, { limits: { maxSteps: 20 } });
  expect(a.findings.some((f) => f.ruleId === "analysis-truncated")).toBe(true);
  // redis-server is in the catalog: the bound, not the catalog, is why its reaction is not known
  expect(a.findings.filter((f) => f.ruleId === "unknown-program")).toEqual([]);
  expect(JSON.stringify(a.prediction)).not.toMatch(/redis-server is not in the program catalog/);
  expect(JSON.stringify(a.prediction)).toMatch(/the analysis was cut short before redis-server was looked up/);
});
