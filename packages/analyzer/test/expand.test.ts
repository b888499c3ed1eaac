// Word expansion where the answer depends on the image (command lookups through the model's PATH, files of
// the build context) or is only known at run time: such a value stays unknown, and a program named by it
// is an unknown program with a note, never a program called "$(…)", an empty name or a missing program.
// (What the shells do with known words is compared with the real shells in expand.diff.test.ts.)
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";
import type { ProcessNode } from "../src/types.js";

type Files = Record<string, { content: string; mode: number }>;
const ELF = { content: "\x7fELF", mode: 0o755 };

function run(script: string, opts: { from?: string; files?: Files; copies?: string[]; cmd?: string[] } = {}) {
  const files: Files = { "run.sh": { content: script, mode: 0o755 }, ...opts.files };
  const df = [`FROM ${opts.from ?? "debian:bookworm"}`, "COPY run.sh /run.sh", ...(opts.copies ?? []), `CMD ${JSON.stringify(["/run.sh", ...(opts.cmd ?? [])])}`].join("\n") + "\n";
  const a = analyze(buildModel(df, { context: memoryFs(files) }));
  const nodes: ProcessNode[] = [];
  const walk = (n: ProcessNode | null) => {
    if (!n) return;
    nodes.push(n);
    n.children.forEach(walk);
  };
  walk(a.prediction.processTree);
  return { a, tree: a.prediction.processTree, nodes, rules: a.findings.map((f) => f.ruleId) };
}

describe("$(command -v x), $(which x), $(type -p x): the path the image's PATH gives", () => {
  test("a program the build context puts on the PATH: its path", () => {
    const { tree } = run('#!/bin/sh\nexec "$(command -v app)" --serve\n', { files: { app: ELF }, copies: ["COPY app /usr/local/bin/app"] });
    expect(tree?.argv).toEqual(["/usr/local/bin/app", "--serve"]);
  });
  test("which and type -p as well, and a shell the base image has (Debian: /usr/bin before /bin on the PATH)", () => {
    const { tree } = run('#!/bin/bash\nset -- "$(which app)" "$(type -p sh)"\nexec app "$@"\n', { files: { app: ELF }, copies: ["COPY app /usr/local/bin/app"] });
    expect(tree?.argv).toEqual(["app", "/usr/local/bin/app", "/usr/bin/sh"]);
  });
  test("a builtin or a function is its own name for command -v", () => {
    const { tree } = run('#!/bin/sh\nf() { :; }\nexec app "$(command -v cd)" "$(command -v f)"\n', { files: { app: ELF }, copies: ["COPY app /usr/local/bin/app"] });
    expect(tree?.argv).toEqual(["app", "cd", "f"]);
  });
  test("a program of the base image whose directory is not known: its path is unknown, but exec'ing it runs that program", () => {
    const { tree, rules } = run("#!/bin/sh\nexec $(which nginx) -g 'daemon off;'\n");
    expect(tree?.program).toBe("nginx");
    expect(tree?.argv).toEqual(["nginx", "-g", "daemon off;"]);
    expect(tree?.note).toMatch(/\$\(which nginx\) is the path of nginx on the PATH/);
    expect(rules).not.toContain("missing-program");
  });
  test("a program the image does not have: the output is empty", () => {
    const { tree } = run('#!/bin/sh\nif [ -n "$(command -v bash)" ]; then exec bash -c "exec app"; fi\nexec app --no-bash\n', {
      from: "alpine:3.20", files: { app: ELF }, copies: ["COPY app /usr/local/bin/app"],
    });
    expect(tree?.argv).toEqual(["app", "--no-bash"]);
  });
  test("an image whose files are not known: unknown, and the program it names still runs", () => {
    const { tree, rules } = run("#!/bin/sh\nexec \"$(command -v myserver)\" --port 80\n", { from: "example.com/private/base:1" });
    expect(tree?.argv).toEqual(["myserver", "--port", "80"]);
    expect(rules).not.toContain("missing-program");
  });
});

describe("$(cat file): the file of the build context, split as an unquoted expansion", () => {
  test("set -- $(cat file)", () => {
    const { tree } = run('#!/bin/sh\nset -- $(cat /etc/app/args)\nexec app "$@"\n', {
      files: { app: ELF, args: { content: "--port 80\n--name  'my app'\n", mode: 0o644 } },
      copies: ["COPY app /usr/local/bin/app", "COPY args /etc/app/args"],
    });
    expect(tree?.argv).toEqual(["app", "--port", "80", "--name", "'my", "app'"]);
  });
  test("a file the build context does not hold is unknown: the program is unknown, not a missing program named $(…)", () => {
    const { tree, rules, a } = run('#!/bin/sh\nset -- $(cat /etc/app/cmd)\nexec "$@"\n');
    expect(tree?.program).toBeNull();
    expect(tree?.role).toBe("unknown");
    expect(tree?.note).toMatch(/the program name \$\(…\) is only known at run time/);
    expect(rules).not.toContain("missing-program");
    expect(a.findings.find((f) => f.ruleId === "unknown-program")?.message).toMatch(/^the program \(\$\(…\)\) is only known at run time/);
  });
});

describe("a value only known at run time stays unknown", () => {
  test("a wrapper exec'ing a run-time program: the process is not the wrapper, and no error is reported about it", () => {
    const { tree, a } = run('#!/bin/sh\nexec gosu app "$APP_CMD" --port 80\n');
    expect(tree?.argv).toEqual(["$APP_CMD", "--port", "80"]);
    expect(tree?.program).toBeNull();
    expect(a.findings.filter((f) => f.severity === "error")).toEqual([]);
  });
  test("su -c with a run-time command string: the shell's string is unknown, not the text $(…) run as a program", () => {
    const { nodes } = run('#!/bin/sh\nexec su -c "$(cat /etc/app/cmd)" nobody\n');
    expect(nodes.map((n) => n.argv[0])).toEqual(["su", "sh"]);
    expect(nodes[1]?.note).toMatch(/the command string is only known at run time/);
  });
  test("a slice of no arguments is no word: exec with nothing, not an empty program name", () => {
    const { rules } = run('#!/bin/bash\nexec "${@:2}"\n');
    expect(rules).not.toContain("missing-program");
  });
  test("an array element at a run-time index makes the array unknown", () => {
    const { tree } = run('#!/bin/bash\na=(app --x)\na[$N]=--y\nexec "${a[@]}"\n');
    expect(tree?.argv).toEqual(["${a[@]}"]);
    expect(tree?.program).toBeNull();
  });
});

describe("arrays built under run-time conditions", () => {
  test("an option list that differs by path is one path, with the list unknown (not one scenario per condition)", () => {
    const { a, tree } = run('#!/bin/bash\nopts=(-a)\nif [ -n "$DEBUG" ]; then opts+=(-d); fi\nif [ -n "$TRACE" ]; then opts+=(-t); fi\nexec app "${opts[@]}" --serve\n', {
      files: { app: ELF }, copies: ["COPY app /usr/local/bin/app"],
    });
    expect(a.prediction.scenarios).toEqual([]);
    expect(tree?.argv).toEqual(["app", "${opts[@]}", "--serve"]);
  });
  test("a loop appending each line read: the length is unknown, and the loop ends", () => {
    const { a, tree } = run("#!/bin/bash\nargs=()\nwhile IFS= read -r line; do args+=(\"$line\"); done < /etc/app/args\nexec app \"${args[@]}\"\n", {
      files: { app: ELF }, copies: ["COPY app /usr/local/bin/app"],
    });
    expect(a.prediction.truncated).toBeNull();
    expect(tree?.argv).toEqual(["app", "${args[@]}"]);
  });
});

describe("eval", () => {
  test("eval exec \"$cmd\" with a run-time command: an unknown program with a note", () => {
    const { tree, rules } = run('#!/bin/sh\neval exec "$CMD"\n');
    expect(tree?.argv).toEqual(["$CMD"]);
    expect(tree?.role).toBe("unknown");
    expect(tree?.note).toMatch(/the program name \$CMD is only known at run time/);
    expect(rules).not.toContain("container-exits");
  });
  test("a run-time value inside the text keeps the command around it", () => {
    const { tree } = run('#!/bin/sh\neval "exec app --user \\"$APP_USER\\" --port 80"\n', { files: { app: ELF }, copies: ["COPY app /usr/local/bin/app"] });
    expect(tree?.argv).toEqual(["app", "--user", "$APP_USER", "--port", "80"]);
  });
  test("a text wholly unknown, or a value inside single quotes, is not run (its status is unknown)", () => {
    for (const line of ['eval "$SETUP"', "eval \"x='$X'\""]) {
      const { tree } = run(`#!/bin/sh\n${line}\nexec app\n`, { files: { app: ELF }, copies: ["COPY app /usr/local/bin/app"] });
      expect(tree?.argv).toEqual(["app"]);
    }
  });
});
