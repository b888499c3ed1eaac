// The answer people read, end to end: the JSON headline and its preconditions, --env (as docker run -e),
// and the tty picture of a script that branches on run-time conditions.
import { beforeAll, describe, expect, test } from "vitest";
import { audit } from "audit-image";
import { cli, reportErrors, requireBundle, ROOT, tmpdir } from "./helpers.js";

beforeAll(() => requireBundle());

const GUARDS = "test-images/sh-guards-preconditions/Dockerfile";
const json = (args: string[], env?: Record<string, string | undefined>) => {
  const r = cli(["--format", "json", "--no-config", ...args], env ? { env } : {});
  const report = JSON.parse(r.stdout);
  expect(reportErrors(report)).toEqual([]);
  return { ...r, report, result: report.results[0] };
};

describe("the JSON headline", () => {
  test("names the scenario shown at the top, why, and the guards as its preconditions (schema 1.2.0)", () => {
    const { report, result, code } = json([GUARDS]);
    expect(code).toBe(0);
    expect(report.schemaVersion).toBe("1.4.0");
    expect(result.processTree.argv).toEqual(["redis-server"]);
    expect(result.headline).toEqual({
      scenario: 0,
      reason: "the only run that reaches the long-running service (redis-server)",
      preconditions: [
        { scenario: 1, outcome: "exits", exitCode: 1, condition: 'when REDIS_PASSWORD is empty or unset and ALLOW_EMPTY_PASSWORD is not "yes"', text: 'exits 1 when REDIS_PASSWORD is empty or unset and ALLOW_EMPTY_PASSWORD is not "yes"' },
        { scenario: 2, outcome: "exits", exitCode: 78, condition: "when REDIS_REPLICA_OF is set and REDIS_PRIMARY_PORT is empty or unset", text: "exits 78 when REDIS_REPLICA_OF is set and REDIS_PRIMARY_PORT is empty or unset" },
      ],
    });
    expect(result.scenarios[1].lifecycle).toMatchObject({ state: "exits", exitCode: 1 });
  });
  test("null without scenarios", () => {
    expect(json(["test-images/seed-args-without-exec/Dockerfile"]).result.headline).toBeNull();
  });
  test("a finding of several scenarios is one finding, with their indices", () => {
    const { result } = json(["test-images/sh-one-finding-two-runs/Dockerfile"]);
    const stays = result.findings.filter((f: { ruleId: string }) => f.ruleId === "shell-stays-pid1");
    expect(stays).toHaveLength(1);
    expect(stays[0].scenarios).toEqual([0, 2]);
    expect(stays[0].message).toMatch(/\(when RUN_MODE is not "direct"\)$/);
  });
});

describe("--env K=V, as docker run -e", () => {
  test("--env lists in --help (the eval scorer passes each pair's env once it does)", () => {
    expect(cli(["--help"]).stdout).toMatch(/^\s*--env\b/m);
  });
  test("decides a guard: its run is gone, and the notes say which environment was assumed", () => {
    const { result } = json([GUARDS, "--env", "REDIS_PASSWORD=s3cret"]);
    expect(result.scenarios.map((s: { condition: string }) => s.condition)).toEqual(["otherwise", "when REDIS_REPLICA_OF is set and REDIS_PRIMARY_PORT is empty or unset"]);
    expect(result.notes).toContain("the container's environment has REDIS_PASSWORD=s3cret (--env)");
  });
  test("repeatable, and -e and --env=K=V are the same option: every guard decided, one run", () => {
    const { result } = json([GUARDS, "-e", "ALLOW_EMPTY_PASSWORD=yes", "--env=REDIS_REPLICA_OF="]);
    expect(result.scenarios).toEqual([]);
    expect(result.headline).toBeNull();
    expect(result.processTree.argv).toEqual(["redis-server"]);
  });
  test("the other side of a guard: the container exits 1", () => {
    // REDIS_PASSWORD empty alone leaves the run with ALLOW_EMPTY_PASSWORD=yes open: still the headline.
    expect(json([GUARDS, "--env", "REDIS_PASSWORD="]).result.lifecycle.state).toBe("runs");
    const { result, code } = json([GUARDS, "--env", "REDIS_PASSWORD=", "--env", "ALLOW_EMPTY_PASSWORD=no"]);
    expect(result.scenarios).toEqual([]);
    expect(result.lifecycle).toMatchObject({ state: "exits", exitCode: 1 });
    expect(code).toBe(0);
  });
  test("--env K takes $K from the environment; an unset K is taken as empty, with a warning", () => {
    const given = json([GUARDS, "--env", "REDIS_PASSWORD"], { REDIS_PASSWORD: "from-env" });
    expect(given.result.notes).toContain("the container's environment has REDIS_PASSWORD=from-env (--env)");
    expect(given.stderr).toBe("");
    const missing = json([GUARDS, "--env", "REDIS_PASSWORD"], { REDIS_PASSWORD: undefined });
    expect(missing.stderr).toMatch(/warning: --env REDIS_PASSWORD: REDIS_PASSWORD is not set here, so docker run -e REDIS_PASSWORD would leave it unset in the container; the analysis takes it as empty/);
    expect(missing.result.notes).toContain("the container's environment has REDIS_PASSWORD= (--env)");
  });
  test("a bad name is a usage error", () => {
    for (const bad of ["=x", "A B=1"]) {
      const r = cli(["--env", bad, GUARDS]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--env expects NAME=VALUE or NAME/);
    }
  });
  test("the library takes env too", async () => {
    const r = await audit({ path: GUARDS }, { cwd: ROOT, config: false, env: { REDIS_PASSWORD: "x", REDIS_REPLICA_OF: "" } });
    expect(r.results[0]!.scenarios).toEqual([]);
    expect(r.results[0]!.processTree?.argv).toEqual(["redis-server"]);
  });
});

describe("the tty picture", () => {
  test("the headline's condition and reason, its preconditions under the tree, the others numbered", () => {
    const out = cli(["--no-config", GUARDS]).stdout;
    expect(out).toContain("Process tree (scenario 1 of 3)\n  ▸ otherwise: the only run that reaches the long-running service (redis-server)\n  1 redis-server");
    expect(out).toMatch(/Preconditions \(otherwise the container ends before the service starts\)\n    ✗ exits 1 when REDIS_PASSWORD is empty or unset and ALLOW_EMPTY_PASSWORD is\n      not "yes"\n    ✗ exits 78 when/);
    expect(out).toMatch(/▸ {2}2\. exits 1 when .* \(a precondition above\)/s);
  });
  test("a large entrypoint stays readable: a few scenarios, then how many more", () => {
    // Seven independent settings, each exec'ing a different service: eight runs.
    const script = ["#!/bin/sh", ...[1, 2, 3, 4, 5, 6, 7].map((i) => `if [ -n "$OPT${i}" ]; then exec redis-server --port 700${i}; fi`), 'exec "$@"', ""].join("\n");
    const dir = tmpdir({ Dockerfile: 'FROM debian:bookworm\nCOPY --chmod=755 e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n', "e.sh": script });
    const out = cli(["--no-config", `${dir}/Dockerfile`]).stdout;
    expect(out).toContain("Scenarios: 8 runs, depending on run-time conditions");
    expect(out).toContain("  … and 2 more scenarios (--format json lists them all)");
    expect(out.split("\n").length).toBeLessThan(90);
  });
});
