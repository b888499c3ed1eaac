// Word expansion, differential: each snippet runs under the REAL shells (bash, dash, BusyBox sh when
// installed), which print the words of its last command (`exec emit WORDS`, emit being a script that prints
// each argument as <word>), and through the interpreter (analyze() of an image whose entrypoint is the
// snippet; `emit` is a program of the image, so the words are the argv of its process). Both lists must be
// equal. A shell that is not installed is a visible skip.
//
// The image of the interpreter's run: debian:bookworm (/bin/sh is dash) for bash and dash, alpine (/bin/sh
// is BusyBox ash) for busybox; WORKDIR /app holds the snippet's files; the snippet's arguments are CMD's.
// The real run: the same files in a temporary directory (the working directory), `emit` on the PATH.
import { afterAll, describe, expect, test } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";
import type { ProcessNode } from "../src/types.js";

type Shell = "bash" | "dash" | "busybox";

interface Snippet {
  name: string;
  shells: Shell[];
  body: string;
  args?: string[];
  env?: Record<string, string>;
  files?: Record<string, string>;
}

const POSIX: Shell[] = ["bash", "dash", "busybox"];
const BASH: Shell[] = ["bash"];

const SNIPPETS: Snippet[] = [
  // ---------------------------------------------------------------- quoting and field splitting
  { name: "backslash outside quotes", shells: POSIX, body: String.raw`exec emit a\ b \$x a\\b \"q\" \'s\' x\ y\ z` },
  { name: "backslash in double quotes", shells: POSIX, body: String.raw`exec emit "a\"b" "a\\b" "\$x" "a\b" "a\'b" "a\`b"` },
  { name: "backslash in single quotes", shells: POSIX, body: String.raw`exec emit 'a\b' 'a\\b' 'a\"b'` },
  { name: "backslash in an assignment", shells: POSIX, body: String.raw`x=a\ b; y="c\"d\\e"; exec emit "$x" $x "$y"` },
  { name: "field splitting of unquoted expansions", shells: POSIX, body: 'x="a  b"; e=; exec emit $x "$x" ${x}c $e "$e" \'\' end' },
  { name: "$@ and $* quoted and not", shells: POSIX, args: ["a b", "c"], body: 'exec emit "$@" $@ "$*" $* "x$@y"' },
  { name: "no arguments: \"$@\" is no word", shells: POSIX, body: 'exec emit "$@" end' },
  { name: "default and alternative values", shells: POSIX, body: 'unset u; e=; exec emit "${u-a b}" ${u:-c d} "${e-x}" "${e:-y}" "${e:+z}" "${u+w}" end' },
  { name: "an expansion result is not re-quoted", shells: POSIX, body: "x=\"'a b'\"; exec emit $x" },
  { name: "trimming and length", shells: POSIX, body: 'p=/usr/local/bin/app.sh; exec emit "${p##*/}" "${p%/*}" "${p#/}" "${p%%.*}" "${#p}"' },
  { name: "arithmetic", shells: POSIX, args: ["a", "b", "c"], body: 'i=2; exec emit $((i+1)) $(($#-1)) $((i*3))' },
  // ---------------------------------------------------------------- set --, shift
  { name: "set -- with quoted words and $@", shells: POSIX, args: ["x"], body: 'set -- a "b c" "$@"; shift; exec emit "$@" "$#"' },
  // ---------------------------------------------------------------- command substitution
  { name: "echo in a command substitution", shells: POSIX, body: 'x=$(echo a  b); exec emit $x "$x" "$(echo)" end' },
  { name: "printf in a command substitution", shells: POSIX, body: "exec emit \"$(printf '%s-' a b)\" \"$(printf 'x\\ty')\"" },
  { name: "basename and dirname", shells: POSIX, body: 'exec emit "$(basename /a/b/)" "$(basename /a/b.sh .sh)" "$(dirname /a/b/)" "$(dirname b)" "$(dirname /b)"' },
  { name: "cat of a file of the image", shells: POSIX, files: { "args.txt": "nginx -g 'daemon off;'\n\n" }, body: 'set -- $(cat args.txt); exec emit "$@" "$(cat args.txt)"' },
  { name: "cat of a file, quoted", shells: POSIX, files: { "opts": "  -a   b\n-c\n" }, body: 'o="$(cat ./opts)"; exec emit "$o" $o' },
  // ---------------------------------------------------------------- eval
  { name: "eval of escaped text", shells: POSIX, args: ["a", "b c"], body: 'eval "exec emit \\"\\$@\\""' },
  { name: "eval of a command in a variable", shells: POSIX, body: "cmd='emit \"x y\" z'; eval exec \"$cmd\"" },
  { name: "eval of an assignment", shells: POSIX, body: "eval \"x=\\\"a b\\\"\"; eval 'y=$x'; exec emit \"$x\" \"$y\"" },
  { name: "eval joins its arguments with spaces", shells: POSIX, args: ["p q"], body: "eval exec emit '\"$1\"' r" },
  // ---------------------------------------------------------------- bash arrays
  { name: "array assignment and expansion", shells: BASH, body: 'a=(x "y z"); a+=(w); exec emit "${a[@]}" ${a[*]} "${a[*]}" "${#a[@]}" "${a[0]}" "${a[1]}" "$a" "${#a[1]}"' },
  { name: "an array of the arguments", shells: BASH, args: ["a b", "c"], body: 'arr=("$@"); exec emit "${arr[@]}" "${#arr[@]}" "${arr[1]}"' },
  { name: "an empty array", shells: BASH, body: 'a=(); exec emit "${a[@]}" ${a[*]} "${#a[@]}" end' },
  { name: "array element assignment", shells: BASH, body: "a=(x y); a[2]=z; a[0]=q; i=1; a[i]=r; exec emit \"${a[@]}\" \"${a[i]}\" \"${a[$i]}\"" },
  { name: "array slices and keys", shells: BASH, body: 'a=(x y z); exec emit "${a[@]:1}" "${a[@]:0:2}" "${a[@]: -1}" "${!a[@]}"' },
  { name: "an array built from another", shells: BASH, args: ["p"], body: 'a=(x y); b=("${a[@]}" z "$@"); set -- "${b[@]}"; exec emit "$@"' },
  { name: "scalar and array assignments mix", shells: BASH, body: 'a=(x); a+=y; b=u; b+=(v); exec emit "${a[@]}" "${b[@]}"' },
  { name: "declare -a and local arrays", shells: BASH, body: 'declare -a d=(1 "2 3"); f() { local -a l=(a b); g=("${l[@]}" "${d[@]}"); }; f; exec emit "${g[@]}" "${#l[@]}"' },
  { name: "an associative array", shells: BASH, body: 'declare -A m=([k]=v [j]="w x"); m[i]=u; exec emit "${m[k]}" "${m[j]}" "${m[i]}" "${#m[@]}"' },
  { name: "an array as a command", shells: BASH, args: ["-v"], body: 'cmd=(emit --flag "a b"); exec "${cmd[@]}" "$@"' },
  // ---------------------------------------------------------------- bash: slices of the arguments, indirection
  { name: "slices of the arguments", shells: BASH, args: ["a", "b c", "d", "e"], body: 'exec emit "${@:2}" ${@:2:2} "${@:1:$#-1}" "${*:2}" "${@: -2}"' },
  { name: "a slice with a variable length", shells: BASH, args: ["a", "b", "c"], body: 'i=3; exec emit "${@:1:i-1}" "${@:$i}"' },
  { name: "a slice of no arguments", shells: BASH, body: 'exec emit "${@:2}" end' },
  { name: "indirection", shells: BASH, args: ["a", "last"], body: 'x=y; y="z w"; n=PORT; PORT=80; exec emit "${!x}" ${!x} "${!n:-none}" "${!#}"' },
  { name: "a C-style loop over the arguments, replacing one", shells: BASH, args: ["a", "b c", "x$L", "d"], body: 'L=lbl; for ((i=1; i<=$#; i++)); do if [[ ${!i} == *\'$L\'* && -n "$L" ]]; then set -- "${@:1:i-1}" "${!i/\$L/${L}}" "${@:i+1}"; fi; done; exec emit "$@"' },
  { name: "arithmetic assignments, ++ and --, ?:", shells: BASH, body: "n=0; ((n++)); ((n+=4)); exec emit $n $((n>3 ? 7 : 8)) $((n--)) $n $((n%3)) $((-n))" },
  { name: "pattern replacement", shells: BASH, body: 'x=a-b-c.tar.gz; y=\'$L\'; exec emit "${x/-/_}" "${x//-/_}" "${x/#a/A}" "${x/%gz/xz}" "${x//[a-c]/}" "${x/*./}" "${x/%.*/}" "${y/\\$L/v}" "${x/q/r}" "${x/-}"' },
  { name: "indirection to an unset name", shells: BASH, body: 'x=nothing_here; unset nothing_here; exec emit "${!x:-default}" "${!x}" end' },
];

// ---------------------------------------------------------------- the real shells

const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
const INSTALLED: Record<Shell, boolean> = { bash: has("bash"), dash: has("dash"), busybox: has("busybox") };
for (const s of POSIX) if (!INSTALLED[s]) console.warn(`[expand.diff] ${s} is not installed: its runs are SKIPPED`);

const root = mkdtempSync(join(tmpdir(), "audit-image-expand-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const bin = join(root, "bin");
mkdirSync(bin);
writeFileSync(join(bin, "emit"), "#!/bin/sh\nfor a in \"$@\"; do printf '<%s>\\n' \"$a\"; done\n", { mode: 0o755 });

function runReal(shell: Shell, sn: Snippet, i: number): string[] {
  const dir = join(root, `s${i}-${shell}`);
  mkdirSync(dir);
  for (const [k, v] of Object.entries(sn.files ?? {})) writeFileSync(join(dir, k), v);
  writeFileSync(join(dir, "run.sh"), sn.body + "\n");
  const argv = shell === "busybox" ? ["busybox", "sh", "run.sh"] : [shell, "run.sh"];
  const out = execFileSync(argv[0]!, [...argv.slice(1), ...(sn.args ?? [])], {
    cwd: dir, encoding: "utf8", env: { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, HOME: "/root", ...sn.env },
  });
  return parseWords(out);
}

/** emit prints <word> per argument; words may hold newlines. */
function parseWords(out: string): string[] {
  if (out === "") return [];
  expect(out.startsWith("<") && out.endsWith(">\n"), out).toBe(true);
  return out.slice(1, -2).split(">\n<");
}

// ---------------------------------------------------------------- the interpreter

function runInterpreter(shell: Shell, sn: Snippet): string[] | string {
  const base = shell === "busybox" ? "alpine:3.20" : "debian:bookworm";
  const shebang = shell === "bash" ? "#!/bin/bash" : "#!/bin/sh";
  const files: Record<string, { content: string; mode: number }> = {
    "run.sh": { content: `${shebang}\n${sn.body}\n`, mode: 0o755 },
    emit: { content: "\x7fELF", mode: 0o755 },
  };
  const lines = [`FROM ${base}`, "COPY emit /usr/local/bin/emit", "WORKDIR /app", "COPY run.sh /run.sh"];
  for (const [k, v] of Object.entries(sn.files ?? {})) {
    files[k] = { content: v, mode: 0o644 };
    lines.push(`COPY ${k} /app/${k}`);
  }
  for (const [k, v] of Object.entries(sn.env ?? {})) lines.push(`ENV ${k}=${JSON.stringify(v)}`);
  lines.push(`CMD ${JSON.stringify(["/run.sh", ...(sn.args ?? [])])}`);
  const model = buildModel(lines.join("\n") + "\n", { context: memoryFs(files) });
  const a = analyze(model);
  if (a.prediction.scenarios.length > 1) return `${a.prediction.scenarios.length} scenarios: ${a.prediction.scenarios.map((s) => s.condition).join("; ")}`;
  const found: ProcessNode[] = [];
  const walk = (n: ProcessNode | null) => {
    if (!n) return;
    if (n.argv[0] === "emit") found.push(n);
    n.children.forEach(walk);
  };
  walk(a.prediction.processTree);
  if (found.length !== 1) return `emit ran ${found.length} times; tree: ${JSON.stringify(a.prediction.processTree?.argv)}; findings: ${a.findings.map((f) => f.message).join(" / ")}`;
  return found[0]!.argv.slice(1);
}

describe("word expansion agrees with the real shells", () => {
  SNIPPETS.forEach((sn, i) => {
    for (const shell of sn.shells) {
      test.skipIf(!INSTALLED[shell])(`${shell}: ${sn.name}`, () => {
        const real = runReal(shell, sn, i);
        expect(runInterpreter(shell, sn), sn.body).toEqual(real);
      });
    }
  });
  test("the figures", () => {
    const runs = SNIPPETS.flatMap((sn) => sn.shells.filter((s) => INSTALLED[s]));
    console.log(`[expand.diff] ${SNIPPETS.length} snippets, ${runs.length} runs (${POSIX.filter((s) => INSTALLED[s]).join(", ")} installed)`);
    expect(SNIPPETS.length).toBeGreaterThan(30);
  });
});
