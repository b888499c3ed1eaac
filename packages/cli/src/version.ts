// The tool's version: inlined by the bundler (scripts/build.mjs defines __AUDIT_IMAGE_VERSION__), read
// from package.json when running from tsc output or sources.
import fs from "node:fs";

declare const __AUDIT_IMAGE_VERSION__: string | undefined;

function fromPackageJson(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export const VERSION: string = typeof __AUDIT_IMAGE_VERSION__ === "string" ? __AUDIT_IMAGE_VERSION__ : fromPackageJson();
