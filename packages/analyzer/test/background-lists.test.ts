// A list run with `&`: the processes it leaves, as measured in ground-truth/shells.ns.test.ts ("background
// lists"): `( … ) &` is one subshell process whose last command is exec'd (mksh: only a lone command); a brace
// group keeps its subshell in bash and mksh; a function run with `&` always keeps its subshell.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";

type Tree = [string, Tree[]];
const shape = (n: { argv: string[]; children: unknown[] } | null): Tree | null =>
  n ? [n.argv[0]!.split("/").pop()!, (n.children as { argv: string[]; children: unknown[] }[]).map((c) => shape(c)!)] : null;
const tree = (base: string, shebang: string, body: string) => {
  const script = `${shebang}\n${body}\nwait\n`;
  const model = buildModel(`FROM ${base}\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n`, { context: memoryFs({ "entrypoint.sh": { content: script, mode: 0o755 } }) });
  return shape(analyze(model).prediction.processTree as never);
};
const SHELLS = [
  ["bash", "debian:12", "#!/bin/bash"],
  ["dash", "debian:12", "#!/bin/sh"],
  ["busybox", "alpine:3.20", "#!/bin/sh"],
] as const;
// depth of sleep below the shell at PID 1: 1 = its child, 2 = in a subshell process of its own
const CASES: [string, Record<(typeof SHELLS)[number][0], 1 | 2>][] = [
  ["( sleep 1000 ) &", { bash: 1, dash: 1, busybox: 1 }],
  ["( true; sleep 1000 ) &", { bash: 1, dash: 1, busybox: 1 }],
  ["{ sleep 1000; } &", { bash: 2, dash: 1, busybox: 1 }],
  ["{ true; sleep 1000; } &", { bash: 2, dash: 1, busybox: 1 }],
  ["f() { sleep 1000; }\nf &", { bash: 2, dash: 2, busybox: 2 }],
];

describe("background lists run, with the processes the shells leave", () => {
  for (const [name, base, shebang] of SHELLS) {
    for (const [body, depths] of CASES) {
      test(`${name}: ${body.replace("\n", "; ")}`, () => {
        const sh = shebang === "#!/bin/bash" ? "bash" : "sh";
        const t = tree(base, shebang, body);
        expect(t).toEqual(depths[name] === 1 ? [sh, [["sleep", []]]] : [sh, [[sh, [["sleep", []]]]]]);
      });
    }
  }
  test("a function started with & runs (its service was missing from the tree)", () => {
    const t = tree("debian:12", "#!/bin/sh", 'start_worker() {\n  echo starting\n  redis-server --port 7000\n}\nstart_worker &\nexec nginx -g "daemon off;"');
    expect(t).toEqual(["nginx", [["sh", [["redis-server", []]]]]]);
  });
});
