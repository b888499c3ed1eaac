// Where the container runs: docker run flags (and, below, Compose files and Kubernetes manifests) change
// what runs as PID 1 and how it stops. Each rule of Docker's is measured on the engine (docs/deployments.md).
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { audit, type Deployment } from "audit-image";
import { cli, reportErrors, requireBundle, tmpdir } from "./helpers.js";

beforeAll(() => requireBundle());

const run = (d: Partial<Deployment>): Deployment => ({ kind: "docker-run", file: "<command line>", ...d });
const at = <T>(value: T) => ({ value, line: null });

async function one(text: string, deployment?: Deployment, files: Record<string, string> = {}) {
  const dir = tmpdir({ Dockerfile: text, ...files });
  for (const f of Object.keys(files)) if (f.endsWith(".sh")) fs.chmodSync(path.join(dir, f), 0o755);
  const report = await audit({ path: path.join(dir, "Dockerfile") }, { config: false, cwd: dir, ...(deployment ? { deployment } : {}) });
  expect(reportErrors(report)).toEqual([]);
  return report.results[0]!;
}

const WRAPPER = 'FROM debian:12\nCOPY run.sh /run.sh\nENTRYPOINT ["/run.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n';
const RUN_SH = '#!/bin/sh\nset -e\necho start\n"$@"\n';

describe("docker run flags", () => {
  test("--entrypoint is one executable and drops the image's CMD (measured: Config.Cmd null)", async () => {
    const r = await one(WRAPPER, run({ entrypoint: at(["nginx"]) }), { "run.sh": RUN_SH });
    expect(r.command.argv).toEqual(["nginx"]);
    expect(r.command.cmd).toBeNull();
    expect(r.command.entrypoint?.inherited).toEqual({ from: "deployment", file: "<command line>", line: null });
    expect(r.deployment).toEqual({ kind: "docker-run", file: "<command line>" });
  });
  test("--entrypoint '' with a command: the command alone (measured: Path x, Args [y])", async () => {
    const r = await one(WRAPPER, run({ entrypoint: at([]), command: at(["nginx", "-g", "daemon off;"]) }), { "run.sh": RUN_SH });
    expect(r.command.argv).toEqual(["nginx", "-g", "daemon off;"]);
    expect(r.processTree?.argv).toEqual(["nginx", "-g", "daemon off;"]);
  });
  test("--entrypoint '' alone: no command (measured: \"No command specified\")", async () => {
    const r = await one(WRAPPER, run({ entrypoint: at([]) }), { "run.sh": RUN_SH });
    expect(r.command.argv).toBeNull();
    expect(r.lifecycle.state).toBe("fails");
  });
  test("the command after the image replaces CMD and keeps the ENTRYPOINT", async () => {
    const r = await one(WRAPPER, run({ command: at(["redis-server"]) }), { "run.sh": RUN_SH });
    expect(r.command.argv).toEqual(["/run.sh", "redis-server"]);
  });
  test("--init: docker-init -- argv as PID 1 (measured: docker top shows /sbin/docker-init -- …)", async () => {
    const r = await one(WRAPPER, run({ init: at(true) }), { "run.sh": RUN_SH });
    expect(r.command.argv).toEqual(["/sbin/docker-init", "--", "/run.sh", "nginx", "-g", "daemon off;"]);
    expect(r.processTree).toMatchObject({ pid: 1, program: "tini", role: "init", children: [{ pid: 2, role: "shell" }] });
    // The shell no longer is PID 1: shell-stays-pid1 does not hold; the shell dies of TERM and nginx is killed with tini.
    expect(r.findings.map((f) => f.ruleId)).not.toContain("shell-stays-pid1");
    expect(r.stop.outcome).toBe("abrupt");
    expect(r.deployment?.init).toBe(true);
  });
  test("--stop-signal over STOPSIGNAL, --user", async () => {
    const r = await one('FROM debian:12\nSTOPSIGNAL SIGINT\nCMD ["nginx", "-g", "daemon off;"]\n', run({ stopSignal: at("SIGQUIT"), user: at("www-data") }));
    expect(r.stopSignal).toBe("SIGQUIT");
    expect(r.stop.signal).toBe("SIGQUIT");
    expect(r.stop.outcome).toBe("graceful");
  });
  test("-t / -i: a bare shell waits on its stdin; an interactive one (tty) ignores TERM (measured: exit 137 with -t, with and without --init)", async () => {
    const plain = await one('FROM debian:12\nCMD ["bash"]\n');
    expect(plain.lifecycle.state).toBe("exits");
    const tty = await one('FROM debian:12\nCMD ["bash"]\n', run({ tty: at(true) }));
    expect(tty.lifecycle.state).toBe("runs");
    expect(tty.stop).toMatchObject({ outcome: "killed", exitCode: 137 });
    const ttyInit = await one('FROM debian:12\nCMD ["bash"]\n', run({ tty: at(true), init: at(true) }));
    expect(ttyInit.stop).toMatchObject({ outcome: "killed", exitCode: 137 });
    const open = await one('FROM debian:12\nCMD ["bash"]\n', run({ stdin: at(true) }));
    expect(open.lifecycle.state).toBe("runs");
    expect(open.stop.outcome).toBe("killed"); // PID 1 without a handler (measured: exit 137)
    const openInit = await one('FROM debian:12\nCMD ["bash"]\n', run({ stdin: at(true), init: at(true) }));
    expect(openInit.stop.outcome).toBe("graceful"); // a non-interactive shell dies of TERM as tini's child (measured: exit 143 at once)
  });
});

describe("docker run flags on the command line", () => {
  test("--init, --entrypoint, --stop-signal, -u, -t and the command after --", () => {
    const dir = tmpdir({ Dockerfile: WRAPPER, "run.sh": RUN_SH });
    fs.chmodSync(path.join(dir, "run.sh"), 0o755);
    const r = cli(["--format", "json", "--no-config", "--init", "--entrypoint", "nginx", "--stop-signal", "3", "-u", "1000", "Dockerfile", "--", "-g", "daemon off;"], { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(reportErrors(report)).toEqual([]);
    const res = report.results[0];
    expect(res.command.argv).toEqual(["/sbin/docker-init", "--", "nginx", "-g", "daemon off;"]);
    expect(res.stopSignal).toBe("SIGQUIT");
    expect(res.deployment).toEqual({ kind: "docker-run", file: "<command line>", init: true });
    const tty = cli(["--no-config", "--no-color", "-t", "--entrypoint", "bash", "Dockerfile"], { cwd: dir });
    expect(tty.stdout).toMatch(/docker run flags/);
    expect(tty.stdout).toMatch(/ENTRYPOINT \["bash"\] +exec form · docker run flag/);
    expect(cli(["--stop-signal", "NOPE", "Dockerfile"], { cwd: dir }).code).toBe(2);
  });
});

describe("Compose (rules measured with docker-compose 1.29.2 on the engine)", () => {
  const project = (files: Record<string, string>) => {
    const dir = tmpdir(files);
    for (const f of Object.keys(files)) if (f.endsWith(".sh")) fs.chmodSync(path.join(dir, f), 0o755);
    return dir;
  };
  const results = async (dir: string, file = "compose.yaml", service?: string) => {
    const report = await audit({ path: path.join(dir, file) }, { config: false, cwd: dir, ...(service ? { service } : {}) });
    return report;
  };
  test("each service is a result with its deployment; build: uses the context, Dockerfile, target and args", async () => {
    const dir = project({
      "compose.yaml": "services:\n  web:\n    build:\n      context: app\n      dockerfile: web.Dockerfile\n      target: final\n      args:\n        CMDNAME: nginx\n    init: true\n    stop_grace_period: 1m30s\n  cache:\n    image: redis:7\n",
      "app/web.Dockerfile": 'FROM debian:12 AS final\nARG CMDNAME\nCOPY run.sh /run.sh\nENTRYPOINT ["/run.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n',
      "app/run.sh": RUN_SH,
    });
    fs.chmodSync(path.join(dir, "app/run.sh"), 0o755);
    const report = await results(dir);
    expect(reportErrors(report)).toEqual([]);
    expect(report.errors).toEqual([]);
    const [web, cache] = report.results;
    expect(web!.deployment).toEqual({ kind: "compose", file: "compose.yaml", service: "web", line: 2, init: true });
    expect(web!.file).toBe("app/web.Dockerfile");
    expect(web!.command.argv).toEqual(["/sbin/docker-init", "--", "/run.sh", "nginx", "-g", "daemon off;"]);
    expect(web!.stop.gracePeriod).toBe(90);
    expect(cache!.deployment).toMatchObject({ service: "cache" });
    expect(cache!.file).toBe("compose.yaml");
    expect(cache!.processTree?.argv[0]).toBe("redis-server");
  });
  test("entrypoint: clears the image's CMD; a string is split into words with no shell; ${VAR} from .env, $$ a literal $", async () => {
    const dir = project({
      "compose.yaml": "services:\n  a:\n    build: .\n    entrypoint: /bin/sh -c 'exec \"$$0\"' nginx\n  b:\n    build: .\n    command: echo \"a b\" ${WHO} $$HOME\n",
      ".env": "WHO=from-dotenv\n",
      Dockerfile: 'FROM debian:12\nENTRYPOINT ["/bin/echo", "ep"]\nCMD ["cmd1", "cmd2"]\n',
    });
    const report = await results(dir);
    const [a, b] = report.results;
    // measured: Path /bin/sh, Args ["-c","echo \"$0 $1\"","x y"] (no cmd1 cmd2)
    expect(a!.command.argv).toEqual(["/bin/sh", "-c", 'exec "$0"', "nginx"]);
    expect(a!.command.cmd).toBeNull();
    expect(a!.command.entrypoint?.inherited).toEqual({ from: "deployment", file: "compose.yaml", line: 4 });
    // measured: Path /bin/echo, Args ["ep","echo","a b","from-dotenv","$HOME"]
    expect(b!.command.argv).toEqual(["/bin/echo", "ep", "echo", "a b", "from-dotenv", "$HOME"]);
  });
  test("environment and env_file pick the script's branch; user, working_dir, stop_signal; extends and compose.override.yaml", async () => {
    const dir = project({
      "compose.yaml": "services:\n  web:\n    extends:\n      file: base.yml\n      service: common\n    build: .\n    env_file: web.env\n    environment:\n      - MODE=direct\n",
      "compose.override.yaml": "services:\n  web:\n    user: \"1000\"\n",
      "base.yml": "services:\n  common:\n    stop_signal: QUIT\n    working_dir: /srv\n",
      "web.env": "export MODE=wrapped\nOTHER=\"x\"\n",
      Dockerfile: 'FROM debian:12\nCOPY run.sh /run.sh\nENTRYPOINT ["/run.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n',
      "run.sh": '#!/bin/sh\nif [ "$MODE" = direct ]; then exec "$@"; fi\n"$@"\n',
    });
    // A directory scan finds compose.yaml and merges compose.override.yaml over it (Compose's default files).
    const report = await audit({ path: dir }, { config: false, cwd: dir });
    const web = report.results.find((r) => r.deployment?.service === "web")!;
    expect(web.stopSignal).toBe("SIGQUIT");
    expect(web.stopSignalFrom?.inherited).toEqual({ from: "deployment", file: "base.yml", line: 3 });
    expect(web.processTree?.argv).toEqual(["nginx", "-g", "daemon off;"]);
    expect(web.scenarios).toEqual([]);
    expect(web.notes.join("\n")).not.toMatch(/MODE is not known/);
    expect(report.results.filter((r) => r.deployment?.kind === "compose")).toHaveLength(1);
  });
  test("--service picks one; an unknown one is an error that names the others", async () => {
    const dir = project({ "compose.yaml": "services:\n  a:\n    image: redis:7\n  b:\n    image: nginx:1.27\n" });
    expect((await results(dir, "compose.yaml", "b")).results.map((r) => r.deployment?.service)).toEqual(["b"]);
    const bad = await results(dir, "compose.yaml", "zz");
    expect(bad.errors[0]).toMatchObject({ code: "no-such-target", message: expect.stringMatching(/there are: a, b/) });
  });
  test("tty: true keeps a bare shell running; stdin_open alone too", async () => {
    const dir = project({ "compose.yaml": "services:\n  t:\n    image: debian:12\n    command: bash\n    tty: true\n  n:\n    image: debian:12\n    command: bash\n" });
    const [t, n] = (await results(dir)).results;
    expect(t!.lifecycle.state).toBe("runs");
    expect(t!.stop.outcome).toBe("killed");
    expect(n!.lifecycle.state).toBe("exits");
  });
  test("a file that is not YAML, or has no services, is an error, never a crash", async () => {
    const dir = project({ "compose.yaml": "services: [\n", "docker-compose.yml": "version: '3'\n" });
    expect((await results(dir)).errors[0]).toMatchObject({ file: "compose.yaml", code: "manifest-syntax" });
    expect((await results(dir, "docker-compose.yml")).errors[0]).toMatchObject({ code: "not-found", message: expect.stringMatching(/no services/) });
    expect(cli(["--no-config", "compose.yaml"], { cwd: dir }).code).toBe(4);
    expect(cli(["--no-config", "docker-compose.yml"], { cwd: dir }).code).toBe(3);
  });
});

describe("Kubernetes (rules documented by Kubernetes; shared PID namespace reproduced with docker run --pid container:)", () => {
  const manifest = async (text: string, files: Record<string, string> = {}, opts: { config?: object } = {}) => {
    const dir = tmpdir({ "k8s.yaml": text, ...files });
    for (const f of Object.keys(files)) if (f.endsWith(".sh")) fs.chmodSync(path.join(dir, f), 0o755);
    const report = await audit({ path: path.join(dir, "k8s.yaml") }, { config: opts.config ?? false, cwd: dir });
    expect(reportErrors(report)).toEqual([]);
    return report;
  };
  const POD = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;
  test("every workload kind and container is a result; command drops the image's CMD, args replaces it; $(VAR) from env", async () => {
    const text = [
      POD("  containers:\n    - name: a\n      image: nginx:1.27\n      command: [\"/docker-entrypoint.sh\"]\n"),
      "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: b\n              image: nginx:1.27\n              args: [\"nginx\", \"-g\", \"$(OPTS)\", \"$(NOPE)\", \"$$(OPTS)\"]\n              env:\n                - name: OPTS\n                  value: daemon off;\n",
    ].join("---\n");
    const r = await manifest(text);
    expect(r.results.map((x) => x.deployment)).toEqual([
      { kind: "kubernetes", file: "k8s.yaml", workload: "pod/p", container: "a", line: 7 },
      { kind: "kubernetes", file: "k8s.yaml", workload: "cronjob/cj", container: "b", line: 21 },
    ]);
    expect(r.results[0]!.command.argv).toEqual(["/docker-entrypoint.sh"]);
    expect(r.results[1]!.command.argv).toEqual(["/docker-entrypoint.sh", "nginx", "-g", "daemon off;", "$(NOPE)", "$(OPTS)"]);
    expect(r.results[1]!.notes.join("\n")).toMatch(/\$\(NOPE\) is not a variable/);
  });
  test("grace 30 s by default; preStop sleep counts against it; the stop signal is the image's unless lifecycle.stopSignal", async () => {
    const r = await manifest(POD("  terminationGracePeriodSeconds: 20\n  containers:\n    - name: a\n      image: nginx:1.27\n      lifecycle:\n        stopSignal: SIGTERM\n        preStop:\n          sleep:\n            seconds: 15\n    - name: b\n      image: nginx:1.27\n"));
    const [a, b] = r.results;
    expect(a!.stop).toMatchObject({ signal: "SIGTERM", gracePeriod: 20, preStop: { kind: "sleep", seconds: 15, signalAfter: 15, killAfter: 20 } });
    expect(a!.stopSignalFrom?.inherited).toMatchObject({ from: "deployment", file: "k8s.yaml" });
    expect(b!.stop).toMatchObject({ signal: "SIGQUIT", gracePeriod: 20 });
    expect(b!.stop.preStop).toBeUndefined();
    const dflt = await manifest(POD("  containers:\n    - name: a\n      image: nginx:1.27\n"));
    expect(dflt.results[0]!.stop.gracePeriod).toBe(30);
  });
  test("shareProcessNamespace: pause is PID 1; a shell that was PID 1 now dies of TERM at once and the service is killed with it (measured with --pid container:)", async () => {
    const r = await manifest(POD("  shareProcessNamespace: true\n  containers:\n    - name: a\n      image: debian:12\n      command: [\"sh\", \"-c\", \"nginx -g 'daemon off;'; echo done\"]\n"));
    const a = r.results[0]!;
    expect(a.processTree).toMatchObject({ pid: 2, argv: ["sh", "-c", "nginx -g 'daemon off;'; echo done"] });
    expect(a.stop.outcome).toBe("abrupt");
    expect(a.zombiesReaped).toBe(true);
    expect(a.deployment?.sharedPid).toBe(true);
  });
  test("an image the config maps to its Dockerfile is audited from it; runAsUser; the tty picture names workload/container", async () => {
    const dir = tmpdir({
      "k8s.yaml": POD("  securityContext:\n    runAsUser: 1000\n  containers:\n    - name: app\n      image: registry.example/app:1.2\n"),
      "app/Dockerfile": 'FROM debian:12\nCOPY run.sh /run.sh\nENTRYPOINT ["/run.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n',
      "app/run.sh": RUN_SH,
      ".audit-image.json": JSON.stringify({ images: { "registry.example/app": "app/Dockerfile" } }),
    });
    fs.chmodSync(path.join(dir, "app/run.sh"), 0o755);
    const report = await audit({ path: path.join(dir, "k8s.yaml") }, { cwd: dir });
    const res = report.results[0]!;
    expect(res.file).toBe("app/Dockerfile");
    expect(res.findings.map((f) => f.ruleId)).toContain("shell-stays-pid1");
    const tty = cli(["--no-color", "k8s.yaml"], { cwd: dir });
    expect(tty.stdout).toMatch(/━━ pod\/p\/app \(k8s\.yaml\)/);
    expect(tty.stdout).toMatch(/pod stop \(kubelet\) → SIGTERM to PID 1; SIGKILL after 30 s/);
  });
  test("not a manifest of workloads, or not YAML: an error, never a crash", async () => {
    const dir = tmpdir({ "a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", "b.yaml": "apiVersion: v1\nkind: Pod\nspec: [\n" });
    const a = await audit({ path: path.join(dir, "a.yaml") }, { config: false, cwd: dir });
    expect(a.errors[0]).toMatchObject({ code: "not-found", message: expect.stringMatching(/no Pod, Deployment/) });
    const b = await audit({ path: path.join(dir, "b.yaml") }, { config: false, cwd: dir });
    expect(b.errors[0]).toMatchObject({ code: "manifest-syntax" });
  });
});

describe("output of deployments", () => {
  test("findings the Compose file causes point at its lines (tty, SARIF); a pragma in the YAML suppresses one; the JSON is valid", () => {
    const dir = tmpdir({
      Dockerfile: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends tini nginx\nSTOPSIGNAL SIGQUIT\nENTRYPOINT ["tini", "--"]\nCMD ["nginx", "-g", "daemon off;"]\n',
      "compose.yaml": "services:\n  web:\n    build: .\n    # audit-image ignore=init-doubled we know\n    init: true\n  api:\n    build: .\n    init: true\n",
    });
    const json = JSON.parse(cli(["--no-config", "-f", "json", "--fail-on", "none", "compose.yaml"], { cwd: dir }).stdout);
    expect(reportErrors(json)).toEqual([]);
    expect(json.results.map((r: { findings: { ruleId: string; file: string; line: number }[] }) => r.findings.map((f) => `${f.ruleId}@${f.file}:${f.line}`))).toEqual([[], ["init-doubled@compose.yaml:8"]]);
    expect(json.results[0].suppressed).toBe(1);
    const sarif = JSON.parse(cli(["--no-config", "-f", "sarif", "compose.yaml"], { cwd: dir }).stdout);
    const loc = sarif.runs[0].results[0].locations[0].physicalLocation;
    expect([loc.artifactLocation.uri, loc.region.startLine]).toEqual(["compose.yaml", 8]);
    const tty = cli(["--no-config", "--no-color", "compose.yaml"], { cwd: dir }).stdout;
    expect(tty).toMatch(/━━ service api \(compose\.yaml\) · Dockerfile/);
    expect(tty).toMatch(/docker compose stop → SIGQUIT to PID 1/);
    expect(tty).toMatch(/2 results: /);
  });
});

describe("--compose-file: several files merged in order (measured: the later file's command and init win)", () => {
  test("a later file's list command replaces the first's, init: false over init: true", () => {
    const dir = tmpdir({
      Dockerfile: 'FROM debian:12\nENTRYPOINT ["/bin/echo", "ep"]\nCMD ["cmd1"]\n',
      "compose.yaml": "services:\n  b:\n    build: .\n    command: echo first\n    init: true\n",
      "override.yml": "services:\n  b:\n    command: [\"over\", \"ride\"]\n    init: false\n",
    });
    const r = JSON.parse(cli(["--no-config", "-f", "json", "--fail-on", "none", "--compose-file", "compose.yaml", "--compose-file", "override.yml"], { cwd: dir }).stdout);
    expect(reportErrors(r)).toEqual([]);
    expect(r.results).toHaveLength(1);
    expect(r.results[0].command.argv).toEqual(["/bin/echo", "ep", "over", "ride"]);
    expect(r.results[0].command.cmd.inherited).toEqual({ from: "deployment", file: "override.yml", line: 3 });
    expect(r.results[0].deployment.init).toBe(false);
  });
});
