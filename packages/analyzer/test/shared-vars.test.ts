// A shell's variables and exported names are shared between copies of a path until one of them writes
// (world.ts: Vars, Exported): each path must still own its whole state.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";
import { Exported, Vars } from "../src/world.js";
import { lit } from "../src/values.js";

describe("copy-on-write variables", () => {
  test("a write to a copy is not seen by its source, nor a write to the source by the copy", () => {
    const a = new Vars([["A", lit("1")]]);
    const b = Vars.copy(a);
    const c = Vars.copy(b);
    b.set("A", lit("2"));
    a.set("B", lit("3"));
    c.delete("A");
    expect([...a].map(([k, v]) => [k, v])).toEqual([["A", lit("1")], ["B", lit("3")]]);
    expect(b.get("A")).toEqual(lit("2"));
    expect(b.has("B")).toBe(false);
    expect(c.size).toBe(0);
    expect(a.get("A")).toEqual(lit("1"));
  });

  test("the key follows the contents: a copy starts with its source's key, a write changes it, and the same contents give the same key in any order", () => {
    const a = new Vars([["A", lit("1")], ["B", lit("2")]]);
    const b = Vars.copy(a);
    expect(b.key).toBe(a.key);
    b.set("A", lit("3"));
    expect(b.key).not.toBe(a.key);
    b.set("A", lit("1"));
    expect(b.key).toBe(a.key);
    expect(new Vars([["B", lit("2")], ["A", lit("1")]]).key).toBe(a.key);
    b.delete("B");
    expect(b.key).toBe(new Vars([["A", lit("1")]]).key);
    b.set("C", null);
    expect(b.key).not.toBe(new Vars([["A", lit("1")]]).key);
    a.clear();
    expect(a.key).toBe(new Vars().key);
  });

  test("exported names: add and delete on a copy stay in the copy", () => {
    const a = new Exported(["A"]);
    const b = Exported.copy(a);
    b.add("B");
    a.delete("A");
    expect([...a]).toEqual([]);
    expect([...b]).toEqual(["A", "B"]);
  });

  test("two run-time paths: a variable one path sets is not seen by the other", () => {
    const script = '#!/bin/sh\nif [ -n "$DEBUG" ]; then MODE=debug; fi\nif [ "$MODE" = debug ]; then exec redis-server --loglevel debug; fi\nexec "$@"\n';
    const model = buildModel('FROM debian:bookworm\nENV MODE=normal\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n', {
      context: memoryFs({ "e.sh": { content: script, mode: 0o755 } }),
    });
    const a = analyze(model);
    const argvs = a.prediction.scenarios?.map((s) => s.processTree?.argv?.join(" ")).sort();
    expect(argvs).toEqual(["redis-server", "redis-server --loglevel debug"]);
  });
});
