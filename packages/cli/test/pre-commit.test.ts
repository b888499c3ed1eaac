// .pre-commit-hooks.yaml: the hooks' file patterns agree with the directory scan, and their entries, run as
// pre-commit runs a `script` hook (the entry's words, then the matching files, from the repository root),
// audit what they should. scripts/pre-commit-test.sh (in .ci/run) runs them under pre-commit itself.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { isDockerfileName } from "../src/audit.js";
import { requireBundle, ROOT, skipNote, tmpdir } from "./helpers.js";

const python = spawnSync("python3", ["-c", "import yaml"]).status === 0 ? "python3" : null;
interface Hook { id: string; entry: string; language: string; files?: string; exclude?: string; types?: string[]; require_serial?: boolean }
const hooks = (): Hook[] => {
  const r = spawnSync("python3", ["-c", "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"], { input: fs.readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8"), encoding: "utf8" });
  return JSON.parse(r.stdout) as Hook[];
};
// identify's `shell` tag, for the files of this test: a .sh/.bash name, or an sh/bash shebang
const isShell = (dir: string, f: string) => /\.(sh|bash)$/.test(f) || /^#!\s*\S*\/(env\s+)?(sh|bash|dash|ash)\b/.test(fs.readFileSync(path.join(dir, f), "utf8"));
const selects = (h: Hook, dir: string, f: string) =>
  (!h.files || new RegExp(h.files).test(f)) && !(h.exclude && new RegExp(h.exclude).test(f)) && (!h.types?.includes("shell") || isShell(dir, f));

function runHook(h: Hook, dir: string, files: string[]) {
  const chosen = files.filter((f) => selects(h, dir, f));
  const [cmd, ...args] = h.entry.split(/\s+/);
  const r = spawnSync(path.join(ROOT, cmd!), [...args, ...chosen], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { chosen, status: r.status, out: r.stdout + r.stderr };
}

describe.skipIf(!python)(`.pre-commit-hooks.yaml${skipNote("python3 with PyYAML (to read the hooks)", python)}`, () => {
  test("two script hooks, serial: Dockerfiles/Containerfiles, and entrypoint scripts", () => {
    const hs = hooks();
    expect(hs.map((h) => [h.id, h.language, h.require_serial])).toEqual([["audit-image", "script", true], ["audit-image-entrypoints", "script", true]]);
    expect(hs[1]!.entry).toMatch(/--scripts$/);
    expect(hs[1]!.types).toEqual(["shell"]);
  });

  test("the Dockerfile hook's pattern picks the names the directory scan finds", () => {
    const h = hooks()[0]!;
    const names = ["Dockerfile", "Containerfile", "Dockerfile.dev", "Containerfile.fedora", "api.Dockerfile", "api.dockerfile", "web.containerfile", "web.Containerfile",
      "Dockerfile.md", "Dockerfile.orig", "notes.txt", "Dockerfiles", "myDockerfile", "docker-compose.yml", "Containerfile-old"];
    for (const n of names) for (const p of [n, `sub/dir/${n}`]) expect(selects(h, ROOT, p), p).toBe(isDockerfileName(n));
  });

  test("the entries: a changed Dockerfile is audited; a changed script audits the Dockerfiles that run it", () => {
    requireBundle();
    const dir = tmpdir({
      "services/api/Dockerfile": fs.readFileSync(path.join(ROOT, "test-images/seed-args-without-exec/Dockerfile"), "utf8"),
      "services/api/entrypoint.sh": fs.readFileSync(path.join(ROOT, "test-images/seed-args-without-exec/entrypoint.sh"), "utf8"),
      "services/web/Containerfile": 'FROM nginx:1.27\nCMD ["nginx", "-g", "daemon off;"]\n',
      "tools/lint.sh": '#!/bin/sh\nexec shellcheck "$@"\n',
      "README.md": "# x\n",
    });
    const files = ["README.md", "services/api/Dockerfile", "services/api/entrypoint.sh", "services/web/Containerfile", "tools/lint.sh"];
    const [dockerfiles, scripts] = hooks();
    const a = runHook(dockerfiles!, dir, files);
    expect(a.chosen).toEqual(["services/api/Dockerfile", "services/web/Containerfile"]);
    expect(a.status).toBe(1);
    expect(a.out).toMatch(/shell-stays-pid1 +services\/api\/entrypoint\.sh:4/);
    const b = runHook(scripts!, dir, files);
    expect(b.chosen).toEqual(["services/api/entrypoint.sh", "tools/lint.sh"]);
    expect(b.status).toBe(1);
    expect(b.out.match(/^━━ \S+/gm)).toEqual(["━━ services/api/Dockerfile"]);
    const c = runHook(scripts!, dir, ["tools/lint.sh"]);
    expect([c.status, c.out.trim()]).toEqual([0, "No Dockerfile was audited.\naudit-image: --scripts: no Dockerfile here runs tools/lint.sh"]);
    fs.writeFileSync(path.join(dir, "services/api/entrypoint.sh"), '#!/bin/sh\necho "preparing"\nexec "$@"\n');
    expect(runHook(scripts!, dir, ["services/api/entrypoint.sh"]).status).toBe(0);
  });
});
