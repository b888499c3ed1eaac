import { describe, expect, test } from "vitest";
import { wildcard } from "./wildcard.js";

const m = (p: string, s: string, o = {}) => wildcard(p, o).test(s);

describe("wildcard matching", () => {
  test.each([
    ["*", "", true], ["*", "abc", true], ["a*c", "abbbc", true], ["a*c", "abbb", false], ["?", "", false], ["?", "x", true],
    ["[abc]", "b", true], ["[!abc]", "b", false], ["[^abc]", "d", true], ["[a-c]x", "bx", true], ["[a-c]x", "dx", false],
    ["\\*", "*", true], ["\\*", "a", false], ["redis*", "redis-server", true], ["-*", "--port", true], ["-*", "port", false],
    ["*.conf", "a.conf", true], ["[", "[", true],
  ])("shell %s ~ %s → %s", (p, s, r) => expect(m(p, s, { slash: true })).toBe(r));
  test("Go-style: * does not cross /", () => {
    expect(m("*.sh", "bin/a.sh")).toBe(false);
    expect(m("bin/*.sh", "bin/a.sh")).toBe(true);
    expect(m("*", "a/b", { slash: true })).toBe(true);
  });
  test("dockerignore **", () => {
    const o = { doubleStar: true };
    expect(m("**/*.log", "a/b/c.log", o)).toBe(true);
    expect(m("**/*.log", "c.log", o)).toBe(true);
    expect(m("a/**", "a/b/c", o)).toBe(true);
    expect(m("a/**/z", "a/z", o)).toBe(true);
    expect(m("a/**/z", "a/b/c/z", o)).toBe(true);
  });
  test("prefixes and suffixes in one pass", () => {
    expect(wildcard("*/", { slash: true }).prefixes("a/b/c").map((x, i) => (x ? i : -1)).filter((i) => i >= 0)).toEqual([2, 4]);
    expect(wildcard("/*", { slash: true }).suffixes("a/b/c").map((x, i) => (x ? i : -1)).filter((i) => i >= 0)).toEqual([1, 3]);
  });
  test("no catastrophic backtracking: *a*a*a…b against a long string of a", () => {
    const p = "*a".repeat(30) + "*b";
    const t0 = performance.now();
    expect(m(p, "a".repeat(5000))).toBe(false);
    expect(m(p, "a".repeat(5000), { slash: true })).toBe(false);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
