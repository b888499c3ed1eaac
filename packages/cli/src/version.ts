// The tool's version and links: inlined by the bundler (scripts/build.mjs defines __AUDIT_IMAGE_VERSION__
// and __AUDIT_IMAGE_LINKS__ from packages/cli/package.json), read from package.json when running from tsc
// output or sources.
import fs from "node:fs";

declare const __AUDIT_IMAGE_VERSION__: string | undefined;
declare const __AUDIT_IMAGE_LINKS__: { homepage: string; repository: string } | undefined;

interface Pkg {
  version?: string;
  homepage?: string;
  repository?: string | { url?: string };
}

function packageJson(): Pkg {
  try {
    return JSON.parse(fs.readFileSync(new URL("../package.json", import.meta.url), "utf8")) as Pkg;
  } catch {
    return {};
  }
}

/** A repository field (`git+https://host/owner/name.git`) as a web address (`https://host/owner/name`). */
export function repositoryWebUrl(repository: Pkg["repository"]): string {
  const url = typeof repository === "string" ? repository : (repository?.url ?? "");
  return url.replace(/^git\+/, "").replace(/\.git$/, "");
}

export const VERSION: string = typeof __AUDIT_IMAGE_VERSION__ === "string" ? __AUDIT_IMAGE_VERSION__ : (packageJson().version ?? "0.0.0");

/** The package's homepage and repository web address (package.json `homepage` and `repository`). */
export const LINKS: { homepage: string; repository: string } =
  typeof __AUDIT_IMAGE_LINKS__ === "object"
    ? __AUDIT_IMAGE_LINKS__
    : (() => {
        const pkg = packageJson();
        const repository = repositoryWebUrl(pkg.repository);
        return { homepage: pkg.homepage ?? repository, repository };
      })();
