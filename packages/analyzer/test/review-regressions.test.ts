// Inputs from the code review that crashed, hung or were predicted wrongly. Each stays fixed.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";

const DF = 'FROM debian:bookworm\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n';
const run = (script: string, df = DF, more: Record<string, string> = {}) => {
  const files: Record<string, { content: string; mode: number }> = { "run.sh": { content: script, mode: 0o755 } };
  for (const [k, v] of Object.entries(more)) files[k] = { content: v, mode: 0o644 };
  const model = buildModel(df, { context: memoryFs(files) });
  const t0 = performance.now();
  const a = analyze(model);
  return { model, a, ms: performance.now() - t0 };
};
const ids = (a: ReturnType<typeof run>["a"]) => a.findings.map((f) => f.ruleId);

describe("crashes and hangs", () => {
  test("a #! line that names the script itself fails like the kernel does (ELOOP), without recursing", () => {
    const { a } = run("#!/run.sh\nexec redis-server\n");
    expect(a.prediction.lifecycle.state).toBe("fails");
    expect(a.prediction.lifecycle.reason).toMatch(/ELOOP/);
    expect(ids(a)).toContain("missing-interpreter");
  });
  test("eval of itself is bounded", () => {
    const { a } = run("#!/bin/sh\nx='eval \"$x\"'; eval \"$x\"\nexec redis-server\n");
    expect(ids(a)).toContain("analysis-truncated");
  });
  test("a case pattern that would backtrack exponentially as a regex", () => {
    const df = `FROM debian:bookworm\nENV X=${"a".repeat(40)}\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n`;
    const { a, ms } = run(`#!/bin/sh\ncase "$X" in\n${"*a".repeat(30)}*b) exec sleep 1000;;\nesac\nexec redis-server\n`, df);
    expect(a.prediction.processTree?.argv).toEqual(["redis-server"]);
    expect(ms).toBeLessThan(2000);
  });
  test("${X##*/} on a 100 KB value is linear", () => {
    const df = `FROM debian:bookworm\nENV X=${"a/".repeat(50_000)}b\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n`;
    const { a, ms } = run('#!/bin/sh\nexec "${X##*/}-server"\n', df);
    expect(a.prediction.processTree?.argv).toEqual(["b-server"]);
    expect(ms).toBeLessThan(2000);
  });
  test("a .dockerignore line that would backtrack exponentially as a regex", () => {
    const t0 = performance.now();
    const { a } = run("#!/bin/sh\nexec redis-server\n", DF, { ".dockerignore": "*a".repeat(12) + "*b\n", ["a".repeat(40)]: "x" });
    expect(a.prediction.processTree?.argv).toEqual(["redis-server"]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe("found by the 100,000-input fuzz campaign", () => {
  test("a #! line naming an init without arguments: the init starts the script, whose #! starts the init…", () => {
    const { a, ms } = run("#!/usr/bin/dumb-init \n");
    expect(ids(a)).toContain("analysis-truncated");
    expect(ms).toBeLessThan(2000);
  });
  test("a script that sources itself twice, then nests 500 subshells, is bounded in time", () => {
    const { a, ms } = run("#!/bin/sh\n. /run.sh\n. /run.sh\n" + "(".repeat(500) + "true" + ")".repeat(500) + "\nexec redis-server\n");
    expect(ids(a)).toContain("analysis-truncated");
    expect(ms).toBeLessThan(5000);
  });
});

describe("predictions", () => {
  test("trap -- 'handler' TERM: the handler is not \"--\"", () => {
    const { a } = run("#!/bin/sh\ntrap -- 'kill -TERM $pid; wait $pid; exit $?' TERM\nredis-server &\npid=$!\nwait $pid\n");
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("a kill in an else branch of the handler is followed", () => {
    const { a } = run("#!/bin/sh\ntrap 'if false; then :; else kill -TERM $pid; wait $pid; fi; exit 0' TERM\nredis-server &\npid=$!\nwait $pid\n");
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("a kill in a for loop over pids in the handler is followed", () => {
    const { a } = run("#!/bin/sh\ntrap 'for p in $pid; do kill -TERM $p; done; wait; exit 0' TERM\nredis-server &\npid=$!\nwait $pid\n");
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("exec -a NAME cmd execs cmd, with argv[0] NAME (measured: inits.ns.test.ts, \"exec -a\")", () => {
    const tree = run("#!/bin/bash\nexec -a myredis redis-server\n").a.prediction.processTree;
    expect(tree?.argv).toEqual(["myredis"]);
    expect(tree?.program).toBe("redis-server");
  });
  test("ENTRYPOINT in a parent stage resets its CMD before the child stage inherits", () => {
    const { model } = run('#!/bin/sh\nexec "$@"\n', 'FROM nginx AS a\nCOPY --chmod=755 run.sh /w.sh\nENTRYPOINT ["/w.sh"]\nFROM a\n');
    expect(model.command?.argv).toEqual(["/w.sh"]);
  });
  test("a RUN that merely contains the letters of a shell name does not install it", () => {
    const df = 'FROM alpine:3.20\nRUN echo publish-the-ssh-keys\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n';
    expect(run("#!/bin/bash\nexec redis-server\n", df).a.prediction.lifecycle.state).toBe("fails");
    const installs = 'FROM alpine:3.20\nRUN apk add --no-cache bash\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n';
    expect(run("#!/bin/bash\nexec redis-server\n", installs).a.prediction.lifecycle.state).toBe("runs");
  });
  test("the exec-form replacement for a shell-form ENTRYPOINT keeps quoted words together", () => {
    const { a } = run("", 'FROM nginx:1.27\nENTRYPOINT nginx -g "daemon off;"\n');
    const f = a.findings.find((x) => x.ruleId === "shell-form-entrypoint");
    expect(f?.fix?.replacement).toBe('ENTRYPOINT ["nginx","-g","daemon off;"]');
  });
  test("no exec-form replacement is offered for text that needs a shell", () => {
    const { a } = run("", "FROM nginx:1.27\nENTRYPOINT nginx -g \"daemon off;\" && echo $HOME\n");
    const f = a.findings.find((x) => x.ruleId === "shell-form-entrypoint");
    expect(f?.fix?.replacement).toBeUndefined();
  });
});
