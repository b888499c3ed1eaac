/**
 * The shape the namespace measurements of programs share (inits.ns, configs.ns): a list of specs, each an
 * argv run as PID 1 and a check of what was observed. All runnable specs are measured at once in
 * beforeAll; each spec is one `it`, grouped by its `group`; a spec whose program is missing is a visible skip.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { describeObserved, nsrunAll, type NsRunOptions, type NsRunResult } from "./nsrun.js";

export interface MeasuredSpec {
  id: string;
  group: string;
  title: string;
  /** The programs it runs, as findProgram() found them (null: not installed). */
  needs: (string | null)[];
  opts: NsRunOptions;
  check: (r: NsRunResult) => void;
}

export const runnable = (s: MeasuredSpec) => s.needs.every((n) => n !== null);

/** `title` (skipped, with the reason, when `unavailable` says why), the specs' `it`s, then `more` in the same describe. */
export function describeMeasured(title: string, unavailable: string | null, specs: MeasuredSpec[], concurrency: number, more?: () => void) {
  const results = new Map<string, NsRunResult>();
  describe.skipIf(unavailable !== null)(`${title}${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`, () => {
    beforeAll(async () => {
      const todo = specs.filter(runnable);
      const rs = await nsrunAll(todo.map((s) => s.opts), concurrency);
      todo.forEach((s, i) => results.set(s.id, rs[i]!));
    }, 240_000);

    for (const grp of [...new Set(specs.map((s) => s.group))]) {
      describe(grp, () => {
        for (const s of specs.filter((x) => x.group === grp)) {
          const missing = !runnable(s);
          it.skipIf(missing)(`${s.title}${missing ? " (SKIPPED: program missing)" : ""}`, () => checkMeasured(s.id, results.get(s.id), s.check));
        }
      });
    }
    more?.();
  });
}

/** The Debian package versions of the measured programs, for the catalog's sources ("not installed" when absent). */
export function dpkgVersions(pkgs: string[]): Record<string, string> {
  const one = (pkg: string) => {
    try {
      return execFileSync("dpkg-query", ["-W", "-f", "${Version}", pkg], { encoding: "utf8" }).trim();
    } catch {
      return "not installed";
    }
  };
  return Object.fromEntries(pkgs.map((p) => [p, one(p)]));
}

/** Runs a measurement's check; a failure shows what was observed next to the failed expectation. */
export function checkMeasured(id: string, r: NsRunResult | undefined, check: (r: NsRunResult) => void) {
  expect(r, "measurement did not run").toBeDefined();
  try {
    check(r!);
  } catch (e) {
    (e as Error).message += describeObserved(id, r!);
    throw e;
  }
}

/**
 * A scratch directory for a measurement file's programs and configs, and `file(name, body)` that writes one
 * there. Nothing is written when the measurements are skipped (no hook would clean it up then).
 */
export function scratchDir(label: string, unavailable: string | null): { dir: string; file: (name: string, body: string) => string } {
  const dir = unavailable ? join(tmpdir(), `audit-image-gt-${label}-skipped`) : mkdtempSync(join(tmpdir(), `audit-image-gt-${label}-`));
  const file = (name: string, body: string) => {
    const p = join(dir, name);
    if (!unavailable) {
      mkdirSync(join(p, ".."), { recursive: true });
      writeFileSync(p, body);
    }
    return p;
  };
  return { dir, file };
}
