/**
 * Ground truth for command-line options the catalog reads (`args`): a one-shot option makes the real program
 * exit, and grouped single-letter options (getopt) keep or drop the foreground as the letters say. Each case
 * runs the real program as PID 1 of a fresh PID namespace.
 *
 * Needs root, util-linux unshare and the program (squid: Debian's squid package); a missing one is a visible skip.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import catalog from "../../src/data/programs.json" with { type: "json" };
import { optionWords, type ProgramEntry } from "../../src/programs.js";
import { findProgram, nsrunUnavailable } from "./nsrun.js";

const squid = findProgram("squid");
const skip = nsrunUnavailable() ?? (squid ? null : "squid not found (apt-get install squid)");
if (skip) console.warn(`[ground-truth] options: SKIPPED: ${skip}`);
const entry = (catalog.programs as unknown as ProgramEntry[]).find((p) => p.name === "squid")!;

/**
 * Runs `script` in bash as PID 1 of a new PID namespace, with a /run of its own (squid's PID file is there: one
 * left behind names a PID that a new namespace soon reuses, and squid then refuses to start).
 */
const ns = (script: string, timeout = 30_000) =>
  spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "--kill-child", "--", "bash", "-c", `mount -t tmpfs tmpfs /run && ${script}`], { encoding: "utf8", timeout });

describe.skipIf(skip !== null)(`squid's options${skip ? ` (SKIPPED: ${skip})` : ""}`, () => {
  it("squid-z-exits: -N -z creates the swap directories and exits 0 (a one-shot option of the catalog)", () => {
    const r = ns(`timeout 20 ${squid} -N -f /etc/squid/squid.conf -z >/dev/null 2>&1; echo "rc=$?"`);
    expect(r.stdout).toMatch(/rc=0/);
    expect(entry.args?.oneShot).toContain("-z");
  });

  it("squid-clustered-n-foreground: -NYCd 1 stays in the foreground (N is read inside the group)", () => {
    const r = ns(`timeout -s KILL 5 ${squid} -f /etc/squid/squid.conf -NYCd 1 >/dev/null 2>&1; echo "rc=$?"`);
    expect(r.stdout).toMatch(/rc=137/); // still running when timeout killed it
    expect(optionWords(entry, ["-f", "/etc/squid/squid.conf", "-NYCd", "1"])).toEqual(["-f", "/etc/squid/squid.conf", "-N", "-Y", "-C", "-d", "1"]);
  });

  it("squid-clustered-without-n-daemonizes: -YCd 1 forks a daemon and its first process exits 0", () => {
    const r = ns(`timeout 10 ${squid} -f /etc/squid/squid.conf -YCd 1 >/dev/null 2>&1; echo "rc=$?"; sleep 1; pgrep -c squid; ${squid} -k shutdown -f /etc/squid/squid.conf >/dev/null 2>&1; true`);
    expect(r.stdout).toMatch(/rc=0\n[1-9]/);
  });
});
