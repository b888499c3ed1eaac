// The CLI end to end, as a subprocess of the bundled bin: exit codes, inputs, config, pragmas, formats.
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, test } from "vitest";
import { ANSI, cli, findExecutable, FIXTURES, reportErrors, requireBundle, ROOT, sarifErrors, skipNote, tmpdir } from "./helpers.js";

beforeAll(() => requireBundle());

const MKFIFO = findExecutable("mkfifo");

const SEED = "test-images/seed-args-without-exec/Dockerfile";
const json = (args: string[], opts: Parameters<typeof cli>[1] = {}) => {
  const r = cli(["--format", "json", ...args], opts);
  const report = JSON.parse(r.stdout);
  expect(reportErrors(report)).toEqual([]);
  return { ...r, report };
};
const sarif = (args: string[], opts: Parameters<typeof cli>[1] = {}) => {
  const r = cli(["--format", "sarif", ...args], opts);
  const doc = JSON.parse(r.stdout);
  expect(sarifErrors(doc)).toEqual([]);
  return { ...r, doc };
};

describe("exit codes", () => {
  test("1: findings at or above the threshold", () => {
    const r = json([SEED]);
    expect(r.code).toBe(1);
    expect(r.report.results[0].command.argv).toEqual(["/entrypoint.sh", "nginx", "-g", "daemon off;"]);
    expect(r.report.results[0].findings.map((f: { ruleId: string }) => f.ruleId)).toContain("shell-stays-pid1");
  });
  test("0: nothing at or above the threshold (--fail-on none, or a clean Dockerfile)", () => {
    expect(cli([SEED, "--fail-on", "none"]).code).toBe(0);
    const dir = tmpdir({ Dockerfile: "FROM nginx:1.27\n" });
    const r = json([], { cwd: dir });
    expect(r.report.results[0].findings.filter((f: { severity: string }) => f.severity === "error")).toEqual([]);
    expect(r.code).toBe(0);
  });
  test("--fail-on warning counts warnings", () => {
    const f = "test-images/seed-phpfpm-background-nginx/Dockerfile";
    expect(cli([f]).code).toBe(0);
    expect(cli([f, "--fail-on", "warning"]).code).toBe(1);
    expect(cli([f, "--fail-on=info"]).code).toBe(1);
  });
  test("2: usage errors, with a message and no stack trace", () => {
    for (const args of [["--bogus"], ["--format", "xml"], ["--fail-on", "never"], ["--stop-timeout", "soon"], ["--build-arg", "=x"], ["--base-config", "nginx"], ["--target"], ["-", "-"], ["--context", "/nonexistent-dir-xyz", SEED]]) {
      const r = cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^audit-image: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
  test.skipIf(!MKFIFO)(`2: unreadable input (a FIFO is never opened for reading, so no hang)${skipNote("mkfifo", MKFIFO)}`, () => {
    const dir = tmpdir();
    execFileSync(MKFIFO!, [path.join(dir, "Dockerfile")]);
    const r = json(["Dockerfile"], { cwd: dir, timeout: 10000 });
    expect(r.code).toBe(2);
    expect(r.report.errors[0]).toMatchObject({ file: "Dockerfile", code: "not-a-file" });
  });
  test("2: a --target that does not exist", () => {
    const r = json([SEED, "--target", "nope"]);
    expect(r.code).toBe(2);
    expect(r.report.errors[0].code).toBe("no-such-target");
  });
  test("3: no Dockerfile found", () => {
    const empty = tmpdir({ "README.md": "hi" });
    const r = cli([], { cwd: empty });
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/no Dockerfile/);
    expect(json([empty]).code).toBe(3);
    expect(json(["does/not/exist"]).code).toBe(3);
  });
  test("4: a Dockerfile that cannot be parsed", () => {
    const dir = tmpdir({ Dockerfile: "FROM alpine\nCOPY <<EOF /x.sh\necho hi\n" });
    const r = json([], { cwd: dir });
    expect(r.code).toBe(4);
    expect(r.report.errors[0]).toMatchObject({ code: "unterminated-heredoc", line: 2 });
  });
});

describe("inputs", () => {
  test("stdin (-), with the working directory as context", () => {
    const text = fs.readFileSync(path.join(ROOT, SEED), "utf8");
    const r = json(["-"], { input: text, cwd: path.join(FIXTURES, "seed-args-without-exec") });
    expect(r.code).toBe(1);
    expect(r.report.results[0].file).toBe("<stdin>");
    expect(r.report.results[0].findings.find((f: { ruleId: string }) => f.ruleId === "shell-stays-pid1").file).toBe("entrypoint.sh");
  });
  test("--context: script findings are repo paths", () => {
    const r = json(["-", "--context", "test-images/seed-args-without-exec"], { input: fs.readFileSync(path.join(ROOT, SEED)) });
    const f = r.report.results[0].findings.find((x: { ruleId: string }) => x.ruleId === "shell-stays-pid1");
    expect(f.file).toBe("test-images/seed-args-without-exec/entrypoint.sh");
    expect(r.report.results[0].context).toBe("test-images/seed-args-without-exec");
  });
  test("a directory is scanned recursively, skipping .git and node_modules", () => {
    const dir = tmpdir({
      "a/Dockerfile": "FROM nginx:1.27\n",
      "b/api.Dockerfile": "FROM nginx:1.27\n",
      "c/Dockerfile.dev": "FROM nginx:1.27\n",
      "node_modules/x/Dockerfile": "FROM nginx:1.27\n",
      ".git/Dockerfile": "FROM nginx:1.27\n",
      "d/notes.md": "Dockerfile",
    });
    const r = json(["."], { cwd: dir });
    expect(r.report.results.map((x: { file: string }) => x.file)).toEqual(["a/Dockerfile", "b/api.Dockerfile", "c/Dockerfile.dev"]);
  });
  test("the whole test-images directory: every result valid, exit 1", () => {
    const r = json(["test-images"]);
    expect(r.code).not.toBe(0);
    expect(r.report.results.length).toBeGreaterThanOrEqual(60);
    const s = sarif(["test-images"]);
    expect(s.doc.runs[0].results.length).toBeGreaterThan(50);
  });
  test("--build-arg and --target", () => {
    const dir = tmpdir({ Dockerfile: 'ARG BASE=alpine:3.20\nFROM ${BASE} AS one\nCMD ["sleep","1"]\nFROM nginx:1.27 AS two\n' });
    const r = json(["--target", "one", "--build-arg", "BASE=debian:bookworm"], { cwd: dir });
    expect(r.report.results[0].stage).toMatchObject({ index: 0, name: "one" });
    expect(r.report.results[0].baseImage.ref).toBe("debian:bookworm");
  });
  test("--base-config IMAGE=FILE", () => {
    const dir = tmpdir({
      Dockerfile: "FROM mycorp/app:1\n",
      "inspect.json": JSON.stringify([{ Config: { Entrypoint: ["/usr/bin/myapp"], Cmd: ["--serve"], StopSignal: "SIGINT", Env: ["PATH=/usr/bin"] } }]),
    });
    const r = json(["--base-config", "mycorp/app:1=inspect.json"], { cwd: dir });
    const res = r.report.results[0];
    expect(res.command.argv).toEqual(["/usr/bin/myapp", "--serve"]);
    expect(res.command.entrypoint.inherited).toEqual({ from: "base-config", image: "mycorp/app:1" });
    expect(res.stopSignal).toBe("SIGINT");
    expect(cli(["--base-config", "x=nope.json"], { cwd: dir }).code).toBe(2);
  });
  test("--output FILE", () => {
    const dir = tmpdir();
    const out = path.join(dir, "report.json");
    const r = cli(["--format", "json", "--output", out, SEED]);
    expect(r.stdout).toBe("");
    expect(reportErrors(JSON.parse(fs.readFileSync(out, "utf8")))).toEqual([]);
  });
});

describe("command provenance (issue 2)", () => {
  test("entrypoint/cmd give form, value, line, inherited or reset", () => {
    const r = json(["test-images/df-inherited-cmd-reset/Dockerfile"]).report.results[0];
    expect(r.command.cmd?.reset).toBe(true);
    const s = json(["test-images/df-shell-entrypoint-ignores-cmd/Dockerfile"]).report.results[0];
    expect(s.command.entrypoint.form).toBe("shell");
    expect(s.command.cmd.ignored).toBe(true);
    const m = json(["test-images/seed-phpfpm-background-nginx/Dockerfile"]).report.results[0];
    expect(m.command.entrypoint).toMatchObject({ form: "exec", inherited: { from: "base-image", image: "nginx:1.27" }, line: null });
    expect(m.command.cmd).toMatchObject({ form: "exec", value: ["/start.sh"], line: 3, inherited: null, reset: false, ignored: false });
  });
});

describe("configuration", () => {
  const seedDir = () =>
    tmpdir({
      Dockerfile: fs.readFileSync(path.join(ROOT, SEED), "utf8"),
      "entrypoint.sh": fs.readFileSync(path.join(FIXTURES, "seed-args-without-exec/entrypoint.sh"), "utf8"),
    });
  test(".audit-image.json is found from the working directory upward", () => {
    const dir = seedDir();
    fs.writeFileSync(path.join(dir, ".audit-image.json"), JSON.stringify({ rules: { "shell-stays-pid1": "off" }, stopTimeout: 3 }));
    fs.mkdirSync(path.join(dir, "sub"));
    const r = json(["../Dockerfile"], { cwd: path.join(dir, "sub") });
    expect(r.report.results[0].findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain("shell-stays-pid1");
    expect(r.report.results[0].stop.gracePeriod).toBe(3);
    expect(json(["--no-config", "../Dockerfile"], { cwd: path.join(dir, "sub") }).report.results[0].stop.gracePeriod).toBe(10);
  });
  test("severity override, failOn, platform k8s, --stop-timeout wins", () => {
    const dir = seedDir();
    fs.writeFileSync(path.join(dir, "cfg.json"), JSON.stringify({ rules: { "shell-stays-pid1": "info" }, failOn: "warning", platform: "k8s" }));
    const r = json(["--config", "cfg.json"], { cwd: dir });
    expect(r.report.results[0].findings.find((f: { ruleId: string }) => f.ruleId === "shell-stays-pid1").severity).toBe("info");
    expect(r.report.results[0].stop.gracePeriod).toBe(30);
    expect(json(["--config", "cfg.json", "--stop-timeout", "5"], { cwd: dir }).report.results[0].stop.gracePeriod).toBe(5);
    expect(json(["--platform", "k8s", "--no-config"], { cwd: dir }).report.results[0].stop.gracePeriod).toBe(30);
  });
  test("baseImages extend the catalog", () => {
    const dir = tmpdir({
      Dockerfile: "FROM mycorp/base:2\nCMD sleep infinity\n",
      ".audit-image.json": JSON.stringify({
        baseImages: [{ repository: "mycorp/base", variants: [{ tags: ["*"], config: { entrypoint: null, cmd: null, stopSignal: null, user: null, workingDir: null, env: { PATH: "/bin" }, shell: null }, binSh: "busybox", shells: ["/bin/sh"] }] }],
      }),
    });
    const r = json([], { cwd: dir }).report.results[0];
    expect(r.baseImage).toMatchObject({ kind: "catalog", binSh: "busybox" });
  });
  test("an invalid config is a usage error with the field named; unknown rules warn", () => {
    const dir = seedDir();
    fs.writeFileSync(path.join(dir, ".audit-image.json"), JSON.stringify({ failOn: "sometimes" }));
    const r = cli([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.audit-image\.json: failOn: must be one of/);
    fs.writeFileSync(path.join(dir, ".audit-image.json"), "{ not json");
    expect(cli([], { cwd: dir }).stderr).toMatch(/invalid JSON/);
    fs.writeFileSync(path.join(dir, ".audit-image.json"), JSON.stringify({ rules: { "no-such-rule": "off", DL3025: "off" } }));
    const w = cli(["--format", "json"], { cwd: dir });
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/warning: .*unknown rule "no-such-rule"/);
  });
});

describe("pragmas", () => {
  test("# audit-image ignore= before a script command; unknown ids warn", () => {
    const dir = tmpdir({
      Dockerfile: fs.readFileSync(path.join(ROOT, SEED), "utf8"),
      "entrypoint.sh": '#!/bin/sh\nset -e\n# audit-image ignore=shell-stays-pid1 nginx is stopped by the orchestrator\n"$@"\n',
    });
    const r = json([], { cwd: dir }).report.results[0];
    expect(r.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain("shell-stays-pid1");
    expect(r.suppressed).toBe(1);
    fs.writeFileSync(path.join(dir, "entrypoint.sh"), '#!/bin/sh\n# audit-image ignore=shell-stays-pid, bogus-rule\n"$@"\n');
    const u = json([], { cwd: dir });
    const ids = u.report.results[0].findings.map((f: { ruleId: string; line: number }) => `${f.ruleId}@${f.line}`);
    expect(ids).toContain("unknown-rule@2");
    expect(ids).toContain("shell-stays-pid1@3");
  });
  test("# audit-image global ignore= in the Dockerfile, and # hadolint ignore=DL3025", () => {
    const dir = tmpdir({ Dockerfile: "FROM debian:bookworm\n# hadolint ignore=DL3025,DL3008\nCMD redis-server --port 6380\n" });
    const before = json(["--no-config"], { cwd: dir }).report.results[0].findings.map((f: { ruleId: string }) => f.ruleId);
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM debian:bookworm\nCMD redis-server --port 6380\n");
    const plain = json([], { cwd: dir }).report.results[0].findings.map((f: { ruleId: string }) => f.ruleId);
    expect(plain).toContain("shell-form-cmd");
    expect(before).not.toContain("shell-form-cmd");
    expect(before).not.toContain("unknown-rule"); // hadolint's own checks are not ours to judge
    fs.writeFileSync(path.join(dir, "Dockerfile"), "# audit-image global ignore=shell-form-cmd\nFROM debian:bookworm\nCMD redis-server --port 6380\n");
    expect(json([], { cwd: dir }).report.results[0].findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain("shell-form-cmd");
  });
});

describe("formats", () => {
  test("tty: 80 columns, no colour when stdout is not a terminal; --color forces it; NO_COLOR wins", () => {
    for (const f of ["seed-args-without-exec", "seed-phpfpm-background-nginx", "sh-debug-scenario", "seed-supervisord", "seed-trap-usr1-pkill", "official-postgres-style", "df-heredoc-entrypoint"]) {
      const r = cli([`test-images/${f}/Dockerfile`]);
      expect(r.stdout).not.toMatch(ANSI);
      const long = r.stdout.split("\n").filter((l) => [...l].length > 80);
      expect(long, f).toEqual([]);
      expect(r.stdout).toMatch(/Process tree|Command/);
    }
    const c = cli(["--color", SEED]);
    expect(c.stdout).toMatch(ANSI);
    expect(c.stdout.replace(/\x1b\[[0-9;]*m/g, "").split("\n").filter((l) => [...l].length > 80)).toEqual([]);
    expect(cli(["--color", SEED], { env: { NO_COLOR: "1" } }).stdout).not.toMatch(ANSI);
  });
  test("tty shows the tree, the stop timeline, the finding with its code frame and fix", () => {
    const out = cli([SEED]).stdout;
    expect(out).toContain("└─ 2 nginx -g 'daemon off;'");
    expect(out).toMatch(/docker stop → SIGQUIT to PID 1/);
    expect(out).toMatch(/SIGKILL after 10 s/);
    expect(out).toMatch(/> 4 │ "\$@"/);
    expect(out).toContain('write: exec "$@"');
    const sc = cli(["test-images/sh-debug-scenario/Dockerfile"]).stdout;
    expect(sc).toMatch(/Scenarios/);
    expect(sc).toMatch(/when DEBUG is set/);
  });
  test("--quiet prints findings only", () => {
    const r = cli(["--quiet", SEED]);
    expect(r.stdout).not.toMatch(/Process tree/);
    expect(r.stdout).toMatch(/shell-stays-pid1/);
  });
  test("sarif: rules with help, levels, fingerprints, script locations with the Dockerfile as related", () => {
    const { doc } = sarif([SEED]);
    const run = doc.runs[0];
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === "shell-stays-pid1");
    expect(rule).toMatchObject({ defaultConfiguration: { level: "error" } });
    expect(rule.help.text.length).toBeGreaterThan(10);
    expect(rule.help.markdown.length).toBeGreaterThan(10);
    expect(run.tool.driver.rules.find((r: { id: string }) => r.id === "shell-form-cmd").properties.tags).toContain("DL3025");
    const res = run.results.find((r: { ruleId: string }) => r.ruleId === "shell-stays-pid1");
    expect(run.tool.driver.rules[res.ruleIndex].id).toBe("shell-stays-pid1");
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe("test-images/seed-args-without-exec/entrypoint.sh");
    expect(res.relatedLocations.some((l: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }) => l.physicalLocation.artifactLocation.uri.endsWith("Dockerfile") && l.physicalLocation.region.startLine === 3)).toBe(true);
    expect(res.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{32}:1$/);
    expect(sarif([SEED]).doc.runs[0].results[0].partialFingerprints).toEqual(run.results[0].partialFingerprints);
  });
  test("github: workflow commands", () => {
    const r = cli(["--format", "github", SEED]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=test-images\/seed-args-without-exec\/entrypoint.sh,line=4,col=1,title=audit-image shell-stays-pid1::sh stays PID 1/m);
    expect(r.stdout).toContain("%0AFix: ");
  });
  test("--print-schema, --version, --help", () => {
    const s = cli(["--print-schema"]);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout)).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "packages/cli/schema/report.schema.json"), "utf8")));
    const v = cli(["--version"]);
    expect(v.stdout).toMatch(/^audit-image \d+\.\d+\.\d+\n$/);
    const h = cli(["--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/Usage: audit-image/);
    expect(h.stdout.split("\n").filter((l) => l.length > 80)).toEqual([]);
  });
  test("verify is dispatched to the verify module", () => {
    const r = cli(["verify", "--help"]);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe("the bundle", () => {
  test("ships V8 code caches for itself and for mvdan-sh (the build's cache run must reach mvdan-sh)", () => {
    // Since the fast shell parser, a fixture script alone no longer loads mvdan-sh: without its cache, every
    // script that needs mvdan-sh would compile 1.5 MB of GopherJS from source.
    for (const f of ["audit-image.cjs", "audit-image.v8cache", "mvdan-sh.v8cache"]) {
      expect(fs.statSync(path.join(ROOT, "packages/cli/dist/bundle", f)).size).toBeGreaterThan(100_000);
    }
  });
  test("a script only mvdan-sh parses (a backquote) is analyzed like any other", () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, "Dockerfile"), 'FROM debian:bookworm\nCOPY --chmod=755 e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n');
    fs.writeFileSync(path.join(dir, "e.sh"), '#!/bin/sh\necho "started at `date`"\nexec "$@"\n');
    const r = cli(["--format", "json", "--no-config", path.join(dir, "Dockerfile")]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).results[0].processTree.argv).toEqual(["redis-server"]);
  });
});
