// docs/programs.md is generated from the program catalog (scripts/gen-programs-doc.mjs), as docs/rules/README.md
// is checked against the rule registry: the committed page must be the generated one, and the generator must
// render every field the catalog has.
import fs from "node:fs";
import { describe, expect, test } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { CATALOG, DOC, RENDERED, render } from "../../../scripts/gen-programs-doc.mjs";

const catalog = JSON.parse(fs.readFileSync(CATALOG, "utf8"));

describe("docs/programs.md ↔ programs.json", () => {
  test("the committed docs/programs.md is the one generated from programs.json (else: node scripts/gen-programs-doc.mjs)", () => {
    expect(fs.readFileSync(DOC, "utf8")).toBe(render(catalog));
  });
  test("every field of every entry is one the generator renders", () => {
    const unknown: string[] = [];
    const check = (where: string, obj: Record<string, unknown> | null | undefined, allowed: string[]) => {
      for (const k of Object.keys(obj ?? {})) if (!allowed.includes(k)) unknown.push(`${where}.${k}`);
    };
    for (const p of catalog.programs) {
      check(p.name, p, RENDERED.entry);
      for (const [sig, d] of Object.entries(p.signalDetails ?? {})) check(`${p.name}.signalDetails.${sig}`, d as Record<string, unknown>, RENDERED.signalDetails);
      check(`${p.name}.forwards`, p.forwards, RENDERED.forwards);
      check(`${p.name}.daemonizes`, p.daemonizes, RENDERED.daemonizes);
      check(`${p.name}.wrapper`, p.wrapper, RENDERED.wrapper);
      check(`${p.name}.wrapper.user`, p.wrapper?.user, RENDERED["wrapper.user"]);
      check(`${p.name}.args`, p.args, RENDERED.args);
      check(`${p.name}.programsFrom`, p.programsFrom, RENDERED.programsFrom);
      check(`${p.name}.duration`, p.duration, RENDERED.duration);
      check(`${p.name}.config`, p.config, RENDERED.config);
      check(`${p.name}.config.setting`, p.config?.setting, RENDERED["config.setting"]);
      check(`${p.name}.config.include`, p.config?.include, RENDERED["config.include"]);
      check(`${p.name}.app`, p.app, RENDERED.app);
      for (const f of p.app?.frameworks ?? []) check(`${p.name}.app.frameworks.${f.name}`, f as unknown as Record<string, unknown>, RENDERED["app.frameworks"]);
      check(`${p.name}.launches`, p.launches, RENDERED.launches);
      check(`${p.name}.runTasks`, (p as { runTasks?: Record<string, unknown> }).runTasks, RENDERED.runTasks);
      for (const v of p.provenance ?? []) check(`${p.name}.provenance`, v, RENDERED.provenance);
      for (const m of p.modes ?? []) {
        check(`${p.name}.modes`, m, RENDERED.modes);
        check(`${p.name}.modes.when`, m.when, RENDERED["modes.when"]);
      }
    }
    expect(unknown).toEqual([]);
  });
  test("one section per program, in catalog order", () => {
    const heads = [...fs.readFileSync(DOC, "utf8").matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    const names = catalog.programs.map((p: { name: string }) => p.name);
    expect(heads.slice(heads.length - names.length)).toEqual(names);
  });
});
