// The engine's stand-in services (engine/standin/standin.c) get their table of programs from the analyzer's
// catalog through engine/standin/gen-personas.mjs. These checks keep the catalog, the generator, the names
// the base images link to the stand-in and the programs the fixtures run from drifting apart.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findProgram, programCatalog } from "@audit-image/analyzer";
// @ts-expect-error: a plain .mjs script without types
import { FALLBACK, PLAYED, REAPS, personaTable, renderHeader } from "../../../engine/standin/gen-personas.mjs";
import { skipNote } from "./helpers.js";

interface Rule { sig: string; kind: "K_LOG" | "K_STOP" | "K_RERAISE"; action: string; code: number }
interface Persona { program: string; names: string[]; reaps: boolean; rules: Rule[]; daemonizes: boolean; fgFlags: string[]; fgSeqs: string[][] }

const ROOT = path.resolve(__dirname, "../../..");
const FIX = path.join(ROOT, "test-images");
const table = personaTable(programCatalog) as Persona[];
const byName = new Map<string, Persona>();
for (const p of table) for (const n of p.names) byName.set(n, p);
const persona = (name: string) => byName.get(name) ?? null;
const rule = (name: string, sig: string) => persona(name)!.rules.find((r) => r.sig === sig) ?? null;

describe("stand-in personas from the program catalog", () => {
  it("every name engine/base-images.sh links to the stand-in has a persona", () => {
    const sh = fs.readFileSync(path.join(ROOT, "engine/base-images.sh"), "utf8");
    const m = /^STANDIN_NAMES=\(([^)]*)\)/m.exec(sh);
    expect(m).not.toBeNull();
    const names = m![1]!.split(/\s+/).filter(Boolean);
    expect(names.length).toBeGreaterThan(10);
    for (const n of names) expect(persona(n), n).not.toBeNull();
    expect(persona(FALLBACK)!.rules).toEqual([]);
  });

  it("every program the fixtures run that the stand-in plays has a persona under that name", () => {
    const seen = new Set<string>();
    for (const d of fs.readdirSync(FIX)) {
      const p = path.join(FIX, d, "expected.json");
      if (!fs.existsSync(p)) continue;
      const walk = (n: unknown): void => {
        if (!Array.isArray(n)) return;
        const [argv, role, children] = n as [string[], string, unknown[]];
        const entry = findProgram(argv[0]!);
        // A tool kept running as a helper (cat reading a process substitution) is the base image's real binary.
        const realTool = role === "helper" && entry?.role === "tool" && !PLAYED.has(entry.name);
        if (!realTool && (["service", "helper", "supervisor"].includes(role) || (entry && (entry.role === "service" || PLAYED.has(entry.name))))) {
          expect(entry, `${d}: ${argv[0]}`).not.toBeNull();
          expect(persona(path.basename(argv[0]!))?.program, `${d}: ${argv[0]}`).toBe(entry!.name);
          seen.add(entry!.name);
        }
        (children ?? []).forEach(walk);
      };
      const fixture = JSON.parse(fs.readFileSync(p, "utf8"));
      // a fixture the engine tier skips, or runs on a real Debian base, runs nothing through the stand-in
      if (fixture.options?.engineSkip || fixture.options?.engineBase) continue;
      walk(fixture.summary?.tree);
    }
    // today's fixtures run these through the stand-in
    expect([...seen].sort()).toEqual(["httpd", "memcached", "mysqld", "nginx", "node", "php-fpm", "postgres", "python", "redis-server", "supervisord"]);
  });

  it("each persona handles exactly the signals of its catalog entry", () => {
    for (const p of table) {
      if (p.program === FALLBACK) continue;
      const entry = programCatalog.programs.find((e) => e.name === p.program)!;
      expect(p.names).toEqual(entry.match);
      expect(p.rules.map((r) => r.sig), p.program).toEqual(Object.keys(entry.signals));
      for (const r of p.rules) {
        const action = entry.signals[r.sig]!;
        const stops = ["graceful-stop", "fast-stop"].includes(action);
        if (!(entry as { signalDetails?: Record<string, { stops?: boolean }> }).signalDetails?.[r.sig]?.stops) expect(r.kind !== "K_LOG", `${p.program} ${r.sig}`).toBe(stops);
      }
      expect(p.daemonizes).toBe(entry.daemonizes?.byDefault === true);
    }
    // every service in the catalog with a name is played
    for (const e of programCatalog.programs) if (e.role === "service" && e.match.length) expect(table.some((p) => p.program === e.name), e.name).toBe(true);
  });

  it("signalDetails only refines signals the entry lists", () => {
    for (const e of programCatalog.programs) {
      const d = (e as { signalDetails?: Record<string, unknown> }).signalDetails ?? {};
      for (const sig of Object.keys(d)) expect(e.signals, `${e.name}.signalDetails.${sig}`).toHaveProperty(sig);
    }
  });

  it("keeps the behaviours the hand-written table had", () => {
    expect(rule("postgres", "SIGQUIT")).toEqual({ sig: "SIGQUIT", kind: "K_STOP", action: "immediate-shutdown", code: 0 });
    expect(rule("postgres", "SIGUSR1")!.kind).toBe("K_LOG");
    expect(rule("node", "SIGTERM")).toEqual({ sig: "SIGTERM", kind: "K_RERAISE", action: "reset-stdio-and-reraise", code: 0 });
    expect(rule("python3", "SIGINT")).toEqual({ sig: "SIGINT", kind: "K_STOP", action: "KeyboardInterrupt", code: 130 });
    expect(rule("python3", "SIGTERM")).toBeNull();
    expect(["SIGTERM", "SIGINT", "SIGHUP"].map((s) => rule("java", s)!.code)).toEqual([143, 130, 129]);
    expect(rule("uwsgi", "SIGTERM")).toEqual({ sig: "SIGTERM", kind: "K_LOG", action: "brutal-reload", code: 0 });
    expect(rule("sshd", "SIGQUIT")).toEqual({ sig: "SIGQUIT", kind: "K_STOP", action: "terminate", code: 255 });
    expect(rule("httpd-foreground", "SIGINT")!.kind).toBe("K_STOP");
    expect(rule("memcached", "SIGUSR1")!.kind).toBe("K_STOP");
    expect(persona("nginx")).toMatchObject({ daemonizes: true, fgSeqs: [["-g", "daemon off;"]], reaps: true });
    expect(persona("apache2")).toMatchObject({ daemonizes: true, fgFlags: ["-X"], fgSeqs: [["-DFOREGROUND"], ["-D", "FOREGROUND"]] });
    expect(persona("php-fpm8.2")).toMatchObject({ program: "php-fpm", daemonizes: true, fgFlags: ["-F", "--nodaemonize"] });
    expect(persona("supervisord")).toMatchObject({ reaps: true, daemonizes: true, fgFlags: ["-n", "--nodaemon"] });
    expect(persona("crond")).toMatchObject({ rules: [], reaps: false, daemonizes: true, fgFlags: ["-f"] });
    expect(persona("redis-server")!.reaps).toBe(false);
    expect(persona("rabbitmq-server")!.rules.map((r) => r.sig)).toContain("SIGTERM");
  });

  it("REAPS only names services the catalog does not say leave zombies", () => {
    for (const n of REAPS as Set<string>) {
      const e = programCatalog.programs.find((p) => p.name === n);
      expect(e, n).toBeDefined();
      expect(e!.reapsZombies, n).not.toBe(false);
      expect(persona(e!.match[0]!)!.reaps).toBe(true);
    }
  });

  const gcc = spawnSync("gcc", ["--version"]).status === 0 ? "gcc" : null;
  it.skipIf(!gcc)(`the generated header compiles with standin.c${skipNote("gcc", gcc)}`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "standin-"));
    try {
      fs.writeFileSync(path.join(dir, "personas.h"), renderHeader(table));
      const r = spawnSync("gcc", ["-fsyntax-only", "-Wall", "-Werror", `-I${dir}`, path.join(ROOT, "engine/standin/standin.c")], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the header is deterministic and lists every name", () => {
    const h = renderHeader(table);
    expect(renderHeader(personaTable(programCatalog))).toBe(h);
    for (const n of byName.keys()) expect(h).toContain(JSON.stringify(n));
  });
});
