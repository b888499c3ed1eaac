// The GitHub Action (action.yml, composite): its steps run as the runner runs them, by
// scripts/run-action.mjs (bash for `run:` steps, expressions and `if:` evaluated, `uses:` recorded), against a
// fixture repository: a service whose entrypoint forgets `exec` and one that stops gracefully.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { runAction } from "../../../scripts/run-action.mjs";
import { requireBundle, ROOT, sarifErrors, skipNote, tmpdir } from "./helpers.js";

const yaml = spawnSync("python3", ["-c", "import yaml"]).status === 0 ? "python3" : null;

function fixtureRepo(): string {
  const dir = tmpdir({
    "services/api/Dockerfile": fs.readFileSync(path.join(ROOT, "test-images/seed-args-without-exec/Dockerfile"), "utf8"),
    "services/api/entrypoint.sh": fs.readFileSync(path.join(ROOT, "test-images/seed-args-without-exec/entrypoint.sh"), "utf8"),
    "services/web/Containerfile": 'FROM nginx:1.27\nCMD ["nginx", "-g", "daemon off;"]\n',
  });
  fs.mkdirSync(path.join(dir, ".git"));
  return dir;
}
interface Step { name: string; id: string | null; ran: boolean; exitCode?: number; outputs?: Record<string, string>; stdout?: string; stderr?: string; uses?: string; with?: Record<string, string> }
const step = (r: { steps: Step[] }, name: RegExp) => r.steps.find((s) => name.test(s.name))!;

describe.skipIf(!yaml)(`the GitHub Action${skipNote("python3 with PyYAML (to read action.yml)", yaml)}`, () => {
  test("defaults: annotations on the pull request, the job fails with exit 1 on the error, no SARIF", () => {
    requireBundle();
    const ws = fixtureRepo();
    const r = runAction({ workspace: ws });
    expect(step(r, /^Install/)).toMatchObject({ ran: true, exitCode: 0, outputs: { bin: path.join(ROOT, "packages/cli/bin/audit-image.js") } });
    const run = step(r, /^Run/);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^::error file=services\/api\/entrypoint\.sh,line=4,col=1,title=audit-image shell-stays-pid1::/m);
    expect(step(r, /^Upload/).uses).toBeUndefined();
    expect(step(r, /^Fail/)).toMatchObject({ ran: true, exitCode: 1 });
    expect(r.outputs).toEqual({ "exit-code": "1", "sarif-file": "" });
    expect(r.failed).toBe(true);
  });

  test("upload-sarif with fail-on none: SARIF relative to the repository root goes to upload-sarif, the job passes", () => {
    const ws = fixtureRepo();
    const r = runAction({ workspace: ws, inputs: { "upload-sarif": "true", "fail-on": "none" } });
    const upload = step(r, /^Upload/);
    expect(upload.uses).toBe("github/codeql-action/upload-sarif@v3");
    expect(upload.with).toEqual({ sarif_file: "audit-image.sarif", category: "audit-image" });
    const sarif = JSON.parse(fs.readFileSync(path.join(ws, "audit-image.sarif"), "utf8"));
    expect(sarifErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri)).toEqual(["services/api/entrypoint.sh"]);
    expect(step(r, /^Fail/).ran).toBe(false);
    expect(r.outputs["exit-code"]).toBe("0");
    expect(r.failed).toBe(false);
  });

  test("paths, format and config inputs reach the tool", () => {
    const ws = fixtureRepo();
    fs.writeFileSync(path.join(ws, "ci.audit-image.json"), JSON.stringify({ rules: { "shell-stays-pid1": "warning" } }));
    const r = runAction({ workspace: ws, inputs: { paths: "services/web\nservices/api/Dockerfile", format: "json", config: "ci.audit-image.json" } });
    const report = JSON.parse(step(r, /^Run/).stdout!);
    expect(report.results.map((x: any) => x.file)).toEqual(["services/web/Containerfile", "services/api/Dockerfile"]);
    expect(report.results[1].findings.map((f: any) => [f.ruleId, f.severity])).toEqual([["shell-stays-pid1", "warning"]]);
    expect(r.outputs["exit-code"]).toBe("0");
    const warn = runAction({ workspace: ws, inputs: { config: "ci.audit-image.json", "fail-on": "warning" } });
    expect(warn.outputs["exit-code"]).toBe("1");
  });

  test("version: the npm package instead of the action's source (here a tarball of npm pack)", () => {
    const ws = fixtureRepo();
    const packed = spawnSync("npm", ["pack", "--pack-destination", ws, "--silent"], { cwd: path.join(ROOT, "packages/cli"), encoding: "utf8" });
    expect(packed.status).toBe(0);
    const tgz = path.join(ws, packed.stdout.trim().split("\n").pop()!);
    const r = runAction({ workspace: ws, inputs: { version: tgz, "fail-on": "none", format: "json" } });
    const install = step(r, /^Install/);
    expect(install.exitCode).toBe(0);
    expect(install.outputs!.bin).toMatch(/audit-image-npm\/node_modules\/\.bin\/audit-image$/);
    expect(install.stdout).toMatch(/^audit-image 0\.1\.0$/m);
    expect(JSON.parse(step(r, /^Run/).stdout!).results.map((x: any) => x.findings.map((f: any) => f.ruleId).join())).toEqual(["shell-stays-pid1", ""]);
  }, 120000);

  test("exit codes the findings threshold does not cover still fail the job (no Dockerfile: 3)", () => {
    const ws = fixtureRepo();
    const r = runAction({ workspace: ws, inputs: { paths: "nowhere", "fail-on": "none" } });
    expect(step(r, /^Fail/)).toMatchObject({ ran: true, exitCode: 3 });
  });
});

test("action.yml has the inputs the README shows, and the README example grants security-events: write", () => {
  const text = fs.readFileSync(path.join(ROOT, "action.yml"), "utf8");
  for (const input of ["paths", "format", "fail-on", "config", "upload-sarif"]) expect(text).toMatch(new RegExp(`^  ${input}:$`, "m"));
  expect(text).toMatch(/^  using: composite$/m);
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const example = /<!-- the Action example -->\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  expect(example).toMatch(/permissions:\n(\s+)contents: read\n\1security-events: write/);
  expect(example).toMatch(/uses: audit-image\/audit-image@/);
  expect(example).toMatch(/upload-sarif: true/);
});
