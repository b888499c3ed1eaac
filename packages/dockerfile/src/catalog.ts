// The base-image catalog: what we know of published images, as data (src/data/base-images.json, checked
// against src/data/base-images.schema.json by the tests). Lookup is tag-aware: the first variant whose tag
// pattern matches wins.
import catalogData from "./data/base-images.json" with { type: "json" };
import type { BaseImageConfig, BaseImageFacts, BaseImageFile } from "./types.js";
import { wildcard } from "./wildcard.js";

export interface CatalogVariant {
  tags: string[];
  config: BaseImageConfig;
  binSh: "dash" | "bash" | "busybox" | "none";
  /** Every program the image has is a BusyBox applet (the busybox image). */
  busyboxApplets?: boolean;
  shells: string[];
  files?: Record<string, BaseImageFile>;
  source: string;
  notes?: string;
  unverified?: string[];
}

export interface CatalogImage {
  repository: string;
  aliases?: string[];
  variants: CatalogVariant[];
}

export interface Catalog {
  version: number;
  images: CatalogImage[];
}

export const builtinCatalog = catalogData as unknown as Catalog;

export interface ImageRef {
  /** Normalized repository: no docker.io/ or library/ prefix, lower case. */
  repository: string;
  tag: string;
  digest: string | null;
}

export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | null = null;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = "latest";
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let repository = rest.toLowerCase();
  repository = repository.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "");
  repository = repository.replace(/^library\//, "");
  return { repository, tag, digest };
}

/** Tag patterns: `*` matches any characters. */
const globMatch = (pattern: string, s: string) => wildcard(pattern, { slash: true }).test(s);

export function lookupCatalog(ref: ImageRef, catalogs: readonly Catalog[]): { image: CatalogImage; variant: CatalogVariant } | null {
  for (const catalog of catalogs) {
    for (const image of catalog.images) {
      if (image.repository !== ref.repository && !(image.aliases ?? []).includes(ref.repository)) continue;
      const variant = image.variants.find((v) => v.tags.some((t) => globMatch(t, ref.tag)));
      if (variant) return { image, variant };
    }
  }
  return null;
}

export function factsOf(variant: CatalogVariant): BaseImageFacts {
  return {
    config: variant.config,
    binSh: variant.binSh,
    shells: variant.shells,
    files: variant.files ?? {},
    ...(variant.busyboxApplets ? { busyboxApplets: true } : {}),
    source: variant.source,
    ...(variant.notes ? { notes: variant.notes } : {}),
  };
}

/** The config part of `docker image inspect` output (an array of one object, or the object itself). */
export function configFromInspect(json: unknown): BaseImageConfig | null {
  const obj = Array.isArray(json) ? json[0] : json;
  if (!obj || typeof obj !== "object") return null;
  const c = ((obj as Record<string, unknown>).Config ?? (obj as Record<string, unknown>).config) as Record<string, unknown> | undefined;
  if (!c || typeof c !== "object") return null;
  const strs = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null);
  const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
  const env: Record<string, string> = {};
  for (const kv of strs(c.Env) ?? []) {
    const eq = kv.indexOf("=");
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return {
    entrypoint: strs(c.Entrypoint),
    cmd: strs(c.Cmd),
    stopSignal: str(c.StopSignal),
    user: str(c.User),
    workingDir: str(c.WorkingDir),
    env,
    shell: strs(c.Shell),
  };
}
