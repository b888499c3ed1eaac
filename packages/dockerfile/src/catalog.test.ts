import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import schema from "./data/base-images.schema.json" with { type: "json" };
import { builtinCatalog, lookupCatalog, parseImageRef } from "./catalog.js";
import { normalizeSignal } from "./signals.js";

describe("the base-image catalog", () => {
  test("validates against its schema", () => {
    const ajv = new Ajv2020.default({ allErrors: true });
    const ok = ajv.validate(schema, builtinCatalog);
    expect(ajv.errorsText(ajv.errors, { separator: "\n" })).toBe("No errors");
    expect(ok).toBe(true);
  });
  test("every stop signal is one Docker accepts, already normalized", () => {
    for (const image of builtinCatalog.images)
      for (const v of image.variants)
        if (v.config.stopSignal) expect(normalizeSignal(v.config.stopSignal)).toBe(v.config.stopSignal);
  });
  test("no repository or alias is listed twice", () => {
    const names = builtinCatalog.images.flatMap((i) => [i.repository, ...(i.aliases ?? [])]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
  test("an image without /bin/sh does not list it, and /bin/sh is listed where there is one", () => {
    for (const image of builtinCatalog.images)
      for (const v of image.variants) {
        if (v.binSh === "none") expect(v.shells).not.toContain("/bin/sh");
        else expect(v.shells).toContain("/bin/sh");
      }
  });
  test.each([
    ["nginx", "dash", "SIGQUIT"],
    ["nginx:1.27-alpine", "busybox", "SIGQUIT"],
    ["node:20", "dash", null],
    ["node:20-alpine", "busybox", null],
    ["php:8.3-apache", "dash", "SIGWINCH"],
    ["php:8.3-fpm-alpine", "busybox", "SIGQUIT"],
    ["postgres:16", "dash", "SIGINT"],
    ["haproxy", "dash", "SIGUSR1"],
    ["httpd:2.4", "dash", "SIGWINCH"],
    ["gcr.io/distroless/static-debian12", "none", null],
    ["fedora:40", "bash", null],
    ["alpine", "busybox", null],
    ["ubuntu:24.04", "dash", null],
  ])("%s: /bin/sh is %s, STOPSIGNAL %s", (ref, binSh, sig) => {
    const hit = lookupCatalog(parseImageRef(ref), [builtinCatalog]);
    expect(hit).not.toBeNull();
    expect(hit!.variant.binSh).toBe(binSh);
    expect(hit!.variant.config.stopSignal).toBe(sig);
  });
  test("an image that is not in the catalog is not found", () => {
    expect(lookupCatalog(parseImageRef("example.com/nope:1"), [builtinCatalog])).toBeNull();
  });
  test("references are normalized", () => {
    expect(parseImageRef("docker.io/library/Nginx:1.27@sha256:abc")).toEqual({ repository: "nginx", tag: "1.27", digest: "sha256:abc" });
    expect(parseImageRef("localhost:5000/app")).toEqual({ repository: "localhost:5000/app", tag: "latest", digest: null });
  });
});
