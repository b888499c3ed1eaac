// The words of conditions: every test operator's yes and no sentence, for the values the interpreter
// cannot know (a variable of the run-time environment, a command's output), and in a whole analysis.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/analyze.js";
import { and, compare, describe as describeWord, fileTest, not, or, posixTest, type Tri } from "../src/shell/test.js";
import { lit, unknown, type Word } from "../src/values.js";

const env = (name: string): Word => unknown(`$${name}`);
const words = (r: Tri) => ("u" in r ? { yes: r.u.yes, no: r.u.no } : r);

describe("the subject of a sentence", () => {
  test.each([
    ["$PASSWORD", "PASSWORD", "var"],
    ["${PASSWORD}", "PASSWORD", "var"],
    ["${PASSWORD:-}", "PASSWORD", "var"],
    ["${PASSWORD-}", "PASSWORD", "var"],
    ["$1", "$1", "var"],
    ["${10}", "$10", "var"],
    ["$(…)", "a command's output", "output"],
    ["$(id -u)", "the output of `id -u`", "output"],
    ["`hostname`", "the output of `hostname`", "output"],
  ])("%s reads as %s", (u, text, kind) => {
    expect(describeWord(unknown(u))).toMatchObject({ text, kind });
  });
  test("a default: ${MODE:-dev} names MODE and keeps the default", () => {
    expect(describeWord(unknown("${MODE:-dev}"))).toMatchObject({ text: "MODE", fallback: { value: "dev", colon: true } });
  });
  test("a word of several parts is quoted whole", () => {
    expect(describeWord([{ u: "$DATA" }, "/pg"]).text).toBe('"$DATA/pg"');
  });
});

describe("-z, -n and a bare word", () => {
  test("a variable: is set / is empty or unset", () => {
    expect(words(posixTest([lit("-z"), env("PASSWORD")]))).toEqual({ yes: "PASSWORD is empty or unset", no: "PASSWORD is set" });
    expect(words(posixTest([lit("-n"), env("PASSWORD")]))).toEqual({ yes: "PASSWORD is set", no: "PASSWORD is empty or unset" });
    expect(words(posixTest([env("PASSWORD")]))).toEqual({ yes: "PASSWORD is set", no: "PASSWORD is empty or unset" });
  });
  test("${X:-} reads as X, never as \"${:-}\"", () => {
    expect(words(posixTest([lit("-z"), unknown("${POSTGRES_PASSWORD_FILE:-}")]))).toEqual({
      yes: "POSTGRES_PASSWORD_FILE is empty or unset",
      no: "POSTGRES_PASSWORD_FILE is set",
    });
  });
  test("${X:-d} with a default is never empty; ${X-d} is empty only when X is set and empty", () => {
    expect(posixTest([lit("-z"), unknown("${MODE:-dev}")])).toEqual({ v: false });
    expect(words(posixTest([lit("-z"), unknown("${MODE-dev}")]))).toEqual({ yes: "MODE is set and empty", no: "MODE is unset or not empty" });
  });
  test("a command's output: is empty / is not empty", () => {
    expect(words(posixTest([lit("-n"), unknown("$(…)")]))).toEqual({ yes: "a command's output is not empty", no: "a command's output is empty" });
  });
  test("known text decides", () => {
    expect(posixTest([lit("-z"), lit("")])).toEqual({ v: true });
    expect(posixTest([lit("-n"), [{ u: "$X" }, "x"]])).toEqual({ v: true });
  });
});

describe("comparisons", () => {
  test("= and != against a literal, the variable first whichever side it is on", () => {
    expect(words(compare(env("MODE"), lit("prod"), "="))).toEqual({ yes: 'MODE is "prod"', no: 'MODE is not "prod"' });
    expect(words(compare(env("MODE"), lit("prod"), "!="))).toEqual({ yes: 'MODE is not "prod"', no: 'MODE is "prod"' });
    expect(words(posixTest([lit("trust"), lit("!="), env("AUTH")]))).toEqual({ yes: 'AUTH is not "trust"', no: 'AUTH is "trust"' });
  });
  test("two command outputs: never \"$(…)\" is \"$(…)\"", () => {
    const r = words(compare(unknown("$(…)"), unknown("$(…)"), "="));
    expect(r).toEqual({ yes: "two commands print the same", no: "two commands print different things" });
    expect(JSON.stringify(r)).not.toContain("$(");
    expect(words(compare(unknown("$(id -u)"), lit("0"), "="))).toEqual({ yes: 'the output of `id -u` is "0"', no: 'the output of `id -u` is not "0"' });
  });
  test("two variables", () => {
    expect(words(compare(env("A"), env("B"), "="))).toEqual({ yes: "A is the same as B", no: "A differs from B" });
  });
  test("a default equal to the literal: true when the variable is unset too", () => {
    expect(words(compare(unknown("${AUTH:-trust}"), lit("trust"), "="))).toEqual({ yes: 'AUTH is "trust" or empty or unset', no: 'AUTH is set to something other than "trust"' });
    expect(words(compare(unknown("${AUTH-trust}"), lit("trust"), "!="))).toEqual({ yes: 'AUTH is set to something other than "trust"', no: 'AUTH is "trust" or unset' });
  });
  test("[[ == ]] with a glob pattern: matches", () => {
    expect(words(compare(env("ARG"), lit("-*"), "==", true))).toEqual({ yes: "ARG matches -*", no: "ARG does not match -*" });
    expect(words(compare(env("ARG"), lit("serve"), "==", true))).toEqual({ yes: 'ARG is "serve"', no: 'ARG is not "serve"' });
  });
  test.each([
    ["-eq", "N is 3", "N is not 3"],
    ["-ne", "N is not 3", "N is 3"],
    ["-lt", "N is less than 3", "N is at least 3"],
    ["-le", "N is at most 3", "N is more than 3"],
    ["-gt", "N is more than 3", "N is at most 3"],
    ["-ge", "N is at least 3", "N is less than 3"],
  ])("%s: yes and no", (op, yes, no) => {
    expect(words(compare(env("N"), lit("3"), op))).toEqual({ yes, no });
  });
  test("a number on the left: the variable comes first, the operator turned round", () => {
    expect(words(posixTest([lit("3"), lit("-lt"), env("N")]))).toEqual({ yes: "N is more than 3", no: "N is at most 3" });
  });
  test("< and > sort strings", () => {
    expect(words(compare(env("V"), lit("m"), "<"))).toEqual({ yes: 'V sorts before "m"', no: 'V does not sort before "m"' });
    expect(words(compare(env("V"), lit("m"), ">"))).toEqual({ yes: 'V sorts after "m"', no: 'V does not sort after "m"' });
  });
  test("-nt, -ot and -ef compare files", () => {
    expect(words(compare(lit("/a"), lit("/b"), "-nt"))).toEqual({ yes: "/a is newer than /b", no: "/a is not newer than /b" });
    expect(words(compare(lit("/a"), lit("/b"), "-ot"))).toEqual({ yes: "/a is older than /b", no: "/a is not older than /b" });
    expect(words(compare(lit("/a"), env("B"), "-ef"))).toEqual({ yes: "/a and B are the same file", no: "/a and B are not the same file" });
  });
  test("known values decide; text that is not an integer makes an arithmetic test fail", () => {
    expect(compare(lit("2"), lit("10"), "-lt")).toEqual({ v: true });
    expect(compare(lit("abc"), lit("1"), "-eq")).toEqual({ v: false });
    expect(compare([{ u: "$X" }], lit("a"), "=")).toMatchObject({ u: { stable: true } });
  });
});

describe("file tests: a yes and a no for each operator, never \"does not be\"", () => {
  test.each([
    ["-e", "/d/f exists", "/d/f does not exist"],
    ["-a", "/d/f exists", "/d/f does not exist"],
    ["-f", "/d/f is a regular file", "/d/f is not a regular file"],
    ["-d", "/d/f is a directory", "/d/f is not a directory"],
    ["-s", "/d/f exists and is not empty", "/d/f does not exist or is empty"],
    ["-x", "/d/f is executable", "/d/f is not executable"],
    ["-r", "/d/f is readable", "/d/f is not readable"],
    ["-w", "/d/f is writable", "/d/f is not writable"],
    ["-L", "/d/f is a symbolic link", "/d/f is not a symbolic link"],
    ["-h", "/d/f is a symbolic link", "/d/f is not a symbolic link"],
    ["-p", "/d/f is a named pipe", "/d/f is not a named pipe"],
    ["-S", "/d/f is a socket", "/d/f is not a socket"],
    ["-b", "/d/f is a block device", "/d/f is not a block device"],
    ["-c", "/d/f is a character device", "/d/f is not a character device"],
    ["-g", "/d/f has the set-group-ID bit", "/d/f does not have the set-group-ID bit"],
    ["-u", "/d/f has the set-user-ID bit", "/d/f does not have the set-user-ID bit"],
    ["-k", "/d/f has the sticky bit", "/d/f does not have the sticky bit"],
    ["-O", "/d/f is owned by the user the script runs as", "/d/f is not owned by the user the script runs as"],
    ["-G", "/d/f is owned by the group the script runs as", "/d/f is not owned by the group the script runs as"],
    ["-N", "/d/f was modified since it was last read", "/d/f was not modified since it was last read"],
  ])("%s", (op, yes, no) => {
    expect(words(fileTest(op, lit("/d/f")))).toEqual({ yes, no });
    expect(words(posixTest([lit("!"), lit(op), lit("/d/f")]))).toEqual({ yes: no, no: yes });
  });
  test("-t: no terminal without docker run -t", () => {
    expect(fileTest("-t", lit("0"))).toEqual({ v: false });
  });
  test("a path with a variable in it", () => {
    expect(words(fileTest("-d", [{ u: "$DATA" }, "/mysql"]))).toEqual({ yes: "$DATA/mysql is a directory", no: "$DATA/mysql is not a directory" });
  });
});

describe("!, -a, -o, && and ||", () => {
  const a = posixTest([lit("-z"), env("A")]);
  const b = posixTest([lit("-z"), env("B")]);
  test("the negation of a conjunction reads as a disjunction (De Morgan), not as not (…)", () => {
    expect(words(and(a, b))).toEqual({ yes: "A is empty or unset and B is empty or unset", no: "A is set or B is set" });
    expect(words(or(a, b))).toEqual({ yes: "A is empty or unset or B is empty or unset", no: "A is set and B is set" });
    expect(words(not(and(a, b)))).toEqual({ yes: "A is set or B is set", no: "A is empty or unset and B is empty or unset" });
  });
  test("mixed: parentheses where and meets or", () => {
    const c = posixTest([lit("-n"), env("C")]);
    expect(words(and(or(a, b), c)).yes).toBe("(A is empty or unset or B is empty or unset) and C is set");
  });
  test("[ x -a y ] and [ x -o y ]; a literal -a operand is not an operator", () => {
    expect(words(posixTest([env("A"), lit("-a"), env("B")]))).toEqual({ yes: "A is set and B is set", no: "A is empty or unset or B is empty or unset" });
    expect(words(posixTest([env("A"), lit("-o"), env("B")]))).toEqual({ yes: "A is set or B is set", no: "A is empty or unset and B is empty or unset" });
    expect(words(posixTest([env("A"), lit("="), lit("-a")]))).toEqual({ yes: 'A is "-a"', no: 'A is not "-a"' });
  });
});

describe("in a whole analysis", () => {
  const run = (script: string, extra = "") =>
    analyze(
      buildModel(`FROM debian:bookworm-slim\nCOPY e.sh /e.sh\n${extra}ENTRYPOINT ["/e.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n`, {
        file: "Dockerfile",
        context: memoryFs({ "e.sh": { content: script, mode: 0o755 } }),
      }),
    );
  test("a variable tested twice on one path is not a fork the second time: no contradictory scenario", () => {
    const a = run('#!/bin/sh\nif [ -z "$MODE" ]; then X=a; else X=b; fi\nif [ -n "${MODE:-}" ]; then exec nginx -g "daemon off;"; fi\nexec sleep infinity\n');
    expect(a.prediction.scenarios.map((s) => [s.condition, s.processTree?.argv[0]])).toEqual([
      ["when MODE is set", "nginx"],
      ["when MODE is empty or unset", "sleep"],
    ]);
  });
  test("a && list: paths that differ only in $? are not merged, so no condition is lost on the way", () => {
    const a = run('#!/bin/sh\nif [ -z "$A" ] && [ "$B" != yes ]; then exit 1; fi\nexec nginx -g "daemon off;"\n');
    const exits = a.prediction.scenarios.find((s) => s.processTree === null || s.lifecycle?.state === "exits");
    expect(exits?.condition).toBe('when A is empty or unset and B is not "yes"');
    expect(a.prediction.scenarios.length).toBe(2);
  });
  test("a command's output is tested again: two commands may print different things, so it forks again", () => {
    const a = run('#!/bin/sh\nif [ "$(cat /a)" = x ]; then Y=1; fi\nif [ "$(cat /b)" = x ]; then exec nginx -g "daemon off;"; fi\nexec sleep infinity\n');
    expect(a.prediction.scenarios.length).toBe(2);
    for (const s of a.prediction.scenarios) expect(s.condition).not.toMatch(/"\$\(/);
  });
});

describe("${X:+word}", () => {
  test("is not empty when X is set; compared, it stays a value only known at run time", () => {
    expect(words(posixTest([lit("-n"), unknown("${LEGACY:+…}")]))).toEqual({ yes: "LEGACY is set", no: "LEGACY is empty or unset" });
    expect(words(compare(unknown("${LEGACY:+…}"), lit("x"), "="))).toEqual({ yes: '"${LEGACY:+…}" is "x"', no: '"${LEGACY:+…}" is not "x"' });
  });
});
