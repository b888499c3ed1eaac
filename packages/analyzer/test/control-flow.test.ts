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

// set -e, differential: each snippet runs under the real dash and bash (REACHED printed or not), and the
// analyzer must agree on whether the script gets to its final exec.
import { spawnSync } from "node:child_process";

const ERREXIT_SNIPPETS: [string, string][] = [
  ["set -e; false", "a failing command ends the script"],
  ["set -e; if false; then :; fi", "not in an if condition"],
  ["set -e; while false; do :; done", "not in a while condition"],
  ["set -e; false || true", "not on the left of ||"],
  ["set -e; false && true", "not on the left of &&"],
  ["set -e; true && false", "the last command of an && list does"],
  ["set -e; ! true", "not after !"],
  ["set -e; f() { false; }; if f; then :; fi", "not in a function called from a condition"],
  ["set -e; f() { false; }; f", "a function whose command fails does"],
  ["set -e; ( false )", "a failing subshell does"],
  ["set -e; false | true", "a pipeline's status is its last command's"],
  ["set -e; set +e; false", "set +e turns it off"],
  ["set -o errexit; false", "set -o errexit"],
  ["set -eu; false", "combined options"],
  ["set -e; { false; }", "a failing command in a brace group"],
  ["set -e; if true; then false; fi", "a failing command in an if body"],
  ["false; set -e", "set -e comes after the failure"],
];
const has = (p: string) => spawnSync("sh", ["-c", `command -v ${p}`]).status === 0;

describe("set -e: where a failing command ends the script (real dash and bash as the reference)", () => {
  for (const shell of ["dash", "bash"]) {
    for (const [snippet, why] of ERREXIT_SNIPPETS) {
      test.skipIf(!has(shell))(`${shell}: ${snippet} (${why})${has(shell) ? "" : ` (SKIPPED: ${shell} not installed)`}`, () => {
        const real = spawnSync(shell, ["-c", `${snippet}\necho REACHED`], { encoding: "utf8" });
        const reached = real.stdout.includes("REACHED");
        const a = run(`${snippet.replace(/; /g, "\n")}\nexec "$@"\n`, { shebang: `#!/bin/${shell}` });
        const reachesService = Object.values(scenarios(a)).some(([pid1]) => pid1 === "redis-server");
        expect(reachesService, `${shell} ${reached ? "reaches" : "does not reach"} the end`).toBe(reached);
      });
    }
  }
  test("#!/bin/sh -e turns it on from the #! line", () => {
    const a = run("false\nexec \"$@\"\n", { shebang: "#!/bin/sh -e" });
    expect(Object.values(scenarios(a))).toEqual([[null, "exits", "not-running"]]);
    expect(a.prediction.lifecycle).toMatchObject({ state: "exits" });
  });
  test("a test of a run-time value forks: the script exits when it fails", () => {
    const a = run('set -e\n[ -n "$PASSWORD" ]\nexec "$@"\n');
    expect(scenarios(a)).toEqual({
      "when PASSWORD is set": ["redis-server", "runs", "graceful"],
      "when PASSWORD is empty or unset": [null, "exits", "not-running"],
    });
  });
  test("a command that ran is taken to succeed: no scenario for each setup command failing", () => {
    const a = run('set -e\nmkdir -p /data\nchown redis /data\nexec "$@"\n');
    expect(Object.values(scenarios(a))).toEqual([["redis-server", "runs", "graceful"]]);
  });
});

describe("background jobs: kill and wait", () => {
  const tree = (a: Analysis) => {
    const walk = (n: NonNullable<Analysis["prediction"]["processTree"]>): string[] => [n.argv[0] ?? "?", ...n.children.flatMap(walk)];
    return a.prediction.processTree ? walk(a.prediction.processTree) : [];
  };
  test("the temporary-server idiom: start in the background, configure, kill, wait, exec", () => {
    const a = run('"$@" --port 0 &\npid=$!\necho configure\nkill "$pid"\nwait "$pid"\nexec "$@"\n');
    expect(tree(a)).toEqual(["redis-server"]);
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("without the kill, wait blocks on the job: the shell stays PID 1 in wait", () => {
    const a = run('"$@" &\npid=$!\nwait "$pid"\n');
    expect(a.prediction.processTree).toMatchObject({ role: "shell", shell: { state: "wait" } });
    expect(tree(a)).toEqual(["/bin/sh", "redis-server"]);
  });
  test("wait $pid waits for that job only: a job that was killed does not block it", () => {
    const a = run('sleep 1000 &\nold=$!\nkill "$old"\nwait "$old"\nexec "$@"\n');
    expect(tree(a)).toEqual(["redis-server"]);
  });
  test("kill 0 ends every job of the shell", () => {
    const a = run('"$@" &\nsleep 1000 &\nkill 0\nwait\nexec "$@"\n');
    expect(tree(a)).toEqual(["redis-server"]);
  });
  test("a signal the job handles without stopping leaves it running (nginx reopens its logs on USR1)", () => {
    const a = run('nginx -g "daemon off;" &\npid=$!\nkill -USR1 "$pid"\nexec "$@"\n');
    expect(tree(a)).toEqual(["redis-server", "nginx"]);
  });
  test("kill -0 asks, it does not end the job", () => {
    const a = run('"$@" &\npid=$!\nkill -0 "$pid"\nwait "$pid"\n');
    expect(tree(a)).toEqual(["/bin/sh", "redis-server"]);
  });
});

describe("a wait that a trapped signal interrupts: the script goes on after the handler", () => {
  const stop = (script: string) => run(script, { shebang: "#!/bin/bash" }).prediction.stop;
  test("the forwarding idiom: trap forwards TERM, then the script waits for the job again: graceful", () => {
    const s = stop('trap \'kill -TERM "$child"\' TERM\n"$@" &\nchild=$!\nwait "$child"\ntrap - TERM\nwait "$child"\n');
    expect(s.outcome).toBe("graceful");
  });
  test("without the second wait the script ends as soon as the handler ran: the job is SIGKILLed mid-shutdown", () => {
    const s = stop('trap \'kill -TERM "$child"\' TERM\n"$@" &\nchild=$!\nwait "$child"\n');
    expect(s.outcome).toBe("abrupt");
  });
  test("a handler that signals nothing, then the script waits again: PID 1 waits on until SIGKILL", () => {
    const s = stop('trap \'echo stopping\' TERM\n"$@" &\nchild=$!\nwait "$child"\nwait "$child"\n');
    expect(s.outcome).toBe("killed");
  });
  test("a handler that exits: the continuation does not matter", () => {
    const s = stop('trap \'kill -TERM "$child"; exit 0\' TERM\n"$@" &\nchild=$!\nwait "$child"\nwait "$child"\n');
    expect(s.outcome).toBe("abrupt");
  });
  test("the continuation is not a scenario of its own", () => {
    const a = run('trap \'kill -TERM "$child"\' TERM\n"$@" &\nchild=$!\nwait "$child"\ntrap - TERM\nwait "$child"\n', { shebang: "#!/bin/bash" });
    expect(a.prediction.scenarios).toEqual([]);
  });
});

describe("a command that may keep running, in the middle of a script", () => {
  const pid1 = (a: Analysis) => Object.values(scenarios(a)).map(([p, l]) => `${p} ${l}`);
  test("a setup step that returns (sleep 10), then the service: the service is PID 1", () => {
    expect(pid1(run('sleep 10\nexec "$@"\n'))).toEqual(["redis-server runs"]);
  });
  test("a one-shot run of the service itself (an init step), then exec: the exec'd service is PID 1", () => {
    expect(pid1(run('"$@" --port 0 --daemonize no\nexec "$@"\n'))).toEqual(["redis-server runs"]);
  });
  test("the service, then only cleanup: the shell waits for it (it is the service)", () => {
    const a = run('"$@"\necho "the service exited"\n');
    expect(a.prediction.processTree).toMatchObject({ role: "shell", shell: { state: "foreground" } });
    expect(a.findings.map((f) => f.ruleId)).toContain("shell-stays-pid1");
  });
  test("a restart loop keeps the service in the foreground of the loop", () => {
    const a = run('while true; do\n  "$@"\n  sleep 1\ndone\n');
    expect(a.prediction.processTree).toMatchObject({ role: "shell", shell: { state: "foreground" } });
    expect(a.prediction.truncated).toBeNull();
  });
  test("two setup steps, then the service", () => {
    expect(pid1(run('sleep 10\nsu redis -c "redis-server --version"\nexec "$@"\n'))).toEqual(["redis-server runs"]);
  });
});

describe("set -e and a wait that a trapped signal interrupts (real dash and bash as the reference)", () => {
  // The handler runs, wait returns 128+15, and under set -e that status ends the script: the second wait is
  // never reached. Run outside a PID namespace: only the script's own reaction matters here.
  for (const shell of ["dash", "bash"]) {
    // A real process timed against a loaded machine (the whole suite runs beside the namespace tests): it
    // once missed vitest's 20 s in CI while it takes 0.1 s alone, so it gets a longer bound and two retries.
    test.skipIf(!has(shell))(`${shell}: exits after the handler instead of waiting again${has(shell) ? "" : ` (SKIPPED: ${shell} not installed)`}`, { timeout: 45_000, retry: 2 }, async () => {
      const { spawn } = await import("node:child_process");
      const script = "set -e; trap 'echo handler; kill -TERM $c' TERM; sleep 1000 & c=$!; echo ready; wait $c; echo after-first-wait; wait $c";
      const child = spawn(shell, ["-c", script], { stdio: ["ignore", "pipe", "ignore"] });
      let out = "";
      let sent = false;
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (!sent && out.includes("ready")) {
          sent = true;
          child.kill("SIGTERM");
        }
      });
      const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
      expect(out).toBe("ready\nhandler\n");
      expect(code).toBe(143);
      const stop = run(`set -e\ntrap 'kill -TERM "$c"' TERM\n"$@" &\nc=$!\nwait "$c"\nwait "$c"\n`, { shebang: `#!/bin/${shell}` }).prediction.stop;
      expect(stop.outcome).toBe("abrupt");
    });
  }
});

describe("re-exec: the second pass of the script is a new process", () => {
  test("exec gosu user \"$BASH_SOURCE\" \"$@\": the traps of the first pass are gone, the second pass sets its own", () => {
    const a = run(
      'if [ "$(id -u)" = "0" ]; then\n  trap "echo first pass" TERM\n  exec gosu redis "$BASH_SOURCE" "$@"\nfi\ntrap \'kill -TERM "$child"\' TERM\n"$@" &\nchild=$!\nwait "$child"\ntrap - TERM\nwait "$child"\n',
      { shebang: "#!/bin/bash", from: "redis:7.2" },
    );
    expect(a.prediction.processTree?.shell?.traps.map((t) => t.handler)).toEqual(['kill -TERM "$child"']);
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
});

describe("exec --", () => {
  // Measured on the real shells: dash looks for a program named "--" (exit 127); the others end exec's options.
  for (const shell of ["dash", "bash", "busybox", "mksh", "zsh"]) {
    test.skipIf(!has(shell))(`${shell}${has(shell) ? "" : ` (SKIPPED: ${shell} not installed)`}`, () => {
      const argv = shell === "busybox" ? ["busybox", "sh"] : [shell];
      const real = spawnSync(argv[0]!, [...argv.slice(1), "-c", "exec -- echo hi"], { encoding: "utf8" });
      const accepts = real.status === 0 && real.stdout === "hi\n";
      expect(accepts).toBe(shell !== "dash");
    });
  }
  test("the analyzer follows it: on Debian (dash) exec -- fails, on Alpine (BusyBox) it runs the command", () => {
    const debian = run('exec -- "$@"\n');
    expect(debian.prediction.lifecycle).toMatchObject({ state: "exits", exitCode: 127 });
    const alpine = run('exec -- "$@"\n', { from: "redis:7.2-alpine" });
    expect(alpine.prediction.processTree?.argv[0]).toBe("redis-server");
  });
});

describe("a shell's options on its command line", () => {
  // SHELL ["/bin/ash", "-eo", "pipefail", "-c"] (hadolint's advice) puts options before -c. The real BusyBox
  // sh agrees: `busybox sh -eo pipefail -c 'false; echo reached'` prints nothing and exits 1, as do
  // `-o pipefail -e -c` and `-ec`; `-o pipefail -c` reaches the echo (checked below when busybox is here).
  test.skipIf(!has("busybox"))(`BusyBox sh itself${has("busybox") ? "" : " (SKIPPED: busybox not installed)"}`, () => {
    const reach = (...o: string[]) => spawnSync("busybox", ["sh", ...o, "false; echo reached"], { encoding: "utf8" }).stdout === "reached\n";
    expect([reach("-eo", "pipefail", "-c"), reach("-o", "pipefail", "-e", "-c"), reach("-ec"), reach("-o", "pipefail", "-c")]).toEqual([false, false, false, true]);
  });
  for (const [opts, why] of [["-eo pipefail -c", "a cluster whose o takes the next word"], ["-o pipefail -e -c", "-o NAME, then -e"], ["-ec", "-e and -c in one cluster"]] as const) {
    test(`sh ${opts} 'cmd': the command string is the word after the options (${why})`, () => {
      const a = analyze(buildModel(`FROM redis:7.2-alpine\nSHELL ["/bin/ash", ${opts.split(" ").map((w) => JSON.stringify(w)).join(", ")}]\nCMD false; exec redis-server\n`));
      expect(a.prediction.processTree?.argv[0] ?? null).toBe(null); // -e: false ends the string first
      expect(a.prediction.lifecycle.state).toBe("exits");
    });
  }
  test("without -e the string goes on to exec", () => {
    const a = analyze(buildModel('FROM redis:7.2-alpine\nSHELL ["/bin/ash", "-o", "pipefail", "-c"]\nCMD false; exec redis-server\n'));
    expect(a.prediction.processTree?.argv[0]).toBe("redis-server");
  });
});

describe("an error is for the headline run", () => {
  test("shell-stays-pid1 only when DEBUG is set (not the headline): a warning; in the headline: an error", () => {
    const debugOnly = run('if [ -n "$DEBUG" ]; then\n  "$@"\nelse\n  exec "$@"\nfi\n');
    expect(debugOnly.prediction.headline?.scenario).toBeDefined();
    expect(debugOnly.findings.filter((f) => f.ruleId === "shell-stays-pid1").map((f) => f.severity)).toEqual(["warning"]);
    const always = run('"$@"\n');
    expect(always.findings.filter((f) => f.ruleId === "shell-stays-pid1").map((f) => f.severity)).toEqual(["error"]);
  });
  test("a severity the configuration sets is kept", () => {
    const a = analyze(
      buildModel('FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n', {
        context: memoryFs({ "e.sh": { content: '#!/bin/sh\nif [ -n "$DEBUG" ]; then\n  "$@"\nelse\n  exec "$@"\nfi\n', mode: 0o755 } }),
      }),
      { rules: { overrides: { "shell-stays-pid1": "error" } } },
    );
    expect(a.findings.filter((f) => f.ruleId === "shell-stays-pid1").map((f) => f.severity)).toEqual(["error"]);
  });
});

describe("loops", () => {
  test("a counter loop with a known bound runs its passes, then the script goes on (not an endless loop)", () => {
    const a = run("i=0\nwhile [ $i -lt 3 ]; do\n  i=$((i+1))\n  sleep 1\ndone\nexec \"$@\"\n");
    expect(a.prediction.processTree?.argv).toEqual(["redis-server"]);
    expect(a.prediction.truncated).toBeNull();
  });
  test("while true with a body that changes nothing is endless: the shell stays PID 1", () => {
    const a = run("while true; do\n  sleep 5\ndone\nexec \"$@\"\n");
    expect(a.prediction.processTree?.argv[0]).toBe("/bin/sh");
  });
  test("a counter whose bound is only known at run time is widened: no truncation, the exec is reached", () => {
    const a = run('n=0\nwhile kill -0 1 && [ $n -lt "$ATTEMPTS" ]; do\n  n=$((n+1))\n  if nc -z db 5432; then break; fi\n  sleep 1\ndone\nexec "$@"\n');
    expect(a.prediction.truncated).toBeNull();
    expect(a.prediction.processTree?.argv).toEqual(["redis-server"]);
  });
});

describe("the working directory", () => {
  test("cd in two branches: the paths are kept apart, each runs its own ./run.sh", () => {
    const dockerfile = 'FROM debian:bookworm\nCOPY e.sh /e.sh\nCOPY r1.sh /app/dev/run.sh\nCOPY r2.sh /app/prod/run.sh\nENTRYPOINT ["/e.sh"]\n';
    const files = {
      "e.sh": { content: '#!/bin/sh\nif [ -n "$DEV" ]; then cd /app/dev; else cd /app/prod; fi\nexec ./run.sh\n', mode: 0o755 },
      "r1.sh": { content: "#!/bin/sh\nexec redis-server\n", mode: 0o755 },
      "r2.sh": { content: "#!/bin/sh\nexec sleep infinity\n", mode: 0o755 },
    };
    const a = analyze(buildModel(dockerfile, { context: memoryFs(files) }));
    expect(scenarios(a)).toEqual({
      "when DEV is set": ["redis-server", "runs", "graceful"],
      "when DEV is empty or unset": ["sleep", "runs", "killed"],
    });
  });
});
