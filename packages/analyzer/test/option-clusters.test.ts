// Grouped single-letter options (getopt) and one-shot options of the catalog's `args` (measured for squid in
// ground-truth/options.ns.test.ts).
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";
import { findProgram, optionWords } from "../src/programs.js";

const squid = findProgram("squid")!;
const run = (script: string) =>
  analyze(buildModel('FROM debian:bookworm\nRUN apt-get update && apt-get install -y squid\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n', { context: memoryFs({ "e.sh": { content: script, mode: 0o755 } }) })).prediction;

describe("grouped options", () => {
  test("a group is taken apart up to the letter that takes a value", () => {
    expect(optionWords(squid, ["-NYCd", "1"])).toEqual(["-N", "-Y", "-C", "-d", "1"]);
    expect(optionWords(squid, ["-Nd1", "-f", "/x"])).toEqual(["-N", "-d", "1", "-f", "/x"]);
    expect(optionWords(squid, ["-f", "-Nz"])).toEqual(["-f", "-Nz"]); // the value of -f, not a group
    expect(optionWords(squid, ["--", "-Nz"])).toEqual(["--", "-Nz"]);
  });

  test("a program without clusters keeps its words", () => {
    expect(optionWords(findProgram("nginx")!, ["-tq"])).toEqual(["-tq"]);
  });

  test("squid -NYCd 1 stays in the foreground; -z in the middle of the script does its work and exits", () => {
    const p = run('#!/bin/bash\nset -e\nif [ ! -d /var/spool/squid/00 ]; then\n  squid -N -f /etc/squid/squid.conf -z\nfi\nexec squid -f /etc/squid/squid.conf -NYCd 1\n');
    expect(p.processTree?.argv).toEqual(["squid", "-f", "/etc/squid/squid.conf", "-NYCd", "1"]);
    expect(p.processTree?.children).toEqual([]);
    expect(p.lifecycle.state).toBe("runs");
    expect(p.scenarios ?? []).toHaveLength(0);
  });

  test("without N in the group squid forks away", () => {
    const p = run("#!/bin/bash\nexec squid -f /etc/squid/squid.conf -YCd 1\n");
    expect(p.lifecycle.state).toBe("exits");
    expect(p.lifecycle.reason).toMatch(/daemonizes/);
  });
});
