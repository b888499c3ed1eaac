/**
 * Ground truth for the interpreter's control flow: errexit, kill and wait of background jobs. Each script
 * runs under the real dash as PID 1 of a fresh PID namespace (nsrun.ts), and the analyzer's prediction for
 * the same script (an entrypoint on debian:bookworm, where /bin/sh is dash) must show the same processes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../../src/index.js";
import type { ProcessNode } from "../../src/types.js";
import { findProgram, nsrunAll, nsrunUnavailable, type NsRunResult } from "./nsrun.js";

const unavailable = nsrunUnavailable() ?? (findProgram("dash") && findProgram("setsid") ? null : "dash or setsid is not installed");

const CASES: { id: string; title: string; script: string }[] = [
  { id: "temp-server", title: "start a job, kill it, wait for it, exec the service: only the service is left", script: "sleep 1000 &\npid=$!\nkill $pid\nwait $pid\nexec sleep 2000\n" },
  { id: "kill-0", title: "kill 0 ends every job of the shell (PID 1 itself drops it)", script: "sleep 1000 &\nsleep 1001 &\nkill 0\nwait\nexec sleep 2000\n" },
  { id: "wait-one", title: "wait $pid returns once that job has ended; the other job lives on", script: "sleep 1000 &\na=$!\nsleep 1001 &\nkill $a\nwait $a\nexec sleep 2000\n" },
  { id: "errexit", title: "set -e: a failing command ends the script before its exec", script: "set -e\nfalse\nexec sleep 2000\n" },
  { id: "counter-loop", title: "a while loop whose body counts up ends when its condition fails; the script goes on to its exec", script: "i=0\nwhile [ $i -lt 3 ]; do\n  i=$((i+1))\n  sleep 0.02\ndone\nexec sleep 2000\n" },
  { id: "errexit-condition", title: "set -e is off in an if condition", script: "set -e\nif false; then :; fi\nexec sleep 2000\n" },
];

/** The process argvs of a tree, PID 1 first (depth first). */
const argvsOf = (n: ProcessNode | null): string[] => (n ? [n.argv.join(" "), ...n.children.flatMap(argvsOf)] : []);

describe.skipIf(!!unavailable)(`control flow, measured with dash as PID 1${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`, () => {
  let results: Map<string, NsRunResult>;
  beforeAll(async () => {
    // setsid first, as runc gives the container's PID 1 a session of its own: `kill 0` must not reach the
    // test runner's process group (setsid execs dash in place: PID 1 is not a group leader, so it does not fork).
    const runs = await nsrunAll(CASES.map((c) => ({ argv: ["setsid", "dash", "-c", c.script], settleMs: 400, signal: null, hardTimeoutMs: 3000 })));
    results = new Map(CASES.map((c, i) => [c.id, runs[i]!]));
  }, 30_000);
  for (const c of CASES) {
    it(`${c.id}: ${c.title}`, () => {
      const r = results.get(c.id)!;
      const measured = r.tree.filter((q) => q.state !== "Z").map((q) => q.argv.join(" "));
      const a = analyze(buildModel('FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n', { context: memoryFs({ "e.sh": { content: `#!/bin/sh\n${c.script}`, mode: 0o755 } }) }));
      const predicted = argvsOf(a.prediction.processTree);
      expect(predicted, `measured:\n${r.treeText}`).toEqual(measured);
    });
  }
});

/**
 * The forwarding idiom: the trap forwards TERM to the job, the interrupted wait returns, and the script
 * waits for the job again. Measured with bash and dash as PID 1 and a service that needs 300 ms to stop:
 * PID 1 exits only after the service's clean exit. Without the second wait it exits at once and the
 * service is SIGKILLed mid-shutdown. The analyzer must predict graceful and abrupt.
 */
describe.skipIf(!!unavailable || !findProgram("bash"))(`a wait interrupted by a trap, then a second wait${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`, () => {
  const dir = unavailable ? "" : mkdtempSync(join(tmpdir(), "audit-image-cf-"));
  const svc = join(dir, "svc.sh");
  if (!unavailable) writeFileSync(svc, `trap 'echo "svc got TERM"; sleep 0.3; echo "svc clean exit"; exit 0' TERM\nsleep 1000 &\necho "svc ready"\nwait\n`, { mode: 0o755 });
  const idiom = (second: boolean, job: string) => `trap 'kill -TERM "$child"' TERM\n${job} &\nchild=$!\nwait "$child"\n${second ? 'trap - TERM\nwait "$child"\n' : ""}`;
  const CASES2 = ["bash", "dash"].flatMap((shell) => [true, false].map((second) => ({ shell, second })));
  let results: NsRunResult[];
  beforeAll(async () => {
    results = await nsrunAll(CASES2.map((c) => ({ argv: ["setsid", c.shell, "-c", idiom(c.second, `dash ${svc}`)], waitFor: "svc ready", settleMs: 300, signal: "TERM", graceMs: 2000 })));
  }, 30_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  CASES2.forEach((c, i) => {
    it(`${c.shell}, ${c.second ? "with" : "without"} the second wait: ${c.second ? "the service stops cleanly before PID 1 exits (graceful)" : "PID 1 exits at once, the service is cut off (abrupt)"}`, () => {
      const r = results[i]!;
      expect(r.outcome).toBe("exited-after-signal");
      expect(r.stdout.includes("svc clean exit"), r.stdout).toBe(c.second);
      const a = analyze(buildModel('FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n', { context: memoryFs({ "e.sh": { content: `#!/bin/${c.shell}\n${idiom(c.second, '"$@"')}`, mode: 0o755 } }) }));
      expect(a.prediction.stop.outcome).toBe(c.second ? "graceful" : "abrupt");
    });
  });
});

/**
 * `sh FILE` opens FILE from the working directory; only bash, when a name without a slash is not there,
 * searches PATH for it. A `cd` before changes where relative names are looked up. Measured with each shell
 * as PID 1 (a file in the working directory and one on the PATH exec different sleeps); the analyzer's
 * prediction is compared for dash and bash, the two shells debian:bookworm has.
 */
const OPERAND_SHELLS = ["dash", "bash", "busybox", "mksh", "zsh"].filter((s) => findProgram(s));
describe.skipIf(!!unavailable)(`a script operand is looked up from the working directory${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`, () => {
  const dir = unavailable ? "" : mkdtempSync(join(tmpdir(), "audit-image-operand-"));
  const files = {
    "app/here.sh": "exec sleep 1001\n",
    "bin/here.sh": "exec sleep 1002\n",
    "bin/onpath.sh": "exec sleep 1003\n",
    "app/sub/run.sh": "#!/bin/sh\nexec sleep 1004\n",
  };
  if (!unavailable) {
    for (const [f, body] of Object.entries(files)) {
      mkdirSync(join(dir, f, ".."), { recursive: true });
      writeFileSync(join(dir, f), body, { mode: 0o755 });
    }
  }
  const shellArgv = (s: string) => (s === "busybox" ? ["busybox", "sh"] : [s]);
  const CASES3 = OPERAND_SHELLS.flatMap((shell) => ["here.sh", "onpath.sh"].map((operand) => ({ shell, operand })));
  let results: NsRunResult[];
  let cdResult: NsRunResult;
  beforeAll(async () => {
    const env = { PATH: `${dir}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, HOME: "/root" };
    const runs = await nsrunAll([
      ...CASES3.map((c) => ({ argv: ["setsid", ...shellArgv(c.shell), c.operand], env, cwd: `${dir}/app`, settleMs: 300, signal: null, hardTimeoutMs: 3000 })),
      { argv: ["setsid", "dash", "-c", `cd ${dir}/app/sub\nexec ./run.sh`], env, cwd: `${dir}/app`, settleMs: 300, signal: null, hardTimeoutMs: 3000 },
    ]);
    results = runs.slice(0, CASES3.length);
    cdResult = runs[CASES3.length]!;
  }, 30_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const sleepOf = (r: NsRunResult) => r.tree.filter((q) => q.state !== "Z").map((q) => q.argv.join(" ")).find((a) => a.startsWith("sleep")) ?? null;
  const model = (argv: string[]) =>
    buildModel(
      `FROM debian:bookworm\nWORKDIR /app\nCOPY here.sh /app/here.sh\nCOPY here2.sh /usr/local/bin/here.sh\nCOPY onpath.sh /usr/local/bin/onpath.sh\nCOPY run.sh /app/sub/run.sh\nCMD ${JSON.stringify(argv)}\n`,
      { context: memoryFs({ "here.sh": { content: files["app/here.sh"], mode: 0o755 }, "here2.sh": { content: files["bin/here.sh"], mode: 0o755 }, "onpath.sh": { content: files["bin/onpath.sh"], mode: 0o755 }, "run.sh": { content: files["app/sub/run.sh"], mode: 0o755 } }) },
    );
  CASES3.forEach((c, i) => {
    const expected = c.operand === "here.sh" ? "sleep 1001" : c.shell === "bash" ? "sleep 1003" : null;
    it(`${c.shell} ${c.operand}: ${expected ? `runs ${expected === "sleep 1001" ? "the file in the working directory, not the one on the PATH" : "the file it finds on the PATH"}` : "fails: the name is not searched on the PATH"}`, () => {
      const r = results[i]!;
      expect(sleepOf(r), r.treeText).toBe(expected);
      if (c.shell === "dash" || c.shell === "bash") {
        const a = analyze(model([c.shell, c.operand]));
        const predicted = argvsOf(a.prediction.processTree).find((x) => x.startsWith("sleep")) ?? null;
        expect(predicted).toBe(expected);
      }
    });
  });
  it("cd DIR, then exec ./run.sh: the script is looked up in DIR", () => {
    expect(sleepOf(cdResult), cdResult.treeText).toBe("sleep 1004");
    const a = analyze(model(["dash", "-c", "cd /app/sub\nexec ./run.sh"]));
    expect(argvsOf(a.prediction.processTree)).toEqual(["sleep 1004"]);
  });
});

/**
 * BusyBox ash has bash's `[[ … ]]`, with && inside and glob matches: measured with BusyBox as PID 1. Unlike
 * bash, BusyBox expands an unquoted `a*` inside `[[` against the working directory's files (CI found it: a
 * file named a… in the directory made the test false), so it runs in an empty directory, as a container's
 * WORKDIR of a few files usually is.
 */
describe.skipIf(!!unavailable || !findProgram("busybox"))(`BusyBox ash and [[${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`, () => {
  const script = '[[ -z "$X" && abc == a* ]] && exec sleep 1001\nexec sleep 1002\n';
  let r: NsRunResult;
  const empty = unavailable ? "" : mkdtempSync(join(tmpdir(), "audit-image-bbglob-"));
  beforeAll(async () => {
    [r] = await nsrunAll([{ argv: ["setsid", "busybox", "sh", "-c", script], cwd: empty, settleMs: 300, signal: null, hardTimeoutMs: 3000 }]);
  }, 30_000);
  afterAll(() => {
    if (empty) rmSync(empty, { recursive: true, force: true });
  });
  it("[[ -z \"$X\" && abc == a* ]] is true: the first exec runs, and the analyzer (alpine, /bin/sh BusyBox) agrees", () => {
    expect(r.tree.filter((q) => q.state !== "Z").map((q) => q.argv.join(" "))).toEqual(["sleep 1001"]);
    const a = analyze(buildModel('FROM alpine:3.20\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n', { context: memoryFs({ "e.sh": { content: `#!/bin/sh\n${script}`, mode: 0o755 } }) }));
    expect(argvsOf(a.prediction.processTree)).toEqual(["sleep 1001"]);
    expect(a.findings.filter((f) => f.ruleId === "missing-program")).toEqual([]);
  });
});

/**
 * `exec > >(reader) 2>&1`: the shell forks the process substitution's reader, which stays as long as the
 * output is open: after the next `exec` it is the child of the service at PID 1. Measured with bash and zsh
 * (dash, BusyBox and mksh have no process substitution: mksh runs nothing of this script); the analyzer's
 * tree for bash must match.
 */
const SUBST_SHELLS = ["bash", "zsh"].filter((s) => findProgram(s));
describe.skipIf(!!unavailable || SUBST_SHELLS.length === 0)(`a process substitution in a redirection is a child${unavailable ? ` (SKIPPED: ${unavailable})` : SUBST_SHELLS.length ? "" : " (SKIPPED: no bash or zsh)"}`, () => {
  const script = "exec > >(cat > /dev/null) 2>&1\necho started\nexec sleep 2000\n";
  let results: NsRunResult[];
  beforeAll(async () => {
    results = await nsrunAll(SUBST_SHELLS.map((s) => ({ argv: ["setsid", s, "-c", script], settleMs: 400, signal: null, hardTimeoutMs: 3000 })));
  }, 30_000);
  SUBST_SHELLS.forEach((shell, i) => {
    it(`${shell}: the reader (cat) lives on as the child of the exec'd service at PID 1`, () => {
      const r = results[i]!;
      const live = r.tree.filter((q) => q.state !== "Z");
      expect(live.map((q) => q.argv.join(" ")), r.treeText).toEqual(["sleep 2000", "cat"]);
      expect(live[1]!.ppid).toBe(1);
      if (shell === "bash") {
        const a = analyze(buildModel('FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n', { context: memoryFs({ "e.sh": { content: `#!/bin/bash\n${script}`, mode: 0o755 } }) }));
        expect(argvsOf(a.prediction.processTree)).toEqual(["sleep 2000", "cat"]);
      }
    });
  });
});

/**
 * `bash -c "exec $(printf ' %q' "$@")"`: the script's parameters, requoted by bash's printf %q, become the
 * command string of an inner bash, which execs them. Measured with bash as PID 1: the command is PID 1 with its
 * arguments intact; a word %q leaves as it is (letters, digits, _ . / : @ % + = -) is the word. The analyzer's
 * tree must match. dash's printf has no %q: there the output is not known.
 */
describe.skipIf(!!unavailable || !findProgram("bash"))(`printf %q of "$@" in a command substitution${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`, () => {
  const script = `exec bash -c "exec $(printf ' %q' "$@")"\n`;
  const args = ["sleep", "1000.5"];
  const split = "x='/bin/sleep .x'\nexec $(basename $x) 1000.8\n";
  let result: NsRunResult;
  let quoted: NsRunResult;
  let splitRun: NsRunResult;
  beforeAll(async () => {
    [result, quoted, splitRun] = await nsrunAll([
      { argv: ["setsid", "bash", "-c", script, "e.sh", ...args], settleMs: 400, signal: null, hardTimeoutMs: 3000 },
      { argv: ["setsid", "bash", "-c", `printf ' %q' a-b_c.d/e:f@g%h+i=j 0.0.0.0:8000 'a b' a,b '~x'`], settleMs: 100, signal: null, hardTimeoutMs: 3000 },
      { argv: ["setsid", "dash", "-c", split], settleMs: 400, signal: null, hardTimeoutMs: 3000 },
    ]);
  }, 30_000);
  it("bash: the requoted parameters are exec'd as PID 1", () => {
    expect(result.tree.filter((q) => q.state !== "Z").map((q) => q.argv.join(" ")), result.treeText).toEqual(["sleep 1000.5"]);
    const a = analyze(buildModel('FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["sleep", "1000.5"]\n', { context: memoryFs({ "e.sh": { content: `#!/bin/bash\n${script}`, mode: 0o755 } }) }));
    expect(argvsOf(a.prediction.processTree)).toEqual(["sleep 1000.5"]);
  });
  it("bash's %q leaves letters, digits and _ . / : @ % + = - as they are and quotes a blank, a comma or a leading ~", () => {
    expect(quoted.stdout).toBe(" a-b_c.d/e:f@g%h+i=j 0.0.0.0:8000 a\\ b a\\,b \\~x");
  });
  it("dash: an unquoted value in the substitution's command splits into words (basename NAME SUFFIX)", () => {
    expect(splitRun.tree.filter((q) => q.state !== "Z").map((q) => q.argv.join(" ")), splitRun.treeText).toEqual(["sleep 1000.8"]);
    const a = analyze(buildModel('FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n', { context: memoryFs({ "e.sh": { content: `#!/bin/sh\n${split}`, mode: 0o755 } }) }));
    expect(argvsOf(a.prediction.processTree)).toEqual(["sleep 1000.8"]);
  });
});
