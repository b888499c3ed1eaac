import { describe, expect, test } from "vitest";
import { buildModel, memoryFs, type Effect } from "./index.js";

const argv = (df: string, opts = {}) => buildModel(df, opts).command?.argv ?? null;
const kinds = (effects: Effect[]) => effects.map((e) => e.kind);
const codes = (df: string, opts = {}) => buildModel(df, opts).diagnostics.map((d) => d.code);

describe("the ENTRYPOINT × CMD table (semantics.md §1)", () => {
  test("no ENTRYPOINT, no CMD: error, no command", () => {
    const m = buildModel("FROM scratch\nCOPY app /app\n", { context: memoryFs({ app: "x" }) });
    expect(m.command?.argv).toBeNull();
    expect(kinds(m.effects)).toContain("no-command");
    expect(m.diagnostics.find((d) => d.code === "no-command")?.severity).toBe("error");
  });
  test("shell-form ENTRYPOINT alone", () => {
    expect(argv("FROM debian\nENTRYPOINT e p\n")).toEqual(["/bin/sh", "-c", "e p"]);
  });
  test("exec-form ENTRYPOINT alone", () => {
    expect(argv('FROM debian\nENTRYPOINT ["e","p"]\n')).toEqual(["e", "p"]);
  });
  test("exec CMD alone", () => {
    expect(argv('FROM debian\nCMD ["c","q"]\n')).toEqual(["c", "q"]);
  });
  test("shell ENTRYPOINT + exec CMD: CMD words follow but are ignored", () => {
    const m = buildModel('FROM debian\nENTRYPOINT /entrypoint.sh\nCMD ["nginx"]\n');
    expect(m.command?.argv).toEqual(["/bin/sh", "-c", "/entrypoint.sh", "nginx"]);
    expect(m.command?.cmdIgnored).toBe(true);
    expect(kinds(m.effects)).toContain("cmd-ignored");
  });
  test("exec ENTRYPOINT + exec CMD", () => {
    expect(argv('FROM debian\nENTRYPOINT ["e","p"]\nCMD ["c","q"]\n')).toEqual(["e", "p", "c", "q"]);
  });
  test("shell CMD alone", () => {
    expect(argv("FROM debian\nCMD c q\n")).toEqual(["/bin/sh", "-c", "c q"]);
  });
  test("shell ENTRYPOINT + shell CMD", () => {
    const m = buildModel("FROM debian\nENTRYPOINT e p\nCMD c q\n");
    expect(m.command?.argv).toEqual(["/bin/sh", "-c", "e p", "/bin/sh", "-c", "c q"]);
    expect(m.command?.cmdIgnored).toBe(true);
  });
  test("exec ENTRYPOINT + shell CMD", () => {
    expect(argv('FROM debian\nENTRYPOINT ["e","p"]\nCMD c q\n')).toEqual(["e", "p", "/bin/sh", "-c", "c q"]);
  });
  test("path and args split like docker inspect", () => {
    const c = buildModel('FROM debian\nENTRYPOINT ["/x.sh"]\nCMD ["a", "b"]\n').command!;
    expect(c.path).toBe("/x.sh");
    expect(c.args).toEqual(["a", "b"]);
  });
});

describe("exec form vs shell form, as Docker decides", () => {
  test.each([
    ["single quotes", "ENTRYPOINT ['/x.sh']"],
    ["trailing comma", 'ENTRYPOINT ["/x.sh",]'],
    ["unquoted $VAR", 'CMD ["/x.sh", $HOME]'],
  ])("invalid JSON (%s) falls back to shell form", (_n, line) => {
    const m = buildModel(`FROM debian\n${line}\n`);
    const part = m.command!.entrypoint ?? m.command!.cmd!;
    expect(part.form).toBe("shell");
    expect(part.jsonFallback).not.toBeNull();
    expect(m.command!.argv).toEqual(["/bin/sh", "-c", line.replace(/^\w+ /, "")]);
    expect(kinds(m.effects)).toContain("json-fallback");
  });
  test("a shell command led by the [ test builtin is the shell form the author meant, not broken JSON", () => {
    for (const line of ["CMD [ -f /etc/app.conf ] && exec app", 'CMD [ "$MODE" = "worker" ] || exec app --serve', "ENTRYPOINT [ -n \"$DEBUG\" ] && set -x; exec /app"]) {
      const m = buildModel(`FROM debian\n${line}\n`);
      const part = m.command!.entrypoint ?? m.command!.cmd!;
      expect(part.form).toBe("shell");
      expect(part.jsonFallback).toBeNull();
      expect(kinds(m.effects)).not.toContain("json-fallback");
    }
    // still broken JSON: no blank after [, commas between items, nothing joined after the ]
    for (const line of ["CMD ['a', 'b']", 'CMD ["nginx", "-g", "daemon off;",]', "CMD [ 'nginx' ]", "CMD [ 'a', 'b' ] && x", "CMD [ \"a\" \"b\" ]"])
      expect(kinds(buildModel(`FROM debian\n${line}\n`).effects), line).toContain("json-fallback");
  });
  test("leading blanks before [ still mean exec form", () => {
    expect(buildModel('FROM debian\nCMD    ["a"]\n').command!.cmd!.form).toBe("exec");
  });
  test("a JSON array with a non-string element is a Dockerfile error", () => {
    expect(codes('FROM debian\nCMD ["sleep", 10]\n')).toContain("json-not-strings");
  });
  test("text that does not start with [ is shell form without a fallback effect", () => {
    const m = buildModel('FROM debian\nCMD echo ["a"]\n');
    expect(m.command!.cmd!.form).toBe("shell");
    expect(m.command!.cmd!.jsonFallback).toBeNull();
    expect(kinds(m.effects)).not.toContain("json-fallback");
  });
  test("shell form is wrapped in the SHELL in effect at that line", () => {
    const m = buildModel('FROM debian\nCMD a\nSHELL ["/bin/bash", "-ec"]\nENTRYPOINT b\n');
    expect(m.command!.entrypoint!.words).toEqual(["/bin/bash", "-ec", "b"]);
    // The CMD was read before SHELL changed, and the same stage sets it, so ENTRYPOINT keeps it.
    expect(m.command!.cmd!.words).toEqual(["/bin/sh", "-c", "a"]);
  });
  test("SHELL is inherited from an earlier stage", () => {
    const m = buildModel('FROM debian AS a\nSHELL ["/bin/bash","-c"]\nFROM a\nCMD run me\n');
    expect(m.command!.argv).toEqual(["/bin/bash", "-c", "run me"]);
    expect(m.command!.cmd!.shell!.origin).toEqual({ kind: "stage", stage: 0, stageName: "a", line: 2 });
  });
  test("SHELL that is not JSON is an error", () => {
    expect(codes("FROM debian\nSHELL /bin/bash -c\n")).toContain("bad-shell");
  });
  test("$ in exec form stays literal and is recorded", () => {
    const m = buildModel('FROM debian\nENV HOME=/root\nCMD ["$HOME/run.sh"]\n');
    expect(m.command!.argv).toEqual(["$HOME/run.sh"]);
    expect(m.effects).toContainEqual({ kind: "literal-dollar", keyword: "CMD", line: 3, word: "$HOME/run.sh" });
  });
  test("$ in the command string of a shell's -c is the shell's to expand, not literal", () => {
    const dollars = (df: string) => buildModel(df).effects.filter((e) => e.kind === "literal-dollar").map((e) => (e as { word: string }).word);
    expect(dollars('FROM debian\nCMD ["sh", "-c", "exec java $JAVA_OPTS -jar /app.jar"]\n')).toEqual([]);
    expect(dollars('FROM debian\nCMD ["/bin/bash", "-ec", "exec app ${PORT:-80}"]\n')).toEqual([]);
    expect(dollars('FROM debian\nCMD ["env", "A=1", "busybox", "sh", "-x", "-c", "exec app $A"]\n')).toEqual([]);
    expect(dollars('FROM debian\nENTRYPOINT ["sh", "-c"]\nCMD ["exec app $PORT"]\n')).toEqual([]);
    // still literal: the words after the command string ($0, $1…), a script file, no -c
    expect(dollars('FROM debian\nCMD ["sh", "-c", "exec \\"$@\\"", "sh", "$HOME"]\n')).toEqual(["$HOME"]);
    expect(dollars('FROM debian\nCMD ["sh", "/run.sh", "$PORT"]\n')).toEqual(["$PORT"]);
    expect(dollars('FROM debian\nCMD ["java", "-cp", "$CP", "Main"]\n')).toEqual(["$CP"]);
    expect(dollars('FROM debian\nENTRYPOINT ["/run.sh"]\nCMD ["$PORT"]\n')).toEqual(["$PORT"]);
  });
  test("no build-time substitution in shell form either", () => {
    expect(argv("FROM debian\nARG X=1\nENV Y=2\nCMD echo $X $Y\n")).toEqual(["/bin/sh", "-c", "echo $X $Y"]);
  });
});

describe("CMD reset, dead lines, inheritance", () => {
  test("ENTRYPOINT resets an inherited CMD", () => {
    const m = buildModel('FROM nginx\nENTRYPOINT ["/wrap.sh"]\n');
    expect(m.command!.argv).toEqual(["/wrap.sh"]);
    expect(m.command!.resetCmd?.words).toEqual(["nginx", "-g", "daemon off;"]);
    expect(kinds(m.effects)).toContain("inherited-cmd-reset");
  });
  test("unless the same stage sets CMD, before the ENTRYPOINT", () => {
    const m = buildModel('FROM nginx\nCMD ["nginx"]\nENTRYPOINT ["/wrap.sh"]\n');
    expect(m.command!.argv).toEqual(["/wrap.sh", "nginx"]);
    expect(kinds(m.effects)).not.toContain("inherited-cmd-reset");
  });
  test("or after it", () => {
    expect(argv('FROM nginx\nENTRYPOINT ["/wrap.sh"]\nCMD ["nginx"]\n')).toEqual(["/wrap.sh", "nginx"]);
  });
  test("a CMD set in the parent stage is reset by an ENTRYPOINT in the child stage", () => {
    const m = buildModel('FROM debian AS base\nCMD ["serve"]\nFROM base\nENTRYPOINT ["/e.sh"]\n');
    expect(m.command!.argv).toEqual(["/e.sh"]);
    expect(m.command!.resetCmd!.origin).toEqual({ kind: "stage", stage: 0, stageName: "base", line: 2 });
  });
  test("only the last ENTRYPOINT and CMD count", () => {
    const m = buildModel('FROM debian\nCMD ["a"]\nENTRYPOINT ["x"]\nCMD ["b"]\nENTRYPOINT ["y"]\n');
    expect(m.command!.argv).toEqual(["y", "b"]);
    expect(m.effects.filter((e) => e.kind === "dead-instruction")).toEqual([
      { kind: "dead-instruction", keyword: "ENTRYPOINT", line: 3, supersededBy: 5 },
      { kind: "dead-instruction", keyword: "CMD", line: 2, supersededBy: 4 },
    ]);
  });
  test("ENTRYPOINT [] clears the inherited entrypoint", () => {
    expect(argv('FROM nginx\nENTRYPOINT []\nCMD ["nginx"]\n')).toEqual(["nginx"]);
  });
  test("config values carry their origin", () => {
    const m = buildModel("FROM nginx:alpine\nWORKDIR app\nUSER 101\n");
    expect(m.config!.stopSignal).toEqual({ value: "SIGQUIT", origin: { kind: "base-image", image: "nginx:alpine" } });
    expect(m.config!.workingDir).toEqual({ value: "/app", origin: { kind: "instruction", line: 2, stage: 0 } });
    expect(m.config!.user.value).toBe("101");
    expect(m.config!.shell.origin).toEqual({ kind: "default" });
    expect(m.command!.entrypoint!.origin).toEqual({ kind: "base-image", image: "nginx:alpine" });
  });
  test("STOPSIGNAL is normalized like Docker's ParseSignal, and invalid ones are errors", () => {
    expect(buildModel("FROM debian\nSTOPSIGNAL quit\nCMD x\n").config!.stopSignal.value).toBe("SIGQUIT");
    expect(buildModel("FROM debian\nSTOPSIGNAL 28\nCMD x\n").config!.stopSignal.value).toBe("SIGWINCH");
    expect(codes("FROM debian\nSTOPSIGNAL SIGBOGUS\nCMD x\n")).toContain("bad-stopsignal");
  });
  test("ENV values expand against the values before the instruction", () => {
    const m = buildModel("FROM debian\nENV A=hello\nENV A=bye B=$A\nENV C ${B:-x} and more\nCMD x\n");
    expect(m.config!.env.A!.value).toBe("bye");
    expect(m.config!.env.B!.value).toBe("hello");
    expect(m.config!.env.C!.value).toBe("hello and more");
  });
  test("ENV PATH extends the inherited PATH", () => {
    const m = buildModel("FROM debian\nENV PATH=/opt/app/bin:$PATH\nCMD x\n");
    expect(m.config!.env.PATH!.value).toBe("/opt/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  });
});

describe("stages, ARG, --target", () => {
  const df = "ARG BASE=debian:bookworm\nARG TAG\nFROM $BASE AS build\nCMD [\"build\"]\nFROM ${BASE} AS final\nCMD [\"final\"]\n";
  test("ARG before FROM is substituted, with defaults and overrides", () => {
    expect(buildModel(df).stages.map((s) => s.from)).toEqual(["debian:bookworm", "debian:bookworm"]);
    expect(buildModel(df, { buildArgs: { BASE: "alpine:3.20" } }).target!.base.binSh).toBe("busybox");
  });
  test("target by name and by index; the default is the last stage", () => {
    expect(argv(df)).toEqual(["final"]);
    expect(argv(df, { target: "build" })).toEqual(["build"]);
    expect(argv(df, { target: "BUILD" })).toEqual(["build"]);
    expect(argv(df, { target: 0 })).toEqual(["build"]);
    expect(codes(df, { target: "nope" })).toContain("no-such-target");
  });
  test("an unset ARG in FROM is a warning", () => {
    expect(codes("FROM $NOPE\nCMD x\n")).toContain("unset-arg-in-from");
  });
  test("a stage ARG without default takes the global value", () => {
    const m = buildModel("ARG V=1.2\nFROM debian\nARG V\nENV APP_VERSION=$V\nCMD x\n");
    expect(m.config!.env.APP_VERSION!.value).toBe("1.2");
  });
  test("unknown base images are said to be unknown", () => {
    const m = buildModel("FROM example.com/team/app:1\nCMD x\n");
    expect(m.target!.base.kind).toBe("unknown");
    expect(m.target!.base.binSh).toBe("unknown");
    expect(m.effects).toContainEqual({ kind: "unknown-base-image", image: "example.com/team/app:1", line: 1 });
  });
  test("a user-supplied docker image inspect config makes it known", () => {
    const inspect = [{ Config: { Entrypoint: ["/init"], Cmd: ["serve"], StopSignal: "SIGINT", Env: ["PATH=/x"], WorkingDir: "/srv" } }];
    const m = buildModel("FROM example.com/team/app:1\n", { baseConfigs: { "example.com/team/app:1": inspect } });
    expect(m.command!.argv).toEqual(["/init", "serve"]);
    expect(m.config!.stopSignal.value).toBe("SIGINT");
    expect(m.config!.env.PATH!.value).toBe("/x");
    expect(m.command!.entrypoint!.origin).toEqual({ kind: "base-config", image: "example.com/team/app:1" });
  });
  test("docker.io/library/ prefixes and tags are normalized for the catalog", () => {
    expect(buildModel("FROM docker.io/library/nginx:1.27-alpine\n").target!.base.binSh).toBe("busybox");
    expect(buildModel("FROM nginx:1.27\n").target!.base.binSh).toBe("dash");
  });
});

describe("parser details", () => {
  test("escape directive, continuations, comments and empty lines inside continuations", () => {
    const m = buildModel("# escape=`\nFROM debian\nCMD echo a `\n# comment\n\n   b `\n  c\n");
    expect(m.command!.argv).toEqual(["/bin/sh", "-c", "echo a    b   c"]);
  });
  test("backslash continuation inside exec form", () => {
    expect(argv('FROM debian\nCMD ["a", \\\n  "b"]\n')).toEqual(["a", "b"]);
  });
  test("CRLF line endings", () => {
    expect(argv('FROM debian\r\nCMD ["a"]\r\n')).toEqual(["a"]);
  });
  test("lower-case keywords and a BOM", () => {
    expect(argv('\uFEFFfrom debian\ncmd ["a"]\n')).toEqual(["a"]);
  });
  test("a trailing # is part of a shell-form command", () => {
    expect(argv("FROM debian\nCMD run # not a comment\n")).toEqual(["/bin/sh", "-c", "run # not a comment"]);
  });
  test("heredocs: COPY with several heredocs, <<-, quoted delimiters", () => {
    const df = [
      "FROM debian",
      'COPY <<EOF <<-"TWO" /app/',
      "#!/bin/sh",
      'exec "$@"',
      "EOF",
      "\tindented",
      "\tTWO",
      "RUN <<'X' sh",
      "echo hi",
      "X",
      'CMD ["/app/EOF"]',
    ].join("\n");
    const m = buildModel(df);
    expect(m.command!.argv).toEqual(["/app/EOF"]);
    const r = m.resolve("/app/EOF");
    expect(r.kind).toBe("context");
    if (r.kind === "context") {
      expect(r.content()).toBe('#!/bin/sh\nexec "$@"\n');
      expect(r.file.mode).toBe(0o644);
      expect(r.executable).toBe(false);
    }
    const two = m.resolve("/app/TWO");
    expect(two.kind === "context" && two.content()).toBe("indented\n");
    expect(m.diagnostics).toEqual([]);
  });
  test("an unterminated heredoc is an error with its line", () => {
    const m = buildModel("FROM debian\nRUN cat <<EOF\nnever ends\nCMD [\"x\"]\n");
    expect(m.diagnostics).toContainEqual(expect.objectContaining({ code: "unterminated-heredoc", line: 2 }));
  });
  test("unknown instructions are errors with their line", () => {
    const m = buildModel("FROM debian\nBOGUS x\nCMD [\"a\"]\n");
    expect(m.diagnostics).toContainEqual(expect.objectContaining({ code: "unknown-instruction", line: 2 }));
    expect(m.command!.argv).toEqual(["a"]);
  });
});

describe("bad input never throws", () => {
  test.each([
    ["empty", ""],
    ["only comments", "# nothing\n\n"],
    ["binary", "FROM x\n\u0000\u0001\u0002"],
    ["not a Dockerfile", "{\n  \"name\": \"package\"\n}\n"],
    ["instruction before FROM", "CMD x\nFROM debian\n"],
    ["garbage JSON", 'FROM debian\nCMD [[[[\n'],
    ["bad substitution", "FROM ${:}\n"],
    ["FROM without image", "FROM\n"],
  ])("%s", (_n, text) => {
    const m = buildModel(text);
    expect(m.diagnostics.length + m.effects.filter((e) => e.kind === "json-fallback").length).toBeGreaterThan(0);
    expect(m.diagnostics.every((d) => d.line === null || d.line >= 1)).toBe(true);
  });
  test("lone CR characters (dockerfile-ast breaks lines there, BuildKit does not)", () => {
    const m = buildModel("FROM debian\rCMD x\r\rCMD [\"a\"]\n");
    expect(m.diagnostics.every((d) => d.line === null || d.line >= 1)).toBe(true);
  });
  test("resolve answers each (word, cwd, PATH) once, and tells different questions apart", () => {
    const ctx = memoryFs({ "e.sh": { content: "#!/bin/sh\n", mode: 0o755 } });
    const m = buildModel('FROM debian\nWORKDIR /app\nCOPY e.sh /usr/local/bin/e.sh\nCMD ["e.sh"]\n', { context: ctx });
    const a = m.resolve("e.sh");
    expect(a.kind).toBe("context");
    expect(m.resolve("e.sh")).toBe(a);
    expect(m.resolve("e.sh", { path: "/opt/bin" }).kind).not.toBe("context");
    expect(m.resolve("./e.sh").kind).not.toBe("context");
    expect(m.resolve("./e.sh", { cwd: "/usr/local/bin" }).kind).toBe("context");
  });
  test("a .dockerignore pattern too large to compile matches nothing instead of throwing", () => {
    const ctx = memoryFs({ ".dockerignore": "a".repeat(200_000) + "\n" + "(".repeat(50_000) + "\n", "e.sh": { content: "#!/bin/sh\n", mode: 0o755 } });
    expect(buildModel('FROM debian\nCOPY e.sh /e.sh\nCMD ["/e.sh"]\n', { context: ctx }).resolve("/e.sh").kind).toBe("context");
  });
  test("a file over 768 KiB (and under 2 MiB) is parsed in part, and the model says where it stops", () => {
    const big = 'FROM debian\nCMD ["a"]\n' + "LABEL x=y\n".repeat(150_000);
    const m = buildModel(big);
    expect(m.command!.argv).toEqual(["a"]);
    expect(m.diagnostics.some((d) => d.code === "file-too-large")).toBe(false);
    expect(m.truncated?.reason).toMatch(/larger than 786432 bytes: only its first \d+ lines were analyzed/);
    expect(m.truncated!.line).toBeLessThan(150_000);
    expect(buildModel(big, { maxParseBytes: 4 * 1024 * 1024 }).truncated).toBeNull();
  });
  test("a 10 MB file gives a partial model and a diagnostic", () => {
    const big = "FROM debian\nCMD [\"a\"]\n" + "LABEL x=y\n".repeat(1_100_000);
    const m = buildModel(big);
    expect(m.command!.argv).toEqual(["a"]);
    expect(m.diagnostics).toContainEqual(expect.objectContaining({ code: "file-too-large" }));
  });
});

describe("the build-context map", () => {
  const ctx = memoryFs({
    "entrypoint.sh": { content: "#!/bin/sh\nexec \"$@\"\n", mode: 0o755 },
    "scripts/a.sh": { content: "a", mode: 0o644 },
    "scripts/b.sh": { content: "b", mode: 0o755 },
    "scripts/notes.txt": "n",
    "app/server.js": "js",
    "app/node_modules/x.js": "x",
    secret: "s",
    ".dockerignore": "app/node_modules\nsecret\n",
  });
  test("absolute, WORKDIR-relative and PATH lookups", () => {
    const m = buildModel(
      "FROM debian\nWORKDIR /srv\nCOPY entrypoint.sh /usr/local/bin/\nCOPY app .\nCOPY scripts/*.sh bin/\nCMD x\n",
      { context: ctx },
    );
    const r1 = m.resolve("docker-entrypoint.sh");
    expect(r1.kind).not.toBe("context");
    const r2 = m.resolve("entrypoint.sh");
    expect(r2).toMatchObject({ kind: "context", imagePath: "/usr/local/bin/entrypoint.sh", executable: true });
    expect(m.resolve("./server.js")).toMatchObject({ kind: "context", imagePath: "/srv/server.js", file: { source: { kind: "context", path: "app/server.js" } } });
    expect(m.resolve("/srv/bin/a.sh")).toMatchObject({ kind: "context", executable: false });
    expect(m.resolve("/srv/bin/b.sh")).toMatchObject({ kind: "context", executable: true });
    expect(m.resolve("/srv/bin/notes.txt").kind).not.toBe("context");
  });
  test("a destination of \".\" is the working directory, as in BuildKit (COPY server.js . under WORKDIR /app)", () => {
    const m = buildModel("FROM debian\nWORKDIR /app\nCOPY app/server.js .\nCOPY scripts/a.sh ./\nCOPY scripts/b.sh /opt/b\nCMD x\n", { context: ctx });
    expect(m.resolve("/app/server.js")).toMatchObject({ kind: "context", file: { source: { kind: "context", path: "app/server.js" } } });
    expect(m.resolve("/app/a.sh").kind).toBe("context");
    expect(m.resolve("/opt/b").kind).toBe("context"); // no trailing slash: the file itself is named /opt/b
    expect(m.files.map((f) => f.imagePath)).toEqual(["/app/server.js", "/app/a.sh", "/opt/b"]);
    expect(buildModel("FROM debian\nWORKDIR /app\nCOPY scripts/a.sh scripts/b.sh .\nCMD x\n", { context: ctx }).diagnostics.map((d) => d.code)).not.toContain("copy-dest-not-dir");
  });
  test("a pattern source counts its matches: one match copied to a file name is a file copy (the Spring Boot JAR_FILE idiom)", () => {
    const one = memoryFs({ "target/app-1.0.jar": "jar", "target/classes/x": "x" });
    const two = memoryFs({ "target/app-1.0.jar": "jar", "target/app-1.0-plain.jar": "plain" });
    for (const df of ["FROM eclipse-temurin:21\nCOPY target/*.jar app.jar\nCMD x\n", "FROM eclipse-temurin:21\nARG JAR_FILE=target/*.jar\nCOPY ${JAR_FILE} /app.jar\nCMD x\n"]) {
      const m = buildModel(df, { context: one });
      expect(m.diagnostics.map((d) => d.code)).not.toContain("copy-dest-not-dir");
      expect(m.resolve("/app.jar")).toMatchObject({ kind: "context", file: { source: { kind: "context", path: "target/app-1.0.jar" } } });
      // two matches: the classic builder stops ("When using COPY with more than one source file, the destination must be a directory and end with a /")
      expect(buildModel(df, { context: two }).diagnostics).toContainEqual(expect.objectContaining({ code: "copy-dest-not-dir", severity: "warning" }));
    }
    // no match in the context: a build artifact (made before docker build), not a builder error
    const none = buildModel("FROM eclipse-temurin:21\nCOPY target/*.jar app.jar\nCMD x\n", { context: memoryFs({ pom: "p" }) });
    expect(none.diagnostics.map((d) => d.code)).not.toContain("copy-dest-not-dir");
    expect(kinds(none.effects)).toContain("build-artifact");
    expect(none.resolve("/app.jar").kind).toBe("unknown");
    // a pattern over another stage: its matches are not known, the destination names the file
    const staged = buildModel("FROM maven AS build\nRUN mvn package\nFROM eclipse-temurin:21\nCOPY --from=build /src/target/*.jar /app.jar\nCMD x\n");
    expect(staged.diagnostics.map((d) => d.code)).not.toContain("copy-dest-not-dir");
    expect(staged.resolve("/app.jar").kind).toBe("unknown");
    // two words stay more than one source
    expect(codes("FROM debian\nCOPY a b /c\nCMD x\n", { context: memoryFs({ a: "a", b: "b" }) })).toContain("copy-dest-not-dir");
  });
  test("dos2unix and sed -i 's/\\r$//' leave a known file known, without its carriage returns", () => {
    const crlf = memoryFs({ "e.sh": { content: "#!/bin/sh\r\nexec \"$@\"\r\n", mode: 0o755 }, "lone.sh": { content: "#!/bin/sh\r\necho a\rb\r\n", mode: 0o755 } });
    for (const run of ["dos2unix /e.sh", "sed -i 's/\\r$//' /e.sh", "dos2unix /*.sh"]) {
      const r = buildModel(`FROM alpine:3.20\nCOPY e.sh lone.sh /\nRUN ${run}\nENTRYPOINT ["/e.sh"]\n`, { context: crlf }).resolve("/e.sh");
      expect(r, run).toMatchObject({ kind: "context", executable: true, file: { source: { kind: "run", line: 3 } } });
      expect(r.kind === "context" && r.content(), run).toBe('#!/bin/sh\nexec "$@"\n');
    }
    // a CR that ends no line: dos2unix implementations differ (BusyBox's drops it too), so not known
    expect(buildModel('FROM alpine:3.20\nCOPY lone.sh /\nRUN dos2unix /lone.sh\nCMD ["/lone.sh"]\n', { context: crlf }).resolve("/lone.sh").kind).toBe("unknown");
    // a pattern reaches only the files it matches
    const other = buildModel('FROM alpine:3.20\nCOPY e.sh /\nRUN dos2unix /opt/*.sh\nCMD ["/e.sh"]\n', { context: crlf }).resolve("/e.sh");
    expect(other.kind === "context" && other.content()).toBe("#!/bin/sh\r\nexec \"$@\"\r\n");
  });
  test(".dockerignore hides files, and COPY of an ignored file is an error", () => {
    const m = buildModel("FROM debian\nCOPY app /app\nCOPY secret /secret\nCMD x\n", { context: ctx });
    expect(m.resolve("/app/node_modules/x.js").kind).not.toBe("context");
    expect(m.resolve("/app/server.js").kind).toBe("context");
    expect(m.diagnostics).toContainEqual(expect.objectContaining({ code: "copy-source-excluded", line: 3 }));
  });
  test("--chmod and RUN chmod +x set the mode", () => {
    const m = buildModel("FROM debian\nCOPY --chmod=755 scripts/a.sh /a.sh\nCOPY scripts/notes.txt /n\nRUN chmod +x /n\nCMD x\n", { context: ctx });
    expect(m.resolve("/a.sh")).toMatchObject({ executable: true, file: { mode: 0o755 } });
    expect(m.resolve("/n")).toMatchObject({ executable: true, file: { mode: 0o755, chmodLine: 4 } });
  });
  test("a COPY after RUN chmod keeps the copied file's own mode", () => {
    const m = buildModel("FROM debian\nRUN chmod +x /n\nCOPY scripts/notes.txt /n\nCMD x\n", { context: ctx });
    expect(m.resolve("/n")).toMatchObject({ executable: false });
  });
  test("COPY --from a stage follows the file into that stage", () => {
    const m = buildModel("FROM debian AS b\nCOPY entrypoint.sh /e.sh\nFROM scratch\nCOPY --from=b /e.sh /entry\nCMD [\"/entry\"]\n", { context: ctx });
    expect(m.resolve("/entry")).toMatchObject({ kind: "context", file: { source: { kind: "context", path: "entrypoint.sh" } } });
  });
  test("a stage built FROM another stage keeps its files", () => {
    const m = buildModel("FROM debian AS b\nCOPY entrypoint.sh /e.sh\nFROM b\nCMD [\"/e.sh\"]\n", { context: ctx });
    expect(m.resolve("/e.sh").kind).toBe("context");
    expect(m.files.map((f) => f.imagePath)).toEqual(["/e.sh"]);
  });
  test("`..` in a COPY source stays inside the context", () => {
    const m = buildModel("FROM debian\nCOPY ../../secret /s\nCOPY ../entrypoint.sh /e\nCMD x\n", { context: ctx });
    expect(m.diagnostics.filter((d) => d.code === "copy-outside-context").length).toBe(2);
    expect(m.resolve("/e")).toMatchObject({ kind: "context", file: { source: { path: "entrypoint.sh" } } });
  });
  test("scratch: anything not copied is not found; shells absent from the catalog are not found", () => {
    expect(buildModel("FROM scratch\nCMD [\"/app\"]\n").resolve("/app").kind).toBe("not-found");
    expect(buildModel("FROM alpine\nCMD x\n").resolve("/bin/bash").kind).toBe("not-found");
    expect(buildModel("FROM alpine\nRUN apk add bash\nCMD x\n").resolve("/bin/bash").kind).toBe("base-image");
    expect(buildModel("FROM debian\nCMD x\n").resolve("/usr/bin/bash")).toMatchObject({ kind: "base-image", certain: true });
    expect(buildModel("FROM example.com/x\nCMD x\n").resolve("/app").kind).toBe("unknown");
  });
  test("ADD of a URL: the listing and the resolution name the same file", () => {
    const m = buildModel("FROM debian\nADD https://example.com/dl/tool.sh?v=2 /opt/\nCMD x\n");
    expect(m.files.map((f) => f.imagePath)).toEqual(["/opt/tool.sh"]);
    expect(m.resolve("/opt/tool.sh")).toMatchObject({ kind: "context", file: { source: { kind: "url" }, mode: 0o600 } });
  });
  test("files lists what each COPY put where", () => {
    const m = buildModel("FROM debian\nCOPY scripts/ /opt/s/\nCOPY entrypoint.sh /\nCMD x\n", { context: ctx });
    expect(m.files.map((f) => [f.imagePath, f.type, f.source.kind === "context" ? f.source.path : null])).toEqual([
      ["/opt/s", "dir", "scripts"],
      ["/entrypoint.sh", "file", "entrypoint.sh"],
    ]);
  });
});

describe("the image as built: COPY adds, RUN changes files (issue 12)", () => {
  const ctx = memoryFs({ "start.sh": "#!/bin/sh\nexec app\n", "conf/a.conf": "x", "go.mod": "module x" });
  test("COPY --from a glob or a directory does not hide the base image's files", () => {
    const df = "FROM golang:1.22 AS b\nRUN go build -o /go/bin/tool .\nFROM node:20\nCOPY --from=b /go/bin/* /usr/local/bin/\nCOPY --from=b /go/bin/tool .\nCMD x\n";
    const m = buildModel(df, { context: ctx });
    expect(m.resolve("/usr/local/bin/docker-entrypoint.sh")).toMatchObject({ kind: "base-image", certain: true });
    expect(m.resolve("/bin/sh")).toMatchObject({ kind: "base-image", certain: true });
  });
  test("COPY --from=x / / over a known base keeps /bin/sh; a file that x holds wins", () => {
    const df = "FROM scratch AS x\nCOPY start.sh /start.sh\nFROM debian:12\nCOPY --from=x / /\nCMD x\n";
    const m = buildModel(df, { context: ctx });
    expect(m.resolve("/bin/sh")).toMatchObject({ kind: "base-image", certain: true });
    expect(m.resolve("/start.sh").kind).toBe("context");
  });
  test("an image whose /bin/sh is BusyBox has /bin/busybox (busybox crond -f is not a missing program)", () => {
    expect(buildModel("FROM alpine:3.20\nCMD [\"busybox\", \"crond\", \"-f\"]\n").resolve("busybox")).toMatchObject({ kind: "base-image", imagePath: "/bin/busybox", certain: true });
    expect(buildModel("FROM debian:12\nCMD x\n").resolve("busybox").kind).toBe("not-found");
  });
  test("RUN touch: the file is there; new, it is empty; a file that was there keeps its content", () => {
    const m = buildModel("FROM debian:12\nCOPY conf/a.conf /etc/a.conf\nRUN apt-get update && touch /use_fpm /etc/a.conf\nCMD x\n", { context: ctx });
    // the base image may hold a /use_fpm: it is there now, with a content not known
    expect(m.resolve("/use_fpm")).toEqual({ kind: "unknown", imagePath: "/use_fpm", reason: "touched at line 3: there now, its content is not known" });
    const kept = m.resolve("/etc/a.conf");
    expect(kept.kind === "context" && kept.content()).toBe("x");
    const made = buildModel("FROM debian:12\nRUN rm -f /ready && touch /ready\nCMD x\n", { context: ctx }).resolve("/ready");
    expect(made).toMatchObject({ kind: "context", file: { type: "file", source: { kind: "run", line: 2 } } });
    expect(made.kind === "context" && made.content()).toBe("");
  });
  test("COPY f /existing/dir without a trailing slash copies into it", () => {
    expect(buildModel("FROM debian:12\nCOPY start.sh /usr/local/bin\nCMD x\n", { context: ctx }).resolve("start.sh").kind).toBe("context");
    expect(buildModel("FROM debian:12\nWORKDIR /app\nCOPY start.sh /app\nCMD x\n", { context: ctx }).resolve("/app/start.sh").kind).toBe("context");
    // not a directory there: the file is named so
    expect(buildModel("FROM debian:12\nCOPY start.sh /srv/run\nCMD x\n", { context: ctx }).resolve("/srv/run").kind).toBe("context");
  });
  test("a COPY source absent from the context: unknown content, a build-artifact effect, no diagnostic", () => {
    const m = buildModel("FROM alpine:3.20\nCOPY dist/server /server\nENTRYPOINT [\"/server\"]\n", { context: ctx });
    expect(m.resolve("/server")).toMatchObject({ kind: "unknown", artifact: { line: 2, source: "dist/server" } });
    expect(m.resolve("/bin/sh")).toMatchObject({ kind: "base-image", certain: true });
    expect(m.effects).toContainEqual(expect.objectContaining({ kind: "build-artifact", line: 2, source: "dist/server" }));
    expect(m.diagnostics).toEqual([]);
  });
  test("ADD of an archive (present or a build artifact) onto scratch: a shell may be in it, so it is unknown, not missing", () => {
    for (const files of [{}, { "rootfs.tar.gz": "x" }]) {
      const m = buildModel('FROM scratch\nADD rootfs.tar.gz /\nCMD ["sh"]\n', { context: memoryFs(files) });
      expect(m.resolve("sh")).toMatchObject({ kind: "unknown", maybe: true });
      expect(m.resolve("/bin/sh").kind).toBe("unknown");
    }
  });
  test("only the stages the target needs count (BuildKit skips the others)", () => {
    const df = "FROM alpine:3.20 AS local\nCOPY prebuilt/app /app\nFROM alpine:3.20 AS used\nCOPY dist/lib /lib2\nFROM alpine:3.20\nCOPY --from=used /lib2 /lib2\nCMD x\n";
    const m = buildModel(df, { context: ctx });
    expect(m.effects.filter((e) => e.kind === "build-artifact").map((e) => e.line)).toEqual([4]);
  });
  test("RUN mv and ln -s lead to the copied file, with the mode RUN chmod gave it", () => {
    const df = "FROM debian:12\nCOPY start.sh /tmp/s/\nRUN chmod +x /tmp/s/*.sh && mv /tmp/s/start.sh /usr/bin && ln -s /usr/bin/start.sh /start && rm -rf /tmp/s\nCMD x\n";
    const m = buildModel(df, { context: ctx });
    expect(m.resolve("start.sh")).toMatchObject({ kind: "context", executable: true });
    expect(m.resolve("/start")).toMatchObject({ kind: "context", executable: true });
    expect(m.resolve("/tmp/s/start.sh").kind).toBe("not-found");
  });
  test("a file written by RUN has that content; a download or sed -i is unknown, never absent", () => {
    const m = buildModel("FROM debian:12\nRUN printf '#!/bin/sh\\nexec app\\n' > /run.sh && chmod 755 /run.sh\nRUN curl -fsSL https://example.com/x -o /opt/x && sed -i s/a/b/ /etc/hosts\nCMD x\n", { context: ctx });
    const r = m.resolve("/run.sh");
    expect(r).toMatchObject({ kind: "context", executable: true });
    expect(r.kind === "context" && r.content()).toBe("#!/bin/sh\nexec app\n");
    expect(m.resolve("/opt/x")).toMatchObject({ kind: "unknown" });
    expect(m.resolve("/etc/hosts")).toMatchObject({ kind: "unknown" });
  });
  test("a package install puts its programs there (the package table), with its source", () => {
    const r = buildModel("FROM debian:12\nRUN apt-get update && apt-get install -y tini\nCMD x\n").resolve("/usr/bin/tini");
    expect(r).toMatchObject({ kind: "base-image", certain: true, package: { name: "tini", manager: "apt", line: 2 } });
    expect(buildModel("FROM alpine:3.20\nRUN apk add --no-cache tini\nCMD x\n").resolve("/sbin/tini")).toMatchObject({ kind: "base-image", certain: true });
  });
  test("apk del of a --virtual group removes its members' programs; one added outside the group stays", () => {
    const gone = buildModel("FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps tini su-exec && apk del --no-network .deps\nCMD x\n");
    expect(gone.resolve("/sbin/tini")).toMatchObject({ kind: "not-found" });
    expect(gone.resolve("/sbin/su-exec")).toMatchObject({ kind: "not-found" });
    const kept = buildModel("FROM alpine:3.20\nRUN apk add --no-cache tini\nRUN apk add --no-cache --virtual .deps tini su-exec && apk del .deps\nCMD x\n");
    expect(kept.resolve("/sbin/tini")).toMatchObject({ kind: "base-image", certain: true, package: { name: "tini" } });
    expect(kept.resolve("/sbin/su-exec")).toMatchObject({ kind: "not-found" });
    // another group of the same RUN, not removed, keeps its own members
    const other = buildModel("FROM alpine:3.20\nRUN apk add --virtual .run tini && apk add --virtual .deps su-exec && apk del .deps\nCMD x\n");
    expect(other.resolve("/sbin/tini")).toMatchObject({ kind: "base-image", certain: true });
    expect(other.resolve("/sbin/su-exec")).toMatchObject({ kind: "not-found" });
    // installed again after the removal: there
    expect(buildModel("FROM alpine:3.20\nRUN apk add --virtual .deps tini && apk del .deps\nRUN apk add tini\nCMD x\n").resolve("/sbin/tini")).toMatchObject({ kind: "base-image", certain: true });
    // removed only under a condition: never taken as absent (as a conditional rm)
    expect(buildModel("FROM alpine:3.20\nRUN apk add --virtual .deps tini; if [ -n \"$X\" ]; then apk del .deps; fi\nCMD x\n").resolve("/sbin/tini").kind).not.toBe("not-found");
  });
  test("apt-get purge/remove of a package removes its programs", () => {
    const m = buildModel("FROM debian:12\nRUN apt-get update && apt-get install -y tini gosu && apt-get purge -y --auto-remove gosu\nCMD x\n");
    expect(m.resolve("/usr/sbin/gosu")).toMatchObject({ kind: "not-found" });
    expect(m.resolve("/usr/bin/tini")).toMatchObject({ kind: "base-image", certain: true });
  });
  test("RUN ln -sf bash /bin/sh makes /bin/sh bash; under a condition it is unknown", () => {
    expect(buildModel("FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\nCMD x\n").binSh).toBe("bash");
    expect(buildModel("FROM debian:12\nRUN if [ -n \"$X\" ]; then ln -sf bash /bin/sh; fi\nCMD x\n").binSh).toBe("unknown");
    expect(buildModel("FROM debian:12\nCMD x\n").binSh).toBe("dash");
  });
  test("no ENTRYPOINT or CMD over an unknown base image: unknown, not a no-command error", () => {
    const m = buildModel("FROM registry.example.com/team/base:1\nCOPY start.sh /start.sh\n", { context: ctx });
    expect(m.command?.argv).toBeNull();
    expect(m.command?.unknownBase).toBe("registry.example.com/team/base:1");
    expect(m.diagnostics.map((d) => d.code)).not.toContain("no-command");
    expect(m.effects).toContainEqual(expect.objectContaining({ kind: "command-unknown" }));
    expect(m.config?.stopSignal.origin.kind).toBe("unknown-base");
  });
  test("SHELL with options before -c is a shell with options", () => {
    expect(argv('FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD app --port 1\n')).toEqual(["/bin/bash", "-o", "pipefail", "-c", "app --port 1"]);
  });
});

describe("ARG names, as the classic builder takes them (measured on the engine)", () => {
  test("a trailing # comment on an ARG line defines more args, and builds: no error", () => {
    expect(codes("FROM busybox\nARG RUN_TESTS=0 # 0=never, 1=native only\nCMD x\n")).not.toContain("bad-arg");
    expect(codes("FROM busybox\nARG a-b=1 a.b\nCMD x\n")).not.toContain("bad-arg");
  });
  test("a blank name fails the build", () => {
    expect(codes("FROM busybox\nARG =x\nCMD x\n")).toContain("bad-arg");
  });
});

describe("a program built in a stage on the golang image", () => {
  test("a file a COPY --from names, made by any RUN of that stage (make, a build script), is a Go program", () => {
    const m = buildModel("FROM docker.io/library/golang:1.22-alpine AS build\nWORKDIR /src\nRUN make app\nFROM alpine:3.20\nCOPY --from=build /src/app /usr/bin/app\nCMD [\"/usr/bin/app\"]\n");
    expect(m.resolve("/usr/bin/app")).toMatchObject({ builtBy: { tool: "go", stageName: "build" } });
  });
  test("not what a pattern or a directory brings from it, nor a stage on another image", () => {
    const glob = buildModel("FROM golang:1.22 AS build\nRUN make app\nFROM alpine:3.20\nCOPY --from=build /src/* /usr/bin/\nCMD [\"/usr/bin/app\"]\n");
    expect(glob.resolve("/usr/bin/app")).not.toMatchObject({ builtBy: expect.anything() });
    const other = buildModel("FROM node:20 AS build\nRUN make app\nFROM alpine:3.20\nCOPY --from=build /src/app /usr/bin/app\nCMD [\"/usr/bin/app\"]\n");
    expect(other.resolve("/usr/bin/app")).not.toMatchObject({ builtBy: expect.anything() });
  });
});

describe("VOLUME", () => {
  test("JSON and plain forms, variables, a stage built on another keeps its volumes; relative words are not volumes", () => {
    const m = buildModel('FROM debian:12 AS base\nENV DATA=/srv/data\nVOLUME ["/opt/config", "$DATA"]\nFROM base\nVOLUME /var/lib/app /var/log/app/ rel\nCMD ["app"]\n');
    expect(m.volumes).toEqual(["/opt/config", "/srv/data", "/var/lib/app", "/var/log/app"]);
    expect(buildModel('FROM debian:12\nCMD ["app"]\n').volumes).toEqual([]);
  });
});
