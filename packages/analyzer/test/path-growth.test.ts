// Why run-time paths multiply, and the semantics that keep them few: each test is a small script whose paths
// grew past the bound on paths (limits.maxPaths, 32) although the script has only a few ways to go on.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze, type Analysis } from "../src/index.js";

const run = (script: string, opts: { shebang?: string; env?: Record<string, string> } = {}): Analysis => {
  const dockerfile = `FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n`;
  const text = `${opts.shebang ?? "#!/bin/sh"}\n${script}`;
  return analyze(buildModel(dockerfile, { context: memoryFs({ "e.sh": { content: text, mode: 0o755 } }) }), opts.env ? { env: opts.env } : {});
};
const repeat = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join("\n") + "\n";

describe("finished paths do not count against the bound on paths", () => {
  test("40 checks that each exit on a different state: 40 finished paths, one live one", () => {
    // each exit path has its own variables (the values read before its check): none merges with another
    const a = run(repeat(40, (i) => `V${i}=$(cat /etc/v${i})\n[ -n "$V${i}" ] || exit ${(i % 3) + 1}`) + 'exec "$@"\n');
    expect(a.prediction.truncated).toBeNull();
    expect(a.prediction.processTree?.argv[0]).toBe("redis-server");
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("40 foreground commands that may keep running: a held path each, one run that goes on", () => {
    const a = run(repeat(40, (i) => `sleep ${30 + i}`) + 'exec "$@"\n');
    expect(a.prediction.truncated).toBeNull();
    expect(a.prediction.processTree?.argv[0]).toBe("redis-server");
  });
});

describe("runs that went on after a foreground command are one run", () => {
  test("a subshell that waits for a long-running command, called 8 times: the runs that go on merge", () => {
    // Each call forks twice (the command returns inside the subshell; the subshell is taken to return): the
    // two runs that go on differ only in which of the two was taken to return, and 2^8 of them overflowed.
    const a = run("step() {\n  (cd /opt; sleep 60; echo done)\n}\n" + repeat(8, () => "step") + 'exec "$@"\n');
    expect(a.prediction.truncated).toBeNull();
    expect(a.prediction.processTree?.argv[0]).toBe("redis-server");
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
});

describe("the cost of a path key does not grow with the variables at each assignment", () => {
  test("500 variables of the image's ENV, two paths, 4,000 assignments: within the bound on work", () => {
    const env = Array.from({ length: 500 }, (_, i) => `E${i}=value-${i}`).join(" ");
    const dockerfile = `FROM debian:bookworm\nENV ${env}\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n`;
    // two live paths (DEBUG set or not), then one assignment per statement: the key of each path was spelled
    // out anew (500 variables) after each of them
    const script = '#!/bin/sh\nif [ -n "$DEBUG" ]; then MODE=a; else MODE=b; fi\n' + repeat(4000, (i) => `V${i % 50}=${i}`) + 'exec "$@"\n';
    const a = analyze(buildModel(dockerfile, { context: memoryFs({ "e.sh": { content: script, mode: 0o755 } }) }));
    expect(a.prediction.truncated).toBeNull();
    expect(a.prediction.processTree?.argv[0]).toBe("redis-server");
  });
});

describe("a wrapper that runs a tool in the middle of a script ends with it", () => {
  test("sudo -u git envsubst: the script goes on and ends, no run waits for sudo as its service", () => {
    const a = run("sudo -u git envsubst < /a > /b\necho done\n");
    expect(a.prediction.lifecycle.state).toBe("exits");
    expect(a.prediction.scenarios).toEqual([]);
  });
});

describe("a default applied again is the same value", () => {
  test("Y=${Y:-on} run in several branches: one value, not ${{X:-on}:-on}…, and a path per branch that ran it", () => {
    // Y is assigned by the script, X comes from the environment
    const a = run("Y=$X\n" + repeat(6, (i) => `if [ -n "$FEATURE${i}" ]; then Y=\${Y:-on}; fi`) + '[ "$Y" = on ] && exit 3\nexec "$@"\n');
    const conds = a.prediction.scenarios.map((s) => s.condition).join("\n");
    expect(conds).not.toContain("{{");
    expect(conds).toContain('X is set to something other than "on"');
  });
  test("${X:-} then a default names X", () => {
    const a = run('Y=${X:-}\nY=${Y:-on}\n[ "$Y" = on ] && exit 3\nexec "$@"\n');
    expect(a.prediction.scenarios.map((s) => s.condition)).toContain('when X is "on" or empty or unset');
  });
});

describe("an analysis cut short never makes a foreground command the service", () => {
  test("java -jar installer.jar, then more paths than followed: the run that went on is dropped, java is not taken for the service", () => {
    const dockerfile = `FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n`;
    // with one path followed, the run where A is empty (the one that reaches redis-server) is dropped
    const script = '#!/bin/sh\njava -jar /opt/installer.jar --install\nif [ -n "$A" ]; then cd /a; else cd /b; fi\n[ -n "$A" ] && exit 1\nexec "$@"\n';
    const a = analyze(buildModel(dockerfile, { context: memoryFs({ "e.sh": { content: script, mode: 0o755 } }) }), { limits: { maxPaths: 1 } });
    expect(a.prediction.truncated).not.toBeNull();
    const all = a.prediction.scenarios.length ? a.prediction.scenarios : [a.prediction];
    expect(all.filter((s) => JSON.stringify(s.processTree ?? {}).includes("installer.jar"))).toEqual([]);
    expect(a.prediction.stop.outcome).not.toBe("killed");
  });
});

describe("the processes that ended leave the path", () => {
  test("2,500 commands on two paths: the path key does not walk every command run so far", () => {
    const a = run('if [ -n "$DEBUG" ]; then MODE=a; else MODE=b; fi\n' + repeat(2500, (i) => `cp /etc/f${i % 10} /tmp/`) + 'exec "$@"\n');
    expect(a.prediction.truncated).toBeNull();
    expect(a.prediction.processTree?.argv[0]).toBe("redis-server");
  });
});

describe("a path remembers what a test established about a word", () => {
  const df = (script: string) =>
    analyze(buildModel(`FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n`, { context: memoryFs({ "e.sh": { content: `#!/bin/bash\n${script}`, mode: 0o755 } }) }));
  test("a word with nested defaults equal to one literal is not another one: no run where it is both", () => {
    const a = df('P="${PROVIDER:-${FALLBACK:-AWS}}"\nif [[ "$P" == "Google" ]]; then G=1; fi\nif [[ "$P" == "AWS" ]]; then exit 9; fi\n[ "$P" = Google ] && [ "$G" != 1 ] && exit 8\nexec "$@"\n');
    const conds = a.prediction.scenarios.map((s) => s.condition);
    // exit 9 only where P is not Google; exit 8 never (P = Google set G)
    expect(conds.some((c) => /is "Google"/.test(c) && /is "AWS"/.test(c))).toBe(false);
    expect(a.prediction.scenarios.some((s) => s.lifecycle.exitCode === 8)).toBe(false);
    expect(a.prediction.scenarios.some((s) => s.lifecycle.exitCode === 9)).toBe(true);
  });
  test("case with literal patterns: a branch already taken decides a later test", () => {
    const a = df('case "$MODE" in\n  dev) D=1 ;;\n  prod) D=2 ;;\nesac\nif [ "$MODE" = dev ] && [ "$D" != 1 ]; then exit 7; fi\nexec "$@"\n');
    expect(a.prediction.scenarios.some((s) => s.lifecycle.exitCode === 7)).toBe(false);
  });
  test("a command's output is not remembered (it may differ at each run)", () => {
    const a = df('if [ "$(cat /a)" = x ]; then :; fi\nif [ "$(cat /a)" = y ]; then exit 6; fi\nexec "$@"\n');
    expect(a.prediction.scenarios.some((s) => s.lifecycle.exitCode === 6)).toBe(true);
  });
});

describe("case: a default branch is no fork", () => {
  test("*) after literal patterns: two runs, not three, and no condition 'matches *'", () => {
    const a = run('case "$MODE" in\n  dev) exit 3 ;;\n  *) X=1 ;;\nesac\nexec "$@"\n');
    const conds = a.prediction.scenarios.map((s) => s.condition).join("\n");
    expect(conds).not.toContain("matches *");
    expect(conds).not.toContain("does not match *");
    expect(a.prediction.scenarios).toHaveLength(2);
  });
});

describe("a foreground flag in a cluster of short options", () => {
  test("supervisord -nc FILE (measured: stays in the foreground as PID 1) does not daemonize; -c FILE does", () => {
    const files = { "supervisord.conf": { content: "[supervisord]\nlogfile=/tmp/sd.log\n", mode: 0o644 } };
    const df = (cmd: string) => `FROM debian:bookworm\nRUN apt-get update && apt-get install -y supervisor\nCOPY supervisord.conf /etc/supervisor/supervisord.conf\nCMD ${cmd}\n`;
    const nc = analyze(buildModel(df('["supervisord", "-nc", "/etc/supervisor/supervisord.conf"]'), { context: memoryFs(files) }));
    const c = analyze(buildModel(df('["supervisord", "-c", "/etc/supervisor/supervisord.conf"]'), { context: memoryFs(files) }));
    expect(nc.prediction.lifecycle.state).not.toBe("exits");
    expect(c.prediction.lifecycle.state).toBe("exits");
  });
});

describe("a fork shares the variables until one side writes", () => {
  test("500 variables of the image's ENV and 3,000 conditions: the forks are not charged for variables they do not copy", () => {
    const env = Array.from({ length: 500 }, (_, i) => `E${i}=value-${i}`).join(" ");
    const dockerfile = `FROM debian:bookworm\nENV ${env}\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n`;
    const script = "#!/bin/sh\n" + repeat(3000, (i) => `[ -f /etc/x${i % 20} ] && echo y`) + 'exec "$@"\n';
    const a = analyze(buildModel(dockerfile, { context: memoryFs({ "e.sh": { content: script, mode: 0o755 } }) }));
    expect(a.prediction.truncated).toBeNull();
    expect(a.prediction.processTree?.argv[0]).toBe("redis-server");
  });
});
