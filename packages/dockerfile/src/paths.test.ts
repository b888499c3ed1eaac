import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { basename, cleanAbs } from "./paths.js";

// The definitions the fast paths must agree with: split on "/", drop "" and ".", pop on "..".
const splitClean = (p: string) => {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
};
const splitBase = (p: string) => p.split("/").filter((x) => x !== "").pop() ?? "";

describe("path helpers", () => {
  test.each([
    ["/", "/"], ["/usr/bin", "/usr/bin"], ["/usr/bin/", "/usr/bin"], ["//x", "/x"], ["/a/./b", "/a/b"],
    ["/a/../b", "/b"], ["/..", "/"], ["/a/..b", "/a/..b"], ["/.x", "/.x"], ["a/b", "/a/b"], ["", "/"],
  ])("cleanAbs(%j) is %j", (p, want) => expect(cleanAbs(p)).toBe(want));
  test.each([["/a/b", "b"], ["/a/b/", "b"], ["b", "b"], ["/", ""], ["", ""], ["a//", "a"]])("basename(%j) is %j", (p, want) => expect(basename(p)).toBe(want));
  test("agree with splitting the path, on any mix of separators, dots and names", () => {
    const paths = fc.array(fc.constantFrom("/", "//", ".", "..", "...", "a", ".a", "b.c", ""), { maxLength: 10 }).map((a) => a.join(""));
    fc.assert(
      fc.property(paths, (p) => {
        expect(cleanAbs(p)).toBe(splitClean(p));
        expect(cleanAbs("/" + p)).toBe(splitClean("/" + p));
        expect(basename(p)).toBe(splitBase(p));
      }),
      { numRuns: 5000, seed: 20261126 },
    );
  });
});
