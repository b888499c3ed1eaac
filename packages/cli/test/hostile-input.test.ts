// Issue 14: hostile and huge input. Each case runs the built CLI under a 300 MB heap and measures its CPU
// time and peak memory (support/measure.cjs): under 2 s of CPU and 300 MB, the right exit code, a
// schema-valid report. (CPU time, not wall time: the test machines are shared.)
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { toSarif } from "../src/format/sarif.js";
import { toGithub } from "../src/format/github.js";
import { emptyReport } from "../src/audit.js";
import { parseVerifyArgs, runVerify } from "../src/verify/index.js";
import { visible } from "../src/visible.js";
import { BIN, findExecutable, reportErrors, requireBundle, sarifErrors, skipNote } from "./helpers.js";
import { PassThrough } from "node:stream";

const MEASURE = path.join(path.dirname(new URL(import.meta.url).pathname), "support/measure.cjs");
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/** A fresh directory with these files (mode 755 for .sh). */
function dir(files: Record<string, string> = {}): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "audit-image-hostile-input-"));
  roots.push(d);
  for (const [k, v] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, k)), { recursive: true });
    fs.writeFileSync(path.join(d, k), v, { mode: k.endsWith(".sh") ? 0o755 : 0o644 });
  }
  return d;
}

interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  cpuMs: number;
  rssMB: number;
}

/** The CLI with a 300 MB heap, its CPU time and peak memory. */
function run(args: string[], cwd: string, opts: { timeout?: number } = {}): Measured {
  requireBundle();
  const m = path.join(cwd, `.measure-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const r = spawnSync(process.execPath, ["--max-old-space-size=300", "--require", MEASURE, BIN, ...args], {
    cwd,
    env: { ...process.env, AUDIT_IMAGE_MEASURE: m, NO_COLOR: "1" },
    encoding: "utf8",
    timeout: opts.timeout ?? 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const u = fs.existsSync(m) ? JSON.parse(fs.readFileSync(m, "utf8")) : { cpuMs: Infinity, rssMB: Infinity };
  fs.rmSync(m, { force: true });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ...u };
}

/** Within the issue's bounds: 2 s of CPU, 300 MB, no crash. */
function bounded(r: Measured): void {
  expect(r.stderr).not.toMatch(/internal error|heap out of memory|Maximum call stack|\n\s+at /);
  expect(r.cpuMs).toBeLessThan(2000);
  expect(r.rssMB).toBeLessThan(300);
}

/** Every format within bounds, with the exit code; the JSON report is schema-valid and returned. */
function allFormats(d: string, args: string[], code: number): { json: any; tty: string } {
  let json: any = null;
  let tty = "";
  for (const f of ["json", "tty", "sarif", "github"]) {
    const r = run(["--format", f, ...args], d);
    bounded(r);
    expect(r.code, `${f}: exit code`).toBe(code);
    if (f === "json") {
      json = JSON.parse(r.stdout);
      expect(reportErrors(json)).toEqual([]);
    }
    if (f === "sarif") expect(sarifErrors(JSON.parse(r.stdout))).toEqual([]);
    if (f === "tty") tty = r.stdout;
  }
  return { json, tty };
}

const truncation = (json: any) => json.results[0]?.findings.find((f: any) => f.ruleId === "analysis-truncated");
const ENTRY = 'FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n';

describe("values that grow: a budget on their size", () => {
  test('set -- "$@" "$@" "$@" "$@" and a self re-exec', () => {
    const d = dir({ Dockerfile: ENTRY, "e.sh": '#!/bin/sh\nset -- "$@" "$@" "$@" "$@"\nexec /e.sh "$@"\n' });
    const { json } = allFormats(d, ["Dockerfile"], 0);
    expect(json.results[0].truncated).not.toBeNull();
    expect(json.results[0].findings.some((f: any) => f.ruleId === "analysis-truncated")).toBe(true);
  });

  test('x="$x$x" doubled 27 times, in a loop and unrolled', () => {
    const loop = '#!/bin/sh\nx=a\nfor i in $(seq 27); do x="$x$x"; done\nexec redis-server "$x"\n';
    const unrolled = "#!/bin/sh\nx=a\n" + 'x="$x$x"\n'.repeat(27) + 'exec redis-server "$x"\n';
    for (const script of [loop, unrolled]) {
      const d = dir({ Dockerfile: ENTRY, "e.sh": script });
      allFormats(d, ["Dockerfile"], 0);
    }
    const d = dir({ Dockerfile: ENTRY, "e.sh": unrolled });
    const { json } = allFormats(d, ["Dockerfile"], 0);
    expect(truncation(json)?.message).toMatch(/values the script builds grew past/);
    expect(truncation(json)?.file).toBe("e.sh");
  });

  test("60 lines of ARG An=${An-1}${An-1}, and of ENV A=$A$A", () => {
    let args = "FROM debian:bookworm\nARG A0=ab\n";
    for (let i = 1; i <= 60; i++) args += `ARG A${i}=\${A${i - 1}}\${A${i - 1}}\n`;
    const envs = "FROM debian:bookworm\nENV A=ab\n" + "ENV A=$A$A\n".repeat(60) + 'CMD ["sh", "-c", "exec redis-server $A"]\n';
    for (const text of [args + 'CMD ["redis-server"]\n', envs]) {
      const d = dir({ Dockerfile: text });
      const { json } = allFormats(d, ["Dockerfile"], 0);
      const t = truncation(json);
      expect(t?.message).toMatch(/values of ARG and ENV grew past/);
      expect(t?.line).toBeGreaterThan(2);
    }
  });
});

describe("scripts that re-run themselves in the middle of themselves: a bound on the work of following them", () => {
  // `sh -c '…' sh "$@"` not in tail position: the shell waits for it, and it may be a step of the setup or
  // the service, so both are followed; run twice a level and nested, that is 32 paths of a dozen shells
  // each, copied and compared at every step (campaign inputs #23161 and the 12 timeouts of the last run).
  const reexec = `sh -c 'exec /e.sh "$@" "$@"' sh "$@"\n`;
  test('re-runs itself through sh -c with "$@" "$@", twice a level, with 98 arguments', () => {
    const d = dir({ Dockerfile: ENTRY, "e.sh": "#!/bin/sh\nfor i in $(seq 98); do set -- \"$@\" \"$i\"; done\n" + reexec + reexec + "redis-server &\nwait\n" });
    const { json } = allFormats(d, ["Dockerfile"], 0);
    expect(json.results[0].truncated).not.toBeNull();
    expect(truncation(json)?.severity).toBe("warning");
  }, 120_000);
  test("the same with no arguments, and with a doubled ENV that every shell inherits", () => {
    const env = "FROM debian:bookworm\nENV A=ab\n" + "ENV A=$A$A\n".repeat(18) + 'COPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["redis-server"]\n';
    for (const Dockerfile of [ENTRY, env]) {
      const d = dir({ Dockerfile, "e.sh": "#!/bin/sh\n" + reexec + reexec + "redis-server &\nwait\n" });
      const { json } = allFormats(d, ["Dockerfile"], 0);
      expect(truncation(json)?.severity).toBe("warning");
    }
  }, 120_000);
  test("12,000 ENV variables inherited by every shell of a re-exec chain and of recursive functions", () => {
    // campaign input #24487 (hostile generator, seed 1): every fork copied the 12,000 variables and spelled
    // them out in its path key (2.0-2.9 s of CPU); they are now shared until written, and their key is kept
    const env = Array.from({ length: 12_000 }, (_, i) => `ENV E${i}=${i}\n`).join("");
    const script = "#!/bin/bash\n/bin/bash -c 'exec /e.sh \"$@\" \"$@\"' sh \"$@\"\nf0() { f1 \"$@\" \"$@\"; }\nf1() { f0 \"$@\" \"$@\"; }\nf0 \"$@\"\n\"$@\"\n";
    const d = dir({ Dockerfile: "FROM debian:bookworm\n" + env + 'COPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD redis-server --port 1\n', "e.sh": script });
    const { json } = allFormats(d, ["Dockerfile"], 0);
    expect(truncation(json)?.severity).toBe("warning");
  }, 120_000);
});

describe("the formats on huge input", () => {
  test("a 200 KB word wraps in linear time", () => {
    const d = dir({ Dockerfile: `FROM debian:bookworm\nCMD ["redis-server", "${"a".repeat(200_000)}"]\n` });
    const { tty } = allFormats(d, ["Dockerfile"], 0);
    expect(tty.split("\n").every((l) => [...l].length <= 80)).toBe(true);
  });

  test("20,000 findings with code frames: the file is indexed once", () => {
    const d = dir({ Dockerfile: "FROM debian:bookworm\n" + Array.from({ length: 20_000 }, (_, i) => `ARG =${i}\n`).join("") + 'CMD ["redis-server"]\n' });
    const { json } = allFormats(d, ["Dockerfile"], 1);
    // at most 1,000 diagnostics are kept, and the report says the rest were left out
    expect(truncation(json)?.message).toMatch(/more than 1000 problems/);
  });

  test("a Dockerfile of 1.6 MB: its first 768 KiB are analyzed, and analysis-truncated says so at warning level", () => {
    const lines = Array.from({ length: 110_000 }, (_, i) => (i % 2 ? `ENV E${i}=${i}\n` : `RUN echo ${i}\n`)).join("");
    const d = dir({ Dockerfile: 'FROM debian:bookworm\nCMD ["redis-server"]\n' + lines });
    expect(fs.statSync(path.join(d, "Dockerfile")).size).toBeGreaterThan(1_500_000);
    const { json } = allFormats(d, ["Dockerfile"], 0);
    const t = truncation(json);
    expect(t?.severity).toBe("warning");
    expect(t?.message).toMatch(/the Dockerfile is larger than 786432 bytes: only its first \d+ lines were analyzed/);
    expect(json.results[0].processTree.argv).toEqual(["redis-server"]);
    expect(run(["--fail-on", "warning", "Dockerfile"], d).code).toBe(1);
  }, 120_000);

  test("130,000 lines of unknown instructions: no stack overflow in any format", () => {
    const d = dir({ Dockerfile: "FROM debian:bookworm\n" + Array.from({ length: 130_000 }, (_, i) => `FOO${i} x\n`).join("") + 'CMD ["redis-server"]\n' });
    allFormats(d, ["Dockerfile"], 4);
  });
});

describe("the build context: .dockerignore × glob COPY, many stages", () => {
  const context = (patterns: string[], files: number) => {
    const f: Record<string, string> = { Dockerfile: 'FROM debian:bookworm\nCOPY --chmod=755 *.sh /app/\nCMD ["/app/f1.sh"]\n', ".dockerignore": patterns.join("\n") + "\n" };
    for (let i = 0; i < files; i++) f[`f${i}.sh`] = "#!/bin/sh\nexec redis-server\n";
    return dir(f);
  };
  test("10,000 patterns × 1,000 files", () => {
    const d = context(Array.from({ length: 10_000 }, (_, i) => `ignored${i}/**/*.tmp`), 1000);
    const { json } = allFormats(d, ["Dockerfile"], 0);
    expect(json.results[0].processTree.argv).toEqual(["redis-server"]);
  });
  test("100,000 patterns with wildcards at the start × 3,000 files, the last one excluding the script", () => {
    const d = context([...Array.from({ length: 100_000 }, (_, i) => `*.t${i}`), "f1.sh"], 3000);
    const r = run(["--format", "json", "Dockerfile"], d);
    bounded(r);
    const json = JSON.parse(r.stdout);
    expect(reportErrors(json)).toEqual([]);
    // the same answer as without the bound: f1.sh is left out of the context, so the COPY does not bring it
    expect(json.results[0].processTree).toBeNull();
  });
  test("patterns with wildcards at both ends are bounded: analysis-truncated", () => {
    const d = context(Array.from({ length: 60_000 }, (_, i) => `*x${i}*`), 1000);
    const r = run(["--format", "json", "Dockerfile"], d);
    bounded(r);
    expect(truncation(JSON.parse(r.stdout))?.message).toMatch(/\.dockerignore has too many patterns/);
  });
  test("30,000 stages (under 768 KiB): the whole answer; 50,000 (over it): the first 768 KiB, and analysis-truncated", () => {
    const stages = (n: number) => Array.from({ length: n }, (_, i) => `FROM ${i ? `s${i - 1}` : "debian:bookworm"} AS s${i}\n`).join("") + 'CMD ["redis-server"]\n';
    expect(stages(30_000).length).toBeLessThan(768 * 1024);
    const { json } = allFormats(dir({ Dockerfile: stages(30_000) }), ["Dockerfile"], 0);
    expect(json.results[0].processTree.argv).toEqual(["redis-server"]);
    expect(json.results[0].truncated).toBeNull();
    expect(stages(50_000).length).toBeGreaterThan(768 * 1024);
    const r = run(["--format", "json", "Dockerfile"], dir({ Dockerfile: stages(50_000) }));
    bounded(r);
    expect(r.code).toBe(0);
    expect(truncation(JSON.parse(r.stdout))?.message).toMatch(/larger than 786432 bytes/);
  }, 120_000);
});

describe("nothing from the input reaches the terminal raw", () => {
  const ESC = "\u001b";
  const hostile = `${ESC}]52;c;ZXZpbA==\u0007${ESC}[2J${ESC}[8m\r\u202e`;
  test("Dockerfile, script and file names: visible in the tty format", () => {
    const d = dir({
      Dockerfile: `FROM debian:bookworm\nCOPY e${ESC}.sh /e.sh\nENTRYPOINT ["/e.sh", "${hostile.replace(/[\u0000-\u001f\u202e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"]\n`,
      [`e${ESC}.sh`]: `#!/bin/sh\n# ${hostile}\nredis-server "$@"\n`,
    });
    const r = run(["Dockerfile"], d);
    bounded(r);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(r.stdout).toContain("\\x1b]52");
    expect(r.stdout).toContain("\\r");
    expect(r.stdout).toContain("<U+202E>");
    expect(r.stdout).toContain("e\\x1b.sh");
  });
  test("a rule id with a newline in the config: one escaped line on stderr, no workflow command", () => {
    const d = dir({ Dockerfile: 'FROM debian:bookworm\nCMD ["redis-server"]\n', ".audit-image.json": JSON.stringify({ rules: { "x\n::error::pwned": "off", [`${ESC}[2Jy`]: "off" } }) });
    for (const f of ["tty", "github", "json"]) {
      const r = run(["--format", f, "Dockerfile"], d);
      expect(r.code).toBe(0);
      expect(r.stderr.split("\n").some((l) => l.startsWith("::"))).toBe(false);
      expect(r.stderr).not.toContain(ESC);
      expect(r.stderr).toContain('unknown rule "x\\n::error::pwned"');
    }
  });
  test("GitHub format: data and properties cannot start a workflow command", () => {
    const report = emptyReport();
    report.errors.push({ file: "a\n::error::x", line: 1, message: `m\r\n::warning::y${ESC}[2J`, code: "unreadable" });
    const out = toGithub(report);
    expect(out.split("\n").filter((l) => l.startsWith("::"))).toHaveLength(1);
    expect(out).not.toContain(ESC);
  });
  test("verify: its human output and its messages", async () => {
    expect(visible(`log ${ESC}]52;c;x\u0007 \r\u202e`, true)).toBe("log \\x1b]52;c;x\\x07 \\r<U+202E>");
    const err = new PassThrough();
    let e = "";
    err.on("data", (x) => (e += x));
    const code = await runVerify([`--bogus${ESC}[2J\n::error::x`], { stdout: new PassThrough(), stderr: err, env: {}, cwd: os.tmpdir() });
    expect(code).toBe(2);
    expect(e).not.toContain(ESC);
    expect(e.split("\n").some((l) => l.startsWith("::"))).toBe(false);
  });
});

describe("no way past the gate", () => {
  test("a script over 1 MiB is analysis-truncated, at warning level, never a silent pass", () => {
    const big = '#!/bin/sh\nredis-server "$@"\n' + ("# " + "x".repeat(98) + "\n").repeat(11_000);
    const d = dir({ Dockerfile: ENTRY, "e.sh": big });
    const { json } = allFormats(d, ["Dockerfile"], 0);
    const t = truncation(json);
    expect(t?.severity).toBe("warning");
    expect(t?.message).toMatch(/could not be read/);
    expect(run(["--fail-on", "warning", "Dockerfile"], d).code).toBe(1);
  });

  test("a directory scan never reads a link that leaves the scanned root", () => {
    const outside = dir({ "secret.txt": "FROM TOP-SECRET-VALUE\n" });
    const d = dir({ "app/Dockerfile": 'FROM debian:bookworm\nCMD ["redis-server"]\n' });
    fs.symlinkSync(path.join(outside, "secret.txt"), path.join(d, "Dockerfile.x"));
    fs.symlinkSync("app/Dockerfile", path.join(d, "Dockerfile.inside"));
    for (const f of ["tty", "json"]) {
      const r = run(["--format", f, "."], d);
      bounded(r);
      expect(r.stdout + r.stderr).not.toContain("TOP-SECRET");
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).toMatch(/Dockerfile\.x.*outside the scanned directory/);
    }
    const json = JSON.parse(run(["--format", "json", "."], d).stdout);
    expect(json.results.map((x: any) => x.file).sort()).toEqual(["Dockerfile.inside", "app/Dockerfile"]);
  });

  test("the config file is found from the scanned path, not the working directory, and every format names it", () => {
    const silencer = JSON.stringify({ rules: { "shell-stays-pid1": "off" } });
    const cwd = dir({ ".audit-image.json": silencer });
    const repo = dir({ Dockerfile: ENTRY, "e.sh": '#!/bin/sh\nredis-server "$@"\n' });
    // a config in the working directory does not apply to a repository elsewhere
    const j = JSON.parse(run(["--format", "json", repo], cwd).stdout);
    expect(j.config).toBeNull();
    expect(j.results[0].findings.some((f: any) => f.ruleId === "shell-stays-pid1")).toBe(true);
    // the repository's own config (in a parent of the scanned path) applies, and is named
    fs.writeFileSync(path.join(repo, ".audit-image.json"), silencer);
    fs.mkdirSync(path.join(repo, "sub"));
    fs.renameSync(path.join(repo, "Dockerfile"), path.join(repo, "sub/Dockerfile"));
    fs.renameSync(path.join(repo, "e.sh"), path.join(repo, "sub/e.sh"));
    const shown = path.relative(cwd, path.join(repo, ".audit-image.json"));
    const json = run(["--format", "json", path.join(repo, "sub")], cwd);
    expect(reportErrors(JSON.parse(json.stdout))).toEqual([]);
    expect(JSON.parse(json.stdout).config).toBe(shown);
    expect(JSON.parse(json.stdout).results[0].findings.some((f: any) => f.ruleId === "shell-stays-pid1")).toBe(false);
    expect(JSON.parse(run(["--format", "sarif", path.join(repo, "sub")], cwd).stdout).runs[0].invocations[0].properties.config).toBe(shown);
    expect(run(["--format", "github", path.join(repo, "sub")], cwd).stdout).toContain(`::notice title=audit-image config::audit-image loaded the config file ${shown}`);
    expect(run([path.join(repo, "sub")], cwd).stdout).toContain(`config: ${shown}`);
    expect(JSON.parse(run(["--format", "json", "--no-config", path.join(repo, "sub")], cwd).stdout).config).toBeNull();
    // PATHs with different config files are refused, not audited under one of them
    const r = run(["--format", "json", path.join(repo, "sub"), cwd], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/different config files/);
  });

  test("verify takes --config and --no-config", async () => {
    expect(parseVerifyArgs(["--config", "c.json", "Dockerfile"])).toMatchObject({ config: "c.json", noConfig: false });
    expect(parseVerifyArgs(["--no-config"])).toMatchObject({ noConfig: true });
    const d = dir({ Dockerfile: 'FROM debian:bookworm\nCMD ["redis-server"]\n', "bad.json": "TOKEN-ghp_0123456789" });
    const err = new PassThrough();
    let e = "";
    err.on("data", (x) => (e += x));
    const io = { stdout: new PassThrough(), stderr: err, env: { DOCKER_HOST: "unix:///nonexistent.sock" }, cwd: d };
    expect(await runVerify(["--config", "c.json", "--no-config", "Dockerfile"], io)).toBe(2);
    expect(await runVerify(["--config", "bad.json", "Dockerfile"], io)).toBe(2);
    expect(e).toMatch(/bad\.json: invalid JSON/);
    expect(e).not.toMatch(/TOKEN|ghp_/);
  });

  test("a config that is not JSON never echoes its content", () => {
    const secret = dir({ token: "ghp_SECRETSECRETSECRET\n" });
    const d = dir({ Dockerfile: 'FROM debian:bookworm\nCMD ["redis-server"]\n' });
    fs.symlinkSync(path.join(secret, "token"), path.join(d, ".audit-image.json"));
    const r = run(["Dockerfile"], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid JSON/);
    expect(r.stderr).not.toMatch(/ghp|SECRET/);
  });

  test("-o naming an input file is refused and leaves it alone", () => {
    const d = dir({ Dockerfile: ENTRY, "e.sh": '#!/bin/sh\nexec redis-server "$@"\n' });
    for (const target of ["Dockerfile", "e.sh", "./Dockerfile"]) {
      const before = fs.readFileSync(path.join(d, target), "utf8");
      const r = run(["--format", "json", "-o", target, "Dockerfile"], d);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is an input of the audit/);
      expect(fs.readFileSync(path.join(d, target), "utf8")).toBe(before);
    }
    expect(run(["--format", "json", "-o", "report.json", "Dockerfile"], d).code).toBe(0);
  });

  const MKFIFO = findExecutable("mkfifo");
  test(`-o a FIFO: no reader is an error at once, not a hang; a reader gets the report${skipNote("mkfifo", MKFIFO)}`, () => {
    if (!MKFIFO) return;
    const d = dir({ Dockerfile: 'FROM debian:bookworm\nCMD ["redis-server"]\n' });
    execFileSync(MKFIFO, [path.join(d, "out.fifo")]);
    const t0 = Date.now();
    const r = run(["--format", "json", "-o", "out.fifo", "Dockerfile"], d, { timeout: 20_000 });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FIFO/);
    // with a reader
    const got = spawnSync("sh", ["-c", `cat out.fifo > got.json & "${process.execPath}" "${BIN}" --format json -o out.fifo Dockerfile; wait`], { cwd: d, encoding: "utf8", timeout: 20_000 });
    expect(got.status).toBe(0);
    expect(reportErrors(JSON.parse(fs.readFileSync(path.join(d, "got.json"), "utf8")))).toEqual([]);
  });

  test("SARIF: a lone surrogate in a path does not crash; # and ? are percent-encoded", () => {
    const report = emptyReport();
    const finding = { ruleId: "x", severity: "error", message: "m", file: "", line: 1, column: 1 };
    report.results.push({ file: "a#b?c/Dockerfile", findings: [{ ...finding, file: "a#b?c/Dockerfile" }, { ...finding, file: "bad\ud800name/e.sh" }] } as any);
    report.results[0]!.command = { entrypoint: null, cmd: null } as any;
    const sarif = toSarif(report, () => null) as any;
    expect(sarifErrors(JSON.parse(JSON.stringify(sarif)))).toEqual([]);
    const uris = sarif.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(["a%23b%3Fc/Dockerfile", "bad%EF%BF%BDname/e.sh"]);
  });
});
