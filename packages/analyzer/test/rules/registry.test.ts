// The rule registry, the rule pages in docs/rules and the data schemas agree: a test fails on any drift.
import Ajv2020 from "ajv/dist/2020.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import programsSchema from "../../src/data/programs.schema.json" with { type: "json" };
import { programCatalog, wrapperUser } from "../../src/programs.js";
import { allRules } from "../../src/rules/all.js";
import metaSchema from "../../src/rules/rule-meta.schema.json" with { type: "json" };
import { DOCS_DIR, SECTIONS, docPageIds, parseDocPage, readDocPage, TRAPS_SECTION } from "../support/doc-examples.js";

const ids = allRules.map((r) => r.meta.id);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const SRC = here("../../src/");
/** The modules of src/rules that are not rules. */
const NOT_RULES = ["all", "index", "rule"];
const newAjv = () => new Ajv2020.default({ allErrors: true, strict: true });

describe("registry ↔ docs/rules", () => {
  test("every rule has docs/rules/<id>.md", () => {
    const pages = new Set(docPageIds());
    expect(ids.filter((id) => !pages.has(id))).toEqual([]);
  });
  test("every page in docs/rules (except README.md) belongs to a rule", () => {
    const known = new Set(ids);
    expect(docPageIds().filter((id) => !known.has(id))).toEqual([]);
  });
  test("the registry holds every rule module of src/rules (<id>.ts), and only those", () => {
    const modules = readdirSync(SRC + "rules").filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3)).filter((m) => !NOT_RULES.includes(m));
    expect(modules.sort()).toEqual([...ids].sort());
  });
  test("every rule has its test, test/rules/<id>.test.ts, and every test there belongs to a rule", () => {
    expect(ids.filter((id) => !existsSync(here(`./${id}.test.ts`)))).toEqual([]);
    const known = new Set([...ids, "registry"]);
    expect(readdirSync(here(".")).filter((f) => f.endsWith(".test.ts") && !known.has(f.slice(0, -8)))).toEqual([]);
  });
  test("src/ imports no test support and holds no tests (it is published)", () => {
    const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(files.filter((f) => f.endsWith(".test.ts"))).toEqual([]);
    expect(files.filter((f) => /\b(?:from|import)\s*\(?\s*["'][^"']*\/test\//.test(readFileSync(SRC + f, "utf8")))).toEqual([]);
  });
});

describe("rule ids", () => {
  test("are unique", () => {
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
  test.each(ids)("%s is kebab-case", (id) => {
    expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });
});

describe("rule metadata", () => {
  const ajv = newAjv();
  const validate = ajv.compile(metaSchema);
  test.each(allRules.map((r) => [r.meta.id, r] as const))("%s: meta validates against rule-meta.schema.json", (_id, r) => {
    const ok = validate(r.meta);
    expect(ajv.errorsText(validate.errors, { separator: "\n" })).toBe("No errors");
    expect(ok).toBe(true);
  });
  test("the schema rejects what it should", () => {
    const good = allRules[0]!.meta;
    for (const bad of [
      { ...good, id: "Not_Kebab" },
      { ...good, severity: "fatal" },
      { ...good, aliases: ["DL3025", "DL3025"] },
      { ...good, aliases: ["dl3025"] },
      { ...good, extra: 1 },
      { ...good, title: "Ends with a period." },
    ]) expect(validate(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe("each rule page", () => {
  describe.each(allRules.map((r) => [r.meta.id, r] as const))("%s", (id, r) => {
    const page = () => readDocPage(id);
    test("title, severity and aliases match the rule's meta", () => {
      const p = page();
      expect({ id: p.id, title: p.title, severity: p.severity, aliases: p.aliases }).toEqual({
        id, title: r.meta.title, severity: r.meta.severity, aliases: r.meta.aliases,
      });
    });
    test("has exactly the sections What it detects, Why it matters, Bad, Good, (Not a false alarm,) Suppress, in that order", () => {
      const keys = [...page().sections.keys()].filter((k) => k !== TRAPS_SECTION);
      expect(keys).toEqual([...SECTIONS]);
      const all = [...page().sections.keys()];
      if (all.includes(TRAPS_SECTION)) expect(all.indexOf(TRAPS_SECTION)).toBe(all.indexOf("Good") + 1);
      for (const [name, text] of page().sections) expect(text.length, name).toBeGreaterThan(0);
    });
    test("Bad and Good differ", () => {
      const p = page();
      // A page of a deployment's rule may keep the Dockerfile and change the deployment (```yaml deployment=…).
      const dep = (e: typeof p.good) => e.blocks.filter((b) => b.attrs.deployment).map((b) => b.content);
      expect(JSON.stringify([p.good.dockerfile, p.good.files, dep(p.good)])).not.toBe(JSON.stringify([p.bad.dockerfile, p.bad.files, dep(p.bad)]));
    });
    test("Why it matters talks about docker stop's outcome or the start, concretely", () => {
      expect(page().sections.get("Why it matters")).toMatch(/SIGKILL|10 s|137|does not start|cannot start|stops right after|exits|unknown/);
    });
    test("Suppress names the inline, global and config forms, and hadolint's pragma for each DL alias", () => {
      const s = page().sections.get("Suppress")!;
      expect(s).toContain(`# audit-image ignore=${id} `);
      expect(s).toContain(`# audit-image global ignore=${id}`);
      expect(s).toContain(`{"rules": {"${id}": "off"}}`);
      for (const a of r.meta.aliases.filter((x) => /^DL\d{4}$/.test(x))) expect(s).toContain(`# hadolint ignore=${a}`);
    });
  });
});

describe("docs/rules/README.md", () => {
  const readme = readFileSync(DOCS_DIR + "README.md", "utf8");
  const rows = readme.split("\n").filter((l) => /^\| \[[a-z0-9-]+\]\(/.test(l));
  test("has one table row per rule, in id order", () => {
    expect(rows.map((l) => /^\| \[([a-z0-9-]+)\]/.exec(l)![1])).toEqual([...ids].sort());
  });
  test.each(allRules.map((r) => [r.meta.id, r] as const))("%s: the row links the page and matches the meta", (id, r) => {
    const row = rows.find((l) => l.startsWith(`| [${id}](`))!;
    const aliases = r.meta.aliases.length ? r.meta.aliases.map((a) => "`" + a + "`").join(", ") : "none";
    expect(row).toBe(`| [${id}](${id}.md) | ${r.meta.severity} | ${r.meta.title.replace(/\|/g, "\\|")} | ${aliases} |`);
  });
});

describe("the page parser (doc-examples.ts)", () => {
  const page = (bad: string, good = "```Dockerfile\nFROM scratch\n```") =>
    `# x-y: A title for a test\n\nDefault severity: info · Aliases: none\n\n## What it detects\n\nx\n\n## Why it matters\n\nx\n\n## Bad\n\n${bad}\n\n## Good\n\n${good}\n\n## Suppress\n\nx\n`;
  test("reads the Dockerfile, files with mode and line endings, and placeholders", () => {
    const p = parseDocPage(page("<!-- context: app.jar bin/srv:755 -->\n\n```Dockerfile\nFROM debian:12\n```\n\n```sh file=e.sh mode=700 eol=crlf\n#!/bin/sh\nexec \"$@\"\n```\n\n```console\n$ ignored\n```"));
    expect(p.bad.dockerfile).toBe("FROM debian:12\n");
    expect(p.bad.files).toEqual({
      "app.jar": { content: "placeholder\n", mode: 0o644 },
      "bin/srv": { content: "\u007fELF placeholder\n", mode: 0o755 },
      "e.sh": { content: '#!/bin/sh\r\nexec "$@"\r\n', mode: 0o700 },
    });
    expect(p.good.files).toEqual({});
    expect(p.aliases).toEqual([]);
  });
  test("rejects a section with two Dockerfiles, or none", () => {
    expect(() => parseDocPage(page("```Dockerfile\nFROM a\n```\n\n```Dockerfile\nFROM b\n```"))).toThrow(/exactly one/);
    expect(() => parseDocPage(page("```sh file=x.sh\n#!/bin/sh\n```"))).toThrow(/exactly one/);
  });
  test("does not take a heading inside a code block for a section", () => {
    const p = parseDocPage(page("```Dockerfile\nFROM a\n## Suppress\n```"));
    expect(p.bad.dockerfile).toBe("FROM a\n## Suppress\n");
  });
});

describe("src/data/programs.json", () => {
  const ajv = newAjv();
  const validate = ajv.compile(programsSchema);
  test("validates against programs.schema.json", () => {
    const ok = validate(programCatalog);
    expect(ajv.errorsText(validate.errors, { separator: "\n" })).toBe("No errors");
    expect(ok).toBe(true);
  });
  test("the optional atPid1 and args fields are covered by the schema and used", () => {
    expect(programCatalog.programs.some((p) => p.atPid1)).toBe(true);
    expect(programCatalog.programs.some((p) => p.args)).toBe(true);
    const node = programCatalog.programs.find((p) => p.name === "node")!;
    expect(validate({ version: 1, programs: [{ ...node, atPid1: { SIGTERM: "stop-ish" } }] })).toBe(false);
    expect(validate({ version: 1, programs: [{ ...node, args: { operands: false } }] })).toBe(false);
  });
  test("the schema rejects an unknown action, role or field", () => {
    const p = programCatalog.programs[0]!;
    expect(validate({ version: 1, programs: [{ ...p, signals: { SIGTERM: "explode" } }] })).toBe(false);
    expect(validate({ version: 1, programs: [{ ...p, role: "daemon" }] })).toBe(false);
    expect(validate({ version: 1, programs: [{ ...p, colour: "red" }] })).toBe(false);
    expect(validate({ version: 1, programs: [{ ...p, signals: { TERM: "graceful-stop" } }] })).toBe(false);
    expect(validate({ version: 1, programs: [{ ...p, sources: [], unverified: [] }] })).toBe(false);
  });
  test("wrapper.user says which argument names the user, and the schema checks it", () => {
    const prog = (name: string) => programCatalog.programs.find((p) => p.name === name)!;
    const cases: [string, string[], string | null][] = [
      ["gosu", ["postgres:postgres", "postgres"], "postgres"],
      ["su-exec", ["redis", "redis-server"], "redis"],
      ["s6-setuidgid", ["nobody", "app"], "nobody"],
      ["chpst", ["-u", "www-data:www-data", "php-fpm"], "www-data"],
      ["chpst", ["-n", "5", "php-fpm"], null],
      ["setpriv", ["--reuid=1000", "--regid=1000", "--init-groups", "app"], "1000"],
      ["setpriv", ["--init-groups", "--", "--reuid=1000"], null],
      ["su", ["-c", "exec app", "nobody"], "nobody"],
      ["su", ["-", "-g", "staff", "nobody", "-c", "app"], "nobody"],
      ["runuser", ["-u", "postgres", "--", "postgres"], "postgres"],
      ["sudo", ["-u", "postgres", "postgres"], null], // no user field: sudo is not modelled as switching user
      ["tini", ["--", "app"], null],
    ];
    for (const [name, args, user] of cases) expect([name, args, wrapperUser(prog(name), args)]).toEqual([name, args, user]);
    expect(prog("tini").wrapper?.permutesOptions).toBe(true);
    expect(prog("dumb-init").wrapper?.permutesOptions).toBeUndefined(); // "+hvVcr:" stops at the first operand
    const gosu = prog("gosu");
    expect(validate({ version: 1, programs: [{ ...gosu, wrapper: { ...gosu.wrapper, user: {} } }] })).toBe(false);
    expect(validate({ version: 1, programs: [{ ...gosu, wrapper: { ...gosu.wrapper, user: { operand: true, arg: 1 } } }] })).toBe(false);
  });
  test("program names and match names are unique", () => {
    const names = programCatalog.programs.map((p) => p.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});

describe("docs/rules/README.md states the policy of findings people can trust", () => {
  const readme = readFileSync(DOCS_DIR + "README.md", "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith("Findings people can trust\n")) ?? "";
  test("an error only when sure: measured or documented facts, the headline run, nothing unknown", () => {
    expect(section).toMatch(/An \*\*error\*\* means the tool is sure/);
    expect(section).toMatch(/measured or documented/);
    expect(section).toMatch(/headline run/);
    expect(section).toMatch(/unknown program, an unknown base image, a program config or build artifact that cannot be read, or an application handler the tool could not see is a warning or an info note that says what is unknown/);
  });
  test("names the tests that check it, and they exist", () => {
    for (const t of ["packages/analyzer/test/false-alarm-traps.test.ts", "packages/analyzer/test/trust-policy.test.ts"]) {
      expect(section).toContain(t);
      expect(readFileSync(new URL("../../../../" + t, import.meta.url), "utf8").length).toBeGreaterThan(0);
    }
  });
});
