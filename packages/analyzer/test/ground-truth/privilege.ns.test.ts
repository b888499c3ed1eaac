/**
 * Ground truth for programs that need root: run by a user other than root (setpriv drops to uid 100, as an
 * image's `USER 100` does; no capability is kept, as Docker gives none to a non-root user), they fail with the
 * exit status the catalog's `failsWithoutRoot` records. As root the same command succeeds.
 *
 * Needs root, util-linux setpriv and unshare, and the program (setcap: Debian's libcap2-bin); a missing one is a
 * visible skip.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import catalog from "../../src/data/programs.json" with { type: "json" };
import { findProgram, nsrunUnavailable } from "./nsrun.js";
import { scratchDir } from "./measured.js";

const unavailable = nsrunUnavailable() ?? (findProgram("setpriv") ? null : "setpriv (util-linux) not found");
const setcap = findProgram("setcap");
const skip = unavailable ?? (setcap ? null : "setcap (libcap2-bin) not found");
if (skip) console.warn(`[ground-truth] privilege: SKIPPED: ${skip}`);

const { dir } = scratchDir("privilege", skip);
const run = (asUser: boolean, argv: string[]) => {
  const drop = asUser ? ["setpriv", "--reuid=100", "--regid=100", "--clear-groups", "--inh-caps=-all", "--"] : [];
  return spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "--kill-child", "--", ...drop, ...argv], { timeout: 10_000, encoding: "utf8" });
};
const entry = (name: string) => (catalog.programs as { name: string; failsWithoutRoot?: { status: number } }[]).find((p) => p.name === name);

describe.skipIf(skip !== null)(`programs that need root${skip ? ` (SKIPPED: ${skip})` : ""}`, () => {
  it("setcap-nonroot: setcap run as uid 100 exits with the catalog's status; as root it exits 0", () => {
    const file = join(dir, "bin");
    copyFileSync("/bin/true", file);
    chmodSync(dir, 0o755); // the user can reach the file: what fails is setting its capabilities
    const user = run(true, [setcap!, "cap_ipc_lock=+ep", file]);
    expect(user.status).toBe(entry("setcap")?.failsWithoutRoot?.status);
    expect(user.status).not.toBe(0);
    expect(user.stderr).toMatch(/Operation not permitted/);
    const root = run(false, [setcap!, "cap_ipc_lock=+ep", file]);
    expect(root.status).toBe(0);
  });
});
