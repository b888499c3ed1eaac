// The names people use: Containerfile and *.containerfile in a directory scan; BuildKit's `# check=skip=`
// parser directive honoured like the hadolint pragmas; the rules' hadolint/BuildKit aliases in the JSON
// report; SARIF paths relative to the repository root (or --sarif-root), so fingerprints do not depend on
// the directory the tool ran from.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { cli, reportErrors, sarifErrors, tmpdir } from "./helpers.js";

const SHELL_FORM = 'FROM nginx:1.27\nCMD nginx -g "daemon off;"\n';
// Two findings: dead-instruction (a BuildKit check, MultipleInstructionsDisallowed) and shell-stays-pid1 (none).
const TWO_CMDS = 'FROM nginx:1.27\nCOPY --chmod=755 e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["x"]\nCMD ["nginx", "-g", "daemon off;"]\n';
const SCRIPT = '#!/bin/sh\necho start\n"$@"\n';
const json = (dir: string, args: string[]) => {
  const r = cli(["--format", "json", "--fail-on", "none", "--no-config", ...args], { cwd: dir });
  expect(r.stderr).toBe("");
  const report = JSON.parse(r.stdout);
  expect(reportErrors(report)).toEqual([]);
  return report;
};
const rulesOf = (report: any) => report.results.map((r: any) => r.findings.map((f: any) => f.ruleId).sort().join(","));

describe("Containerfile names", () => {
  test("a directory scan finds Containerfile, *.containerfile, Containerfile.* and *.dockerfile beside the Docker names", () => {
    const dir = tmpdir({
      "Containerfile": SHELL_FORM,
      "api.containerfile": SHELL_FORM,
      "web/Containerfile.fedora": SHELL_FORM,
      "worker.dockerfile": SHELL_FORM,
      "Dockerfile.dev": SHELL_FORM,
      "Containerfile.md": "# not one\n",
      "containerfile-notes.txt": "not one\n",
    });
    const report = json(dir, ["."]);
    expect(report.results.map((r: any) => r.file)).toEqual(["Containerfile", "Dockerfile.dev", "api.containerfile", "web/Containerfile.fedora", "worker.dockerfile"]);
  });

  test("without a PATH: ./Dockerfile, else ./Containerfile", () => {
    const dir = tmpdir({ "Containerfile": SHELL_FORM });
    expect(json(dir, []).results.map((r: any) => r.file)).toEqual(["Containerfile"]);
    fs.writeFileSync(path.join(dir, "Dockerfile"), SHELL_FORM);
    expect(json(dir, []).results.map((r: any) => r.file)).toEqual(["Dockerfile"]);
  });
});

describe("BuildKit's check directive", () => {
  const cases: [string, string, string][] = [
    ["no directive", SHELL_FORM, "shell-form-cmd"],
    ["skip=JSONArgsRecommended after a syntax directive", `# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\n\n${SHELL_FORM}`, ""],
    ["skip=all", `# check=skip=all\n${SHELL_FORM}`, ""],
    ["after a #! line", `#!/usr/bin/env -S docker build -f\n# check=skip=all\n${SHELL_FORM}`, ""],
    ["keys in any case, spaces around =, error= beside skip", `#  CHECK = error=true;skip=StageNameCasing,JSONArgsRecommended\n${SHELL_FORM}`, ""],
    ["the value ends at its first space, as BuildKit cuts it", `# check=skip=StageNameCasing, JSONArgsRecommended\n${SHELL_FORM}`, "shell-form-cmd"],
    ["a check name in the wrong case skips nothing (names are case-sensitive)", `# check=skip=jsonargsrecommended\n${SHELL_FORM}`, "shell-form-cmd"],
    ["a hadolint code is not a BuildKit check", `# check=skip=DL3025\n${SHELL_FORM}`, "shell-form-cmd"],
    ["after a blank line it is the comment of FROM only", `\n# check=skip=all\n${SHELL_FORM}`, "shell-form-cmd"],
    ["after another comment it is the comment of FROM only", `# my image\n# check=skip=all\n${SHELL_FORM}`, "shell-form-cmd"],
    ["before an instruction: that instruction (BuildKit since 2025-11)", `FROM nginx:1.27\n# check=skip=JSONArgsRecommended\n\nCMD nginx -g "daemon off;"\n`, ""],
    ["before another instruction: not this one", `FROM nginx:1.27\n# check=skip=JSONArgsRecommended\nENV A=1\nCMD nginx -g "daemon off;"\n`, "shell-form-cmd"],
  ];
  for (const [title, text, expected] of cases)
    test(title, () => {
      const dir = tmpdir({ Dockerfile: text });
      const report = json(dir, ["Dockerfile"]);
      expect(rulesOf(report)).toEqual([expected]);
      expect(report.results[0].suppressed).toBe(expected ? 0 : 1);
    });

  test("--build-arg BUILDKIT_DOCKERFILE_CHECK takes the place of the directive, as in docker build", () => {
    const dir = tmpdir({ Dockerfile: `# check=skip=JSONArgsRecommended\n${SHELL_FORM}` });
    expect(rulesOf(json(dir, ["--build-arg", "BUILDKIT_DOCKERFILE_CHECK=error=true", "Dockerfile"]))).toEqual(["shell-form-cmd"]);
    fs.writeFileSync(path.join(dir, "Dockerfile"), SHELL_FORM);
    expect(rulesOf(json(dir, ["--build-arg", "BUILDKIT_DOCKERFILE_CHECK=skip=all", "Dockerfile"]))).toEqual([""]);
  });

  test("skip=all skips the rules that are BuildKit checks, not audit-image's own (shell-stays-pid1 has no BuildKit name)", () => {
    const dir = tmpdir({ Dockerfile: `# check=skip=all\n${TWO_CMDS}`, "e.sh": SCRIPT });
    const report = json(dir, ["Dockerfile"]);
    expect(rulesOf(report)).toEqual(["shell-stays-pid1"]);
    expect(report.results[0].suppressed).toBe(1);
  });
});

describe("aliases in the JSON report", () => {
  test("a finding carries its rule's hadolint and BuildKit names; one without aliases has none", () => {
    const dir = tmpdir({ Dockerfile: TWO_CMDS, "e.sh": SCRIPT });
    const report = json(dir, ["Dockerfile"]);
    const byRule = Object.fromEntries(report.results[0].findings.map((f: any) => [f.ruleId, f.aliases ?? null]));
    expect(byRule).toEqual({ "dead-instruction": { hadolint: ["DL4003", "DL4004"], buildkit: ["MultipleInstructionsDisallowed"] }, "shell-stays-pid1": null });
    const shellForm = json(tmpdir({ Dockerfile: SHELL_FORM }), ["Dockerfile"]).results[0].findings[0];
    expect(shellForm.aliases).toEqual({ hadolint: ["DL3025"], buildkit: ["JSONArgsRecommended"] });
  });
});

describe("SARIF paths relative to the repository root", () => {
  const repo = () => {
    const dir = tmpdir({ "svc/Dockerfile": 'FROM nginx:1.27\nCOPY --chmod=755 e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n', "svc/e.sh": SCRIPT });
    fs.mkdirSync(path.join(dir, ".git"));
    return dir;
  };
  const sarif = (cwd: string, args: string[]) => {
    const r = cli(["--format", "sarif", "--fail-on", "none", "--no-config", ...args], { cwd });
    const doc = JSON.parse(r.stdout);
    expect(sarifErrors(doc)).toEqual([]);
    return doc.runs[0].results.map((x: any) => [x.locations[0].physicalLocation.artifactLocation.uri, x.partialFingerprints.primaryLocationLineHash]);
  };

  test("the same URIs and fingerprints from the repository root and from a subdirectory", () => {
    const dir = repo();
    const fromRoot = sarif(dir, ["svc"]);
    const fromSub = sarif(path.join(dir, "svc"), ["."]);
    expect(fromRoot.map((x: string[]) => x[0])).toEqual(["svc/e.sh"]);
    expect(fromSub).toEqual(fromRoot);
  });

  test("--sarif-root: relative to that directory; a file outside it gets an absolute file: URI", () => {
    const dir = repo();
    expect(sarif(dir, ["--sarif-root", "svc", "svc"]).map((x: string[]) => x[0])).toEqual(["e.sh"]);
    const outside = sarif(dir, ["--sarif-root", "elsewhere", "svc"]).map((x: string[]) => x[0]);
    expect(outside).toEqual([`file://${path.join(dir, "svc/e.sh")}`]);
  });
});

describe("the aliases are real names", () => {
  // BuildKit's checks, as moby/buildkit frontend/dockerfile/linter/ruleset.go names them (2026-08 master).
  const BUILDKIT_CHECKS = new Set([
    "StageNameCasing", "FromAsCasing", "NoEmptyContinuation", "ConsistentInstructionCasing", "DuplicateStageName", "ReservedStageName",
    "JSONArgsRecommended", "MaintainerDeprecated", "UndefinedArgInFrom", "WorkdirRelativePath", "UndefinedVar", "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat", "InvalidBaseImagePlatform", "RedundantTargetPlatform", "SecretsUsedInArgOrEnv", "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed", "CopyIgnoredFile", "InvalidDefinitionDescription", "ExposeProtoCasing", "ExposeInvalidFormat",
  ]);
  test("every alias is hadolint's DLnnnn, ShellCheck's SCnnnn or a BuildKit check name", async () => {
    const { allRules } = await import("audit-image");
    for (const r of allRules) for (const a of r.meta.aliases) expect(/^(DL|SC)\d{4}$/.test(a) || BUILDKIT_CHECKS.has(a), `${r.meta.id}: ${a}`).toBe(true);
  });
});

describe("GitHub annotations relative to the repository root", () => {
  test("from a subdirectory, the file= paths are the repository's", () => {
    const dir = tmpdir({ "svc/Dockerfile": 'FROM nginx:1.27\nCOPY --chmod=755 e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n', "svc/e.sh": SCRIPT });
    fs.mkdirSync(path.join(dir, ".git"));
    const fromSub = cli(["--format", "github", "--no-config", "."], { cwd: path.join(dir, "svc") });
    const fromRoot = cli(["--format", "github", "--no-config", "svc"], { cwd: dir });
    expect(fromSub.stdout).toMatch(/^::error file=svc\/e\.sh,line=3,/m);
    expect(fromSub.stdout).toBe(fromRoot.stdout);
  });
});
