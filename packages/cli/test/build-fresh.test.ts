// The tests run the built CLI (dist/bundle) and the built library (dist/): a build made from other sources
// than the ones in the tree is an error (helpers.requireBundle), decided by content hashes of the inputs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { hashInputs, inputFiles, staleInputs, writeManifest } from "../../../scripts/build-inputs.mjs";
import { requireBundle } from "./helpers.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-image-build-inputs-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  fs.writeFileSync(path.join(tmp, rel), text);
};

describe("the build is the build of the sources in the tree", () => {
  test("this checkout: the CLI bundle and dist/ were built from the current sources (else run `node scripts/build.mjs`)", () => {
    expect(() => requireBundle()).not.toThrow();
  });

  test("a changed, added or removed input makes the build stale; tests and unrelated files do not", () => {
    write("tsconfig.base.json", "{}");
    write("packages/analyzer/src/a.ts", "export const a = 1;\n");
    write("packages/analyzer/src/a.test.ts", "test\n");
    write("packages/cli/src/data/x.json", "{}");
    write("packages/cli/schema/report.schema.json", "{}");
    write("docs/rules/r.md", "# r\n");
    write("docs/other.md", "not embedded\n");
    expect(inputFiles(tmp)).toEqual([
      "docs/rules/r.md",
      "packages/analyzer/src/a.ts",
      "packages/cli/schema/report.schema.json",
      "packages/cli/src/data/x.json",
      "tsconfig.base.json",
    ]);
    expect(staleInputs(tmp)).toEqual(["no packages/cli/dist/build-inputs.json (the build did not finish, or predates it)"]);
    writeManifest(tmp, hashInputs(tmp));
    expect(staleInputs(tmp)).toBeNull();

    write("packages/analyzer/src/a.test.ts", "changed test\n");
    write("docs/other.md", "changed\n");
    expect(staleInputs(tmp)).toBeNull();

    write("packages/analyzer/src/a.ts", "export const a = 2;\n");
    write("docs/rules/new.md", "# new\n");
    fs.rmSync(path.join(tmp, "packages/cli/src/data/x.json"));
    expect(staleInputs(tmp)).toEqual(["added: docs/rules/new.md", "changed: packages/analyzer/src/a.ts", "removed: packages/cli/src/data/x.json"]);
  });

  test("the same content with a new mtime is not stale (content, not dates, decides)", () => {
    const f = path.join(tmp, "packages/analyzer/src/a.ts");
    writeManifest(tmp, hashInputs(tmp));
    fs.utimesSync(f, new Date(), new Date(Date.now() + 3600_000));
    expect(staleInputs(tmp)).toBeNull();
  });
});
