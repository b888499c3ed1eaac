// A file a COPY --from brings from a stage whose RUN built it with `go build -o <that path>`, or that any RUN of a
// stage on the golang image made, is known to be a Go program (PathResolution.builtBy); anything else stays unknown.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "./index.js";

const ctx = memoryFs({ "main.go": "package main\n" });
const builtBy = (dockerfile: string, word: string) => {
  const r = buildModel(dockerfile, { context: ctx }).resolve(word);
  return r.kind === "unknown" || r.kind === "base-image" ? (r.builtBy ?? null) : null;
};

describe("builtBy: a binary built by go build in an earlier stage", () => {
  test("go build -o, absolute and relative to the WORKDIR, and an output directory", () => {
    const df = (run: string, copy: string) => `FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN ${run}\n\nFROM alpine:3.20\n${copy}\n`;
    expect(builtBy(df("CGO_ENABLED=0 go build -o /out/app .", "COPY --from=build /out/app /usr/local/bin/app"), "app")).toEqual({ tool: "go", how: "go-build", stage: 0, stageName: "build" });
    expect(builtBy(df("go build -trimpath -o bin/app ./cmd/app", "COPY --from=build /src/bin/app /app"), "/app")).toMatchObject({ tool: "go" });
    expect(builtBy(df("go build -o=/out/app .", "COPY --from=build /out/app /app"), "/app")).toMatchObject({ tool: "go" });
    expect(builtBy(df("go build -o /out/ ./cmd/...", "COPY --from=build /out/ /usr/bin/"), "/usr/bin/server")).toMatchObject({ tool: "go" });
    // a line continuation inside the RUN
    expect(builtBy(df("go mod download && \\\n    go build \\\n    -o /out/app .", "COPY --from=build /out/app /app"), "/app")).toMatchObject({ tool: "go" });
    // go install puts it into GOPATH/bin (/go/bin in the golang images)
    expect(builtBy(df("go install ./cmd/app", "COPY --from=build /go/bin/app /app"), "/app")).toMatchObject({ tool: "go" });
  });

  test("another file a RUN of the golang stage made (make, another output, a variable): a Go program by its stage", () => {
    const df = (run: string, copy: string) => `FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN ${run}\n\nFROM alpine:3.20\n${copy}\n`;
    const stage = { tool: "go", how: "golang-stage" };
    expect(builtBy(df("go build -o /out/app .", "COPY --from=build /out/other /app"), "/app")).toMatchObject(stage);
    expect(builtBy(df("make && cp build/app /out/app", "COPY --from=build /out/app /app"), "/app")).toMatchObject(stage);
    expect(builtBy(df("go build -o $OUT .", "COPY --from=build /out/app /app"), "/app")).toMatchObject(stage);
    // a go build without -o writes a name of its own choosing
    expect(builtBy(df("go build ./cmd/app", "COPY --from=build /src/app /app"), "/app")).toMatchObject(stage);
  });

  test("a stage on another image that runs the Go toolchain and names the file's path (a Makefile's output variable)", () => {
    const df = (run: string, copy: string) => `FROM example.com/team/go-builder:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN ${run}\n\nFROM debian:12\n${copy}\n`;
    const goBuild = { tool: "go", how: "go-build" };
    expect(builtBy(df("go test ./... && make OUTPUT=/target/app/server build", "COPY --from=build /target /"), "/app/server")).toMatchObject(goBuild);
    expect(builtBy(df("go mod download && ./build.sh -o /out/app", "COPY --from=build /out/app /usr/bin/app"), "/usr/bin/app")).toMatchObject(goBuild);
    // the path only as a part of a longer word, or no Go toolchain in the stage: not known
    expect(builtBy(df("go test ./... && make OUTPUT=/target/app/server-old", "COPY --from=build /target /"), "/app/server")).toBeNull();
    expect(builtBy(df("make OUTPUT=/target/app/server build", "COPY --from=build /target /"), "/app/server")).toBeNull();
  });

  test("not a Go build: a file of the context, a pattern's files, a stage on another image", () => {
    const df = (run: string, copy: string, from = "golang:1.22") => `FROM ${from} AS build\nWORKDIR /src\nCOPY . .\nRUN ${run}\n\nFROM alpine:3.20\n${copy}\n`;
    expect(builtBy(df("go build -o /out/app .", "COPY --from=build /src/main.go /main.go"), "/main.go")).toBeNull();
    expect(builtBy(df("make", "COPY --from=build /out/* /usr/bin/"), "/usr/bin/app")).toBeNull();
    expect(builtBy(df("make && cp build/app /out/app", "COPY --from=build /out/app /app", "debian:12"), "/app")).toBeNull();
  });
});

describe("builtBy: the server.js of a Next.js standalone build", () => {
  const df = (copy: string, run = "RUN npm ci && npm run build") =>
    `FROM node:20 AS web\nWORKDIR /w\nCOPY . .\n${run}\n\nFROM node:20-slim\nWORKDIR /srv\n${copy}\nCMD ["node", "server.js"]\n`;
  const withConfig = (config: string, name = "next.config.js") =>
    memoryFs({ [name]: config, "package.json": '{"name":"w","scripts":{"start":"node server.js","go":"node worker.js"}}\n' });
  const resolveIn = (files: ReturnType<typeof memoryFs>, dockerfile: string, word: string) => buildModel(dockerfile, { context: files }).resolve(word);
  const next = { tool: "next", how: "next-standalone", stage: 0, stageName: "web" };

  test("output: 'standalone' in next.config (js, mjs, ts, mts): the copied server.js is Next's generated server", () => {
    for (const name of ["next.config.js", "next.config.mjs", "next.config.ts", "next.config.mts"]) {
      const r = resolveIn(withConfig("const c = {\n  output: 'standalone',\n};\nexport default c;\n", name), df("COPY --from=web /w/.next/standalone ./"), "/srv/server.js");
      expect(r.kind === "unknown" || r.kind === "base-image" ? r.builtBy : null).toEqual(next);
    }
    // the file named itself, and double quotes
    const r = resolveIn(withConfig('module.exports = { output: "standalone" }\n'), df("COPY --from=web /w/.next/standalone/server.js /srv/server.js"), "/srv/server.js");
    expect(r.kind === "unknown" || r.kind === "base-image" ? r.builtBy : null).toEqual(next);
  });

  test("its package.json is the project's own (Next copies it there)", () => {
    const r = resolveIn(withConfig("module.exports = { output: 'standalone' }\n"), df("COPY --from=web /w/.next/standalone ./"), "/srv/package.json");
    expect(r.kind).toBe("context");
    expect(r.kind === "context" ? r.content() : null).toContain('"go":"node worker.js"');
  });

  test("not Next's server: no output: 'standalone' (commented out, another output, no config), no RUN, another file", () => {
    const nothing = (files: ReturnType<typeof memoryFs>, dockerfile: string, word = "/srv/server.js") => {
      const r = resolveIn(files, dockerfile, word);
      return r.kind === "unknown" || r.kind === "base-image" ? (r.builtBy ?? null) : r.kind === "context" ? "context" : null;
    };
    const copy = df("COPY --from=web /w/.next/standalone ./");
    expect(nothing(withConfig("module.exports = {\n  // output: 'standalone',\n}\n"), copy)).toBeNull();
    expect(nothing(withConfig("module.exports = { output: 'export' }\n"), copy)).toBeNull();
    expect(nothing(memoryFs({ "package.json": "{}\n" }), copy)).toBeNull();
    expect(nothing(withConfig("module.exports = { output: 'standalone' }\n"), df("COPY --from=web /w/.next/standalone ./", ""))).toBeNull();
    expect(nothing(withConfig("module.exports = { output: 'standalone' }\n"), copy, "/srv/worker.js")).toBeNull();
    // the project's package.json is not taken when there is no standalone config
    expect(nothing(withConfig("module.exports = {}\n"), copy, "/srv/package.json")).not.toBe("context");
  });
});
