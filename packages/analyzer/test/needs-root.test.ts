// A program that needs root (the catalog's failsWithoutRoot, measured in ground-truth/privilege.ns.test.ts)
// fails when the image runs as another user, and `set -e` ends the script there.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";
import { notRoot } from "../src/shell/commands.js";

const run = (user: string | null, script: string) => {
  const df = `FROM debian:bookworm\nCOPY e.sh /e.sh\n${user === null ? "" : `USER ${user}\n`}ENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n`;
  return analyze(buildModel(df, { context: memoryFs({ "e.sh": { content: script, mode: 0o755 } }) })).prediction;
};
const SETCAP = "#!/bin/sh\nset -e\nsetcap cap_ipc_lock=+ep /usr/bin/redis-server\nexec \"$@\"\n";

describe("programs that need root", () => {
  test("setcap under set -e as USER 100: the script exits 1 there, and says why", () => {
    const p = run("100", SETCAP);
    expect(p.lifecycle.state).toBe("exits");
    expect(p.lifecycle.reason).toMatch(/setcap .* exits 1: it needs root, and it runs as user 100/);
  });

  test("the same as root (no USER, USER root, USER 0:0): setcap succeeds and redis-server runs", () => {
    for (const user of [null, "root", "0:0"]) {
      const p = run(user, SETCAP);
      expect(p.lifecycle.state, String(user)).toBe("runs");
      expect(p.processTree?.argv).toEqual(["redis-server"]);
    }
  });

  test("without set -e the script goes on after the failure", () => {
    const p = run("vault", SETCAP.replace("set -e\n", ""));
    expect(p.lifecycle.state).toBe("runs");
    expect(p.processTree?.argv).toEqual(["redis-server"]);
  });

  test("who is root", () => {
    expect(["", "0", "root", "0:0", "root:root"].map(notRoot)).toEqual([false, false, false, false, false]);
    expect(["100", "vault", "1000:1000", "www-data"].map(notRoot)).toEqual([true, true, true, true]);
    expect(notRoot("$APP_USER")).toBe(false);
  });
});
