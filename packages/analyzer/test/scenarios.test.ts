// Scenarios and the headline: which run the report leads with and why, the runs that end early as its
// preconditions, --env deciding conditions, honest unknowns where the interpreter lost track, and one
// finding for several scenarios.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze, conditionText, simplify, type AnalyzeOptions } from "../src/analyze.js";
import { compare, posixTest, setTestStatus, type Tri } from "../src/shell/test.js";
import { lit, unknown } from "../src/values.js";
import type { Path } from "../src/world.js";

const image = (script: string, cmd = '["nginx", "-g", "daemon off;"]', extra = "") =>
  buildModel(`FROM debian:bookworm-slim\nCOPY e.sh /e.sh\n${extra}ENTRYPOINT ["/e.sh"]\nCMD ${cmd}\n`, {
    file: "Dockerfile",
    context: memoryFs({ "e.sh": { content: script, mode: 0o755 } }),
  });
const run = (script: string, options: AnalyzeOptions = {}, cmd?: string, extra?: string) => analyze(image(script, cmd, extra), options);

const GUARD = '#!/bin/sh\nif [ -z "$PASSWORD" ]; then\n  echo "PASSWORD is required" >&2\n  exit 1\nfi\nexec "$@"\n';

describe("the headline is the run the image exists for", () => {
  test("a guard that exits: the service's run leads, the guard is its precondition", () => {
    const a = run(GUARD);
    const p = a.prediction;
    expect(p.processTree?.argv).toEqual(["nginx", "-g", "daemon off;"]);
    expect(p.lifecycle.state).toBe("runs");
    expect(p.scenarios.map((s) => s.condition)).toEqual(["when PASSWORD is set", "when PASSWORD is empty or unset"]);
    expect(p.headline).toEqual({
      scenario: 0,
      reason: "the only run that reaches the long-running service (nginx)",
      preconditions: [{ scenario: 1, outcome: "exits", exitCode: 1, condition: "when PASSWORD is empty or unset", text: "exits 1 when PASSWORD is empty or unset" }],
    });
    // An intended exit on a misconfiguration is not a finding.
    expect(a.findings.filter((f) => f.ruleId === "container-exits")).toEqual([]);
  });

  test("among runs that reach a service, the one that assumes the fewest run-time settings", () => {
    const a = run('#!/bin/sh\nif [ -n "$DEBUG" ]; then exec nginx-debug -g "daemon off;"; fi\nexec "$@"\n');
    expect(a.prediction.scenarios.map((s) => s.condition)).toEqual(["when DEBUG is empty or unset", "when DEBUG is set"]);
    expect(a.prediction.processTree?.argv[0]).toBe("nginx");
    expect(a.prediction.headline?.reason).toBe("of the 2 runs that reach a service, the one that assumes the fewest run-time settings");
    expect(a.prediction.headline?.preconditions).toEqual([]);
  });

  test("a run that reaches a service beats runs that assume less but never get there", () => {
    const a = run('#!/bin/sh\nif [ "$1" = "--help" ]; then echo usage; exit 0; fi\nif [ ! -s /data/ready ]; then echo not ready; exit 3; fi\nexec "$@"\n', {}, '["/usr/bin/myserver"]');
    const p = a.prediction;
    expect(p.processTree?.argv).toEqual(["/usr/bin/myserver"]);
    // An unknown program exec'd where the service goes counts as the service.
    expect(p.headline?.reason).toBe("the only run that reaches the long-running service (myserver)");
    expect(p.headline?.preconditions.map((x) => x.text)).toEqual(["exits 3 when /data/ready does not exist or is empty"]);
  });

  test("a shell under an init that waits for an unknown program is in the service's place, as at PID 1", () => {
    // tini -- script: the script (PID 2) runs the unknown program in the foreground in one run and
    // exits in the other; the run that waits for the program reaches the service, as it does at PID 1.
    const model = buildModel('FROM debian:bookworm-slim\nRUN apt-get install -y tini\nCOPY e.sh /e.sh\nENTRYPOINT ["tini", "--", "/e.sh"]\n', {
      file: "Dockerfile",
      context: memoryFs({ "e.sh": { content: '#!/bin/bash\nif [ -z "$MODE" ]; then echo usage; exit 0; fi\n/usr/bin/myserver --foreground\n', mode: 0o755 } }),
    });
    const p = analyze(model).prediction;
    expect(p.processTree?.argv[0]).toBe("tini");
    expect(p.processTree?.children[0]?.role).toBe("shell");
    expect(p.processTree?.children[0]?.children[0]?.argv).toEqual(["/usr/bin/myserver", "--foreground"]);
    expect(p.headline?.reason).toBe("the only run that reaches the long-running service (myserver)");
  });

  test("in a VOLUME, a file absent is the first run's assumption: the run that finds what an earlier run left leads", () => {
    // a config the first start's installer writes into a volume; every later start finds it and runs the service
    const script = '#!/bin/sh\nif [ -f /data/config.json ]; then exec myserver --config /data/config.json; fi\nexec myinstaller --write /data/config.json\n';
    const headline = (volume: string) => {
      const model = buildModel(`FROM debian:bookworm-slim\n${volume}COPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n`, { file: "Dockerfile", context: memoryFs({ "e.sh": { content: script, mode: 0o755 } }) });
      return analyze(model).prediction;
    };
    expect(headline('VOLUME ["/data"]\n').processTree?.argv[0]).toBe("myserver");
    expect(headline('VOLUME ["/data"]\n').scenarios[0]?.condition).toBe("when /data/config.json is a regular file");
    // without the volume, the file is an assumption and the run without it leads (a file present is set up by someone)
    expect(headline("").processTree?.argv[0]).toBe("myinstaller");
    // a volume elsewhere changes nothing
    expect(headline("VOLUME /srv\n").processTree?.argv[0]).toBe("myinstaller");
  });

  test("no run reaches a service: one that keeps running leads one that exits, even when it assumes more", () => {
    const a = run('#!/bin/sh\nif [ -n "$X" ]; then exit 2; fi\nif [ -n "$Y" ]; then exit 3; fi\nwhile :; do sleep 60; done\n', {}, '["true"]');
    const p = a.prediction;
    expect(p.lifecycle.state).toBe("runs");
    expect(p.scenarios[0]!.condition).toBe("when X is empty or unset and Y is empty or unset");
    expect(p.headline?.reason).toBe("no run is known to reach a service; this one keeps running, and of those it assumes the fewest run-time settings");
    expect(p.headline?.preconditions).toEqual([]);
  });

  test("no run reaches a service: the fewest assumptions lead, and nothing is called a precondition", () => {
    const a = run('#!/bin/sh\nif [ -n "$X" ]; then exit 2; fi\necho done\n', {}, '["true"]');
    // Two exits with different codes are two scenarios.
    expect(a.prediction.scenarios).toHaveLength(2);
    expect(a.prediction.scenarios[1]!.lifecycle.exitCode).toBe(2);
    expect(a.prediction.headline?.reason).toBe("no run is known to reach a service; this one assumes the fewest run-time settings");
    expect(a.prediction.headline?.preconditions).toEqual([]);
    expect(a.prediction.scenarios[0]!.condition).toBe("when X is empty or unset");
  });

  test("one scenario: no headline object", () => {
    const a = run('#!/bin/sh\nexec "$@"\n');
    expect(a.prediction.scenarios).toEqual([]);
    expect(a.prediction.headline).toBeNull();
  });
});

describe("env fixes variables of the container (docker run -e)", () => {
  test("the guard is decided: one run, no scenarios, and a note says so", () => {
    const a = run(GUARD, { env: { PASSWORD: "x" } });
    expect(a.prediction.scenarios).toEqual([]);
    expect(a.prediction.processTree?.argv[0]).toBe("nginx");
    expect(a.prediction.notes).toContain("the container's environment has PASSWORD=x (--env)");
  });
  test("an empty value takes the other branch", () => {
    const a = run(GUARD, { env: { PASSWORD: "" } });
    expect(a.prediction.scenarios).toEqual([]);
    expect(a.prediction.lifecycle).toMatchObject({ state: "exits", exitCode: 1 });
  });
  test("it overrides the image's ENV", () => {
    const a = run('#!/bin/sh\nif [ "$MODE" = "debug" ]; then exec nginx-debug -g "daemon off;"; fi\nexec "$@"\n', { env: { MODE: "debug" } }, undefined, "ENV MODE=prod\n");
    expect(a.prediction.processTree?.argv[0]).toBe("nginx-debug");
  });
});

describe("honest when lost: a run whose end is not known has an unknown outcome, never a SIGKILL", () => {
  test("the script is a command string only known at run time", () => {
    const a = analyze(buildModel('FROM debian:bookworm-slim\nENTRYPOINT ["/bin/bash", "-c", "exec bash \\"$APP_SCRIPT\\""]\n', { file: "Dockerfile", context: memoryFs({}) }));
    expect(a.prediction.lifecycle).toEqual({ state: "unknown", reason: "bash: the script $APP_SCRIPT is only known at run time" });
    expect(a.prediction.stop.outcome).toBe("unknown");
    expect(a.prediction.stop.exitCode).toBeNull();
    expect(a.findings.filter((f) => f.severity === "error")).toEqual([]);
  });
  test("the analysis is cut short: unknown, with the reason", () => {
    const script = "#!/bin/sh\n" + "i=0\n".repeat(40) + 'exec "$@"\n';
    const a = run(script, { limits: { maxSteps: 10 } });
    expect(a.prediction.truncated).not.toBeNull();
    expect(a.prediction.lifecycle.state).toBe("unknown");
    expect(a.prediction.lifecycle.reason).toMatch(/cut short/);
    expect(a.prediction.stop).toMatchObject({ outcome: "unknown", exitCode: null, deliveries: [] });
    expect(a.findings.filter((f) => f.severity === "error")).toEqual([]);
  });
});

describe("conditions of a scenario, simplified", () => {
  // The opposites come from the tests that made the sentences.
  const seen = (...tests: Tri[]) => tests.forEach((t) => setTestStatus({ conds: [] } as unknown as Path, t));
  const A = posixTest([lit("-n"), unknown("$A")]);
  const B = posixTest([lit("-n"), unknown("$B")]);
  const C = posixTest([lit("-n"), unknown("$C")]);
  seen(A, B, C);
  const [a, na, b, nb, c] = ["A is set", "A is empty or unset", "B is set", "B is empty or unset", "C is set"];
  test("A, or not A and B, is A, or B; A and B, or A and not B, is A", () => {
    expect(simplify([[a], [na, b]])).toEqual([[a], [b]]);
    expect(simplify([[a, b], [a, nb]])).toEqual([[a]]);
    expect(conditionText(simplify([[a], [na, b], [na, nb, c]]))).toBe("when A is set, or when B is set, or when C is set");
  });
  test("B and not B never holds; the same alternative twice is one", () => {
    expect(simplify([[a, b, nb], [na]])).toEqual([[na]]);
    expect(simplify([[a], [a]])).toEqual([[a]]);
  });
  test("a command's output is not a stable condition: two of them are never simplified away", () => {
    const out = compare(unknown("$(…)"), lit("x"), "=");
    seen(out);
    const [o, no] = ["a command's output is \"x\"", "a command's output is not \"x\""];
    expect(simplify([[o], [no]])).toEqual([[o], [no]]);
  });
  test("what every alternative holds is said once; no alternative left is otherwise", () => {
    expect(conditionText([[a, b], [a, c]])).toBe("when A is set, and either B is set or C is set");
    expect(conditionText([[a, b], [a, nb, c]])).toBe("when A is set, and either B is set or (B is empty or unset and C is set)");
    expect(conditionText([[], [a]])).toBe("otherwise");
    expect(conditionText([[a], []], "in other cases")).toBe("in other cases");
  });
  test("more than four alternatives: the rest are counted", () => {
    const alts = ["P", "Q", "R", "S", "T", "U"].map((x) => [`${x} is set`]);
    expect(conditionText(alts)).toBe("when P is set, or when Q is set, or when R is set, or when S is set, or in 2 more cases");
  });
});

describe("one finding, once", () => {
  test("the same finding in two scenarios is one finding naming both (their conditions simplified)", () => {
    const a = run('#!/bin/sh\nif [ "$MODE" = "exec" ]; then exec "$@"; fi\nif [ -n "$METRICS" ]; then sleep infinity & fi\n"$@"\n', {}, undefined, "STOPSIGNAL SIGQUIT\n");
    expect(a.prediction.scenarios).toHaveLength(3);
    const stays = a.findings.filter((f) => f.ruleId === "shell-stays-pid1");
    expect(stays).toHaveLength(1);
    expect(stays[0]!.scenarios).toEqual([0, 2]);
    expect(stays[0]!.message).toMatch(/\(when MODE is not "exec"\)$/);
  });
  test("a finding in every scenario says no condition", () => {
    const a = run('#!/bin/sh\nif [ -n "$METRICS" ]; then sleep infinity & fi\n"$@"\n', {}, undefined, "STOPSIGNAL SIGQUIT\n");
    expect(a.prediction.scenarios).toHaveLength(2);
    const stays = a.findings.filter((f) => f.ruleId === "shell-stays-pid1");
    expect(stays).toHaveLength(1);
    expect(stays[0]!.scenarios).toEqual([0, 1]);
    expect(stays[0]!.message).not.toMatch(/\(when|scenario/);
  });
});

describe("what the image as built decides, and commands whose status the script tests", () => {
  test("a file test on a file the build makes is decided; a file the build does not make stays a run-time condition", () => {
    const a = run(
      "#!/bin/sh\nif [ -e /use_apache ]; then\n  exec apache2 -DFOREGROUND\nelif [ -e /use_fpm ]; then\n  exec nginx -g 'daemon off;'\nfi\nexit 3\n",
      {},
      undefined,
      "RUN touch /use_fpm\n",
    );
    const p = a.prediction;
    expect(p.processTree?.argv[0]).toBe("nginx");
    // /use_fpm is there (the RUN touched it): no run exits 3. /use_apache may be mounted at run time.
    expect(p.scenarios.map((s) => s.condition)).toEqual(["when /use_apache does not exist", "when /use_apache exists"]);
    expect(p.scenarios.some((s) => s.lifecycle.state === "exits")).toBe(false);
  });

  test("-x and -f on a COPYed script are decided, -s on a file touched empty is not", () => {
    const a = run('#!/bin/sh\n[ -x /e.sh ] || exit 4\n[ -f ./e.sh ] || exit 5\nif [ -s /marker ]; then exit 6; fi\nexec "$@"\n', {}, undefined, "RUN touch /marker\nWORKDIR /\n");
    const states = a.prediction.scenarios.map((s) => [s.lifecycle.state, s.lifecycle.exitCode ?? null]);
    expect(states).toEqual([["runs", null], ["exits", 6]]);
  });

  test("a long-running program whose status the script tests (`until php /dbtest.php`) is taken to return: the loop ends, nothing is held there", () => {
    const a = run('#!/bin/bash\nuntil php /dbtest.php "$DB_HOST"; do\n  echo waiting\n  sleep 3\ndone\nexec "$@"\n');
    expect(a.prediction.truncated).toBeNull();
    expect(a.prediction.processTree?.argv[0]).toBe("nginx");
    expect(a.prediction.scenarios).toEqual([]);
  });

  test("a wrapper's command in a condition ends with it: `su -c \"$f\" || exit 1` in a read loop comes back to the same state", () => {
    const a = run('#!/bin/sh\nwhile read -r f; do\n  su -p www-data -s /bin/sh -c "$f" || exit 1\ndone\nexec "$@"\n');
    expect(a.prediction.truncated).toBeNull();
    expect(a.prediction.processTree?.argv[0]).toBe("nginx");
  });
});

describe("a subshell in the middle of the script", () => {
  test("its last command is not the end of the run: an unknown program there returns, and what it ran ends with it", () => {
    const a = run('#!/bin/bash\n( export A=1; sudo -u nobody envsubst < /a > /c )\n( cd /srv && appgen --write > /srv/out )\nexec "$@"\n', {}, undefined, "RUN apt-get update && apt-get install -y sudo\n");
    const p = a.prediction;
    expect(p.processTree?.argv[0]).toBe("nginx");
    expect(p.processTree?.children).toEqual([]);
    // nothing of the subshells is left behind to be SIGKILLed
    expect(p.stop.deliveries.map((d) => d.argv0)).toEqual(["nginx"]);
    expect(p.scenarios).toEqual([]);
  });
});
