// Fixtures: each directory of test-images/ is a build context with a Dockerfile and expected.json, the
// analyzer's own summary of it: a regression snapshot, of which the engine tier re-checks lifecycle, tree,
// stop outcome and exit code against a real engine (test-images/README.md).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyDeployment, buildModel, type DockerfileModel } from "@audit-image/dockerfile";
import type { RunFlags } from "../../packages/cli/src/args.js";
import { runDeployment } from "../../packages/cli/src/deploy/run-flags.js";
import { readCompose } from "../../packages/cli/src/deploy/compose.js";
import { readKubernetes } from "../../packages/cli/src/deploy/kubernetes.js";
import { analyze, type Analysis, type ProcessNode } from "@audit-image/analyzer";
import { diskContext } from "../../packages/cli/src/context-fs.js";

export const FIXTURES_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export interface FixtureOptions {
  target?: string;
  buildArgs?: Record<string, string>;
  dockerfile?: string;
  /** Engine tier: seconds of grace for docker stop (short for fixtures expected to end in SIGKILL). */
  stopTimeout?: number;
  /** Engine tier: skip with a reason (e.g. needs BuildKit heredocs that the engine lacks). */
  engineSkip?: string;
  /** Both: variables of the container's environment (the analysis's --env, the engine's docker run -e). */
  env?: Record<string, string>;
  /**
   * Engine tier: the run the engine makes (with `env` only) takes this scenario of `summary.scenarios`
   * rather than the headline; its lifecycle, PID 1 and stop outcome are compared (a guard that exits).
   */
  engineScenario?: number;
  /**
   * Both: docker run's own flags (--init, -t, -i, --entrypoint, --stop-signal, -u, and the command after the
   * image): the analysis audits the image as that `docker run` runs it; the engine runs it with those flags.
   */
  run?: RunFlags;
  /**
   * Both: the fixture is a Compose service (`file` in the fixture, `service` with `build: .`): the analysis
   * audits the Dockerfile as that service runs it; the engine tier lets Compose create the container.
   */
  compose?: { file: string; service: string };
  /**
   * Both: the fixture is a container of a Kubernetes manifest (`file`, `container`; its image is the fixture's
   * Dockerfile): the analysis audits it as that container runs it; the engine reproduces what docker can
   * (command, args, env, stopSignal, runAsUser, tty, stdin, and shareProcessNamespace as --pid container:),
   * not what the kubelet does (preStop, the grace period).
   */
  kubernetes?: { file: string; container: string };
}

export interface Expected {
  description: string;
  /** "engine": the engine tier ran the fixture and its engine-observed fields agreed (test-images/README.md); "pending": not yet. */
  observed: string;
  options?: FixtureOptions;
  summary: Summary;
}

/** What a fixture pins down: the resolved command, the tree, the stop, and the rules that fire. */
export interface Summary {
  argv: string[] | null;
  stopSignal: string | null;
  lifecycle: string;
  /** The process tree as nested [argv, role, children]. */
  tree: TreeShape | null;
  stop: { outcome: string; exitCode: number | null };
  zombiesReaped: boolean | null;
  scenarios: { condition: string; lifecycle: string; pid1: string[] | null; outcome: string }[];
  findings: string[];
  diagnostics: string[];
}
export type TreeShape = [string[], string, TreeShape[]];

export interface Fixture {
  name: string;
  dir: string;
  dockerfilePath: string;
  text: string;
  expected: Expected | null;
  options: FixtureOptions;
}

export function listFixtures(): Fixture[] {
  return fs
    .readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== "lib" && d.name !== "node_modules" && !d.name.startsWith("."))
    .map((d) => loadFixture(path.join(FIXTURES_DIR, d.name)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function loadFixture(dir: string): Fixture {
  const expPath = path.join(dir, "expected.json");
  const expected: Expected | null = fs.existsSync(expPath) ? JSON.parse(fs.readFileSync(expPath, "utf8")) : null;
  const options = expected?.options ?? {};
  const dockerfilePath = path.join(dir, options.dockerfile ?? "Dockerfile");
  return { name: path.basename(dir), dir, dockerfilePath, text: fs.readFileSync(dockerfilePath, "utf8"), expected, options };
}

export function analyzeFixture(f: Fixture, stopTimeout?: number): { model: DockerfileModel; analysis: Analysis } {
  const built = buildModel(f.text, {
    file: "Dockerfile",
    context: diskContext(f.dir),
    ...(f.options.target ? { target: f.options.target } : {}),
    ...(f.options.buildArgs ? { buildArgs: f.options.buildArgs } : {}),
  });
  const d = f.options.run ? runDeployment(f.options.run) : f.options.compose ? composeDeployment(f) : f.options.kubernetes ? kubernetesDeployment(f) : null;
  const model = d ? applyDeployment(built, d) : built;
  const analysis = analyze(model, { stopTimeout: stopTimeout ?? 10, ...(f.options.env ? { env: f.options.env } : {}) });
  return { model, analysis };
}

/** The deployment of a Compose fixture's service, read as the CLI reads the file. */
function composeDeployment(f: Fixture) {
  const c = f.options.compose!;
  const text = fs.readFileSync(path.join(f.dir, c.file), "utf8");
  const read = (rel: string) => (fs.existsSync(path.join(f.dir, rel)) ? fs.readFileSync(path.join(f.dir, rel), "utf8") : null);
  const svc = readCompose([{ file: c.file, text }], { read }).services.find((s) => s.name === c.service);
  if (!svc) throw new Error(`${f.name}: no service ${c.service} in ${c.file}`);
  return svc.deployment;
}

/** The deployment of a Kubernetes fixture's container, read as the CLI reads the manifest. */
export function kubernetesDeployment(f: Fixture) {
  const k = f.options.kubernetes!;
  const unit = readKubernetes(k.file, fs.readFileSync(path.join(f.dir, k.file), "utf8")).containers.find((u) => u.deployment.container === k.container);
  if (!unit) throw new Error(`${f.name}: no container ${k.container} in ${k.file}`);
  return unit.deployment;
}

export function treeShape(n: ProcessNode | null): TreeShape | null {
  return n ? [n.argv, n.role, n.children.map((c) => treeShape(c)!)] : null;
}

export function summarize(model: DockerfileModel, a: Analysis): Summary {
  const p = a.prediction;
  return {
    argv: model.command?.argv ?? null,
    stopSignal: model.config?.stopSignal.value ?? null,
    lifecycle: p.lifecycle.state,
    tree: treeShape(p.processTree),
    stop: { outcome: p.stop.outcome, exitCode: p.stop.exitCode },
    zombiesReaped: p.zombiesReaped,
    scenarios: p.scenarios.map((s) => ({ condition: s.condition, lifecycle: s.lifecycle.state, pid1: s.processTree?.argv ?? null, outcome: s.stop.outcome })),
    findings: [...new Set(a.findings.map((f) => `${f.ruleId}@${f.file}:${f.line}`))].sort(),
    diagnostics: model.diagnostics.map((d) => `${d.code}@${d.line ?? 0}`),
  };
}
