import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { rule } from "../../src/rules/script-parse-error.js";
import { parseScript } from "../../src/syntax/parse.js";
import { RuleTester } from "../support/rule-tester.js";

// zsh syntax that bash's grammar (the one the analysis reads zsh scripts with) rejects: a glob qualifier.
const ZSH_SCRIPT = '#!/bin/zsh\nfor f in /etc/app/*.conf(N); do echo "$f"; done\nexec sleep infinity\n';

new RuleTester().run(rule, {
  valid: [{ fromDoc: "good" }],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "entrypoint.sh", line: 2, severity: "error", message: /if statement must end with "fi"/ }],
    },
    {
      name: "a zsh script the parser cannot read: a warning that says the analysis is not known, not an error",
      dockerfile: 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y zsh\nCOPY e.zsh /e.zsh\nENTRYPOINT ["/e.zsh"]\n',
      files: { "e.zsh": { content: ZSH_SCRIPT, mode: 0o755 } },
      errors: [{ file: "e.zsh", line: 2, severity: "warning", message: /does not cover all of zsh.s syntax/ }],
    },
  ],
});

let zsh: string | null = null;
try {
  zsh = execFileSync("sh", ["-c", "command -v zsh"], { encoding: "utf8" }).trim() || null;
} catch {
  zsh = null;
}

describe("the zsh dialect gap is real (measured with the zsh installed here)", () => {
  test("the parser rejects the glob qualifier", () => {
    expect(parseScript(ZSH_SCRIPT, "e.zsh", "zsh").error).not.toBeNull();
  });
  test.skipIf(zsh === null)("zsh -n accepts the same script", () => {
    const dir = mkdtempSync(join(tmpdir(), "audit-image-zsh-"));
    try {
      const f = join(dir, "e.zsh");
      writeFileSync(f, ZSH_SCRIPT);
      // throws on a non-zero exit (a syntax error)
      execFileSync(zsh!, ["-n", f]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
