// A program that a RUN runs by its name where the build fails without it (`… && node --version`) is on the PATH
// of the finished image, in a directory the reader may not know: a lookup finds it (PathResolution.onPath).
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "./index.js";

const onPath = (dockerfile: string, word = "tool") => {
  const r = buildModel(dockerfile, { context: memoryFs({}) }).resolve(word);
  return r.kind === "unknown" && r.onPath === true;
};
const unpack = "curl -fsSLo /tmp/t.tgz https://example.com/t.tgz && tar -xzf /tmp/t.tgz -C /usr/local";

describe("a program run by name in a RUN that fails without it", () => {
  test("the && chain that ends the RUN, or after set -e", () => {
    expect(onPath(`FROM alpine:3.20\nRUN ${unpack} && tool --version\n`)).toBe(true);
    expect(onPath(`FROM alpine:3.20\nRUN ${unpack} && tool --version && rm -f /tmp/t.tgz\n`)).toBe(true);
    expect(onPath(`FROM alpine:3.20\nRUN set -eux; ${unpack}; tool --version; rm -f /tmp/t.tgz\n`)).toBe(true);
    // an earlier stage of the chain
    expect(onPath(`FROM alpine:3.20 AS base\nRUN ${unpack} && tool --version\nFROM base\nRUN echo hi\n`)).toBe(true);
  });

  test("not when its failure would not fail the build, or under a condition", () => {
    expect(onPath(`FROM alpine:3.20\nRUN ${unpack}; tool --version; rm -f /tmp/t.tgz\n`)).toBe(false);
    expect(onPath(`FROM alpine:3.20\nRUN ${unpack} && tool --version || true\n`)).toBe(false);
    expect(onPath(`FROM alpine:3.20\nRUN ${unpack} && if [ -n "$X" ]; then tool --version; fi\n`)).toBe(false);
    expect(onPath(`FROM alpine:3.20\nRUN ${unpack} && tool --version | head -1\n`)).toBe(false);
    // set +e turns errexit off again
    expect(onPath(`FROM alpine:3.20\nRUN set -e; set +e; tool --version; true\n`)).toBe(false);
  });

  test("not when a later step may have taken it away, or the PATH no longer holds the RUN's", () => {
    expect(onPath(`FROM alpine:3.20\nRUN ${unpack} && tool --version\nRUN rm -f /usr/local/bin/tool\n`)).toBe(false);
    expect(onPath(`FROM alpine:3.20\nRUN ${unpack} && tool --version\nRUN rm -rf /usr/local/bin\n`)).toBe(false);
    expect(onPath(`FROM alpine:3.20\nRUN apk add --no-cache tool && tool --version\nRUN apk del tool\n`)).toBe(false);
    expect(onPath(`FROM alpine:3.20\nRUN ${unpack} && tool --version\nENV PATH=/opt/bin\n`)).toBe(false);
    // a package the table does not know whose name overlaps (nodejs, node): it may have held it
    expect(onPath(`FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y nodejs && node --version\nRUN apt-get purge -y nodejs\n`, "node")).toBe(false);
    // a package removal does not take away a program no package installed
    expect(onPath(`FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps curl && ${unpack} && tool --version && apk del .deps\n`)).toBe(true);
  });

  test("builtins and names with a slash say nothing", () => {
    expect(onPath(`FROM alpine:3.20\nRUN ${unpack} && echo ok\n`, "echo")).toBe(false);
    expect(onPath(`FROM alpine:3.20\nRUN ${unpack} && /usr/local/bin/tool --version\n`)).toBe(false);
  });
});
