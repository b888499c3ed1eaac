// A file a COPY --from brings from a stage whose RUN built it with `go build -o <that path>` is known to be a Go
// program (PathResolution.builtBy); anything else a RUN made stays unknown.
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
    expect(builtBy(df("CGO_ENABLED=0 go build -o /out/app .", "COPY --from=build /out/app /usr/local/bin/app"), "app")).toEqual({ tool: "go", stage: 0, stageName: "build" });
    expect(builtBy(df("go build -trimpath -o bin/app ./cmd/app", "COPY --from=build /src/bin/app /app"), "/app")).toMatchObject({ tool: "go" });
    expect(builtBy(df("go build -o=/out/app .", "COPY --from=build /out/app /app"), "/app")).toMatchObject({ tool: "go" });
    expect(builtBy(df("go build -o /out/ ./cmd/...", "COPY --from=build /out/ /usr/bin/"), "/usr/bin/server")).toMatchObject({ tool: "go" });
    // a line continuation inside the RUN
    expect(builtBy(df("go mod download && \\\n    go build \\\n    -o /out/app .", "COPY --from=build /out/app /app"), "/app")).toMatchObject({ tool: "go" });
    // go install puts it into GOPATH/bin (/go/bin in the golang images)
    expect(builtBy(df("go install ./cmd/app", "COPY --from=build /go/bin/app /app"), "/app")).toMatchObject({ tool: "go" });
  });

  test("not a Go build: another output, another tool, a variable, a file of the context", () => {
    const df = (run: string, copy: string) => `FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN ${run}\n\nFROM alpine:3.20\n${copy}\n`;
    expect(builtBy(df("go build -o /out/app .", "COPY --from=build /out/other /app"), "/app")).toBeNull();
    expect(builtBy(df("make && cp build/app /out/app", "COPY --from=build /out/app /app"), "/app")).toBeNull();
    expect(builtBy(df("go build -o $OUT .", "COPY --from=build /out/app /app"), "/app")).toBeNull();
    expect(builtBy(df("go build -o /out/app .", "COPY --from=build /src/main.go /main.go"), "/main.go")).toBeNull();
    // a go build without -o writes a name of its own choosing: not followed
    expect(builtBy(df("go build ./cmd/app", "COPY --from=build /src/app /app"), "/app")).toBeNull();
  });
});
