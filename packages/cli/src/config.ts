// The configuration file (.audit-image.json, or --config FILE): rule severities, the failure threshold,
// the stop timeout, the platform, and extra base images for the catalog. Validated by hand (no schema
// library at run time) with messages that name the file and the field.
import fs from "node:fs";
import { readBounded } from "./read.js";
import path from "node:path";
import type { CatalogImage } from "@audit-image/dockerfile";

export type FailOn = "error" | "warning" | "info" | "none";
export type Platform = "docker" | "compose" | "k8s";
export type RuleSetting = "off" | "error" | "warning" | "info";

export interface AuditConfig {
  rules?: Record<string, RuleSetting>;
  failOn?: FailOn;
  stopTimeout?: number;
  platform?: Platform;
  baseImages?: CatalogImage[];
  /**
   * Compose and Kubernetes: the Dockerfile an image is built from, for a service or container that names
   * only `image:` (paths relative to the config file's directory): "registry/app" → "app/Dockerfile", or
   * { dockerfile, context?, target? }. A tag in the key must match; a key without one matches every tag.
   */
  images?: Record<string, ImageSource>;
}

export interface ImageSource {
  dockerfile: string;
  context?: string;
  target?: string;
}

export const CONFIG_FILE = ".audit-image.json";
export const FAIL_ON: readonly FailOn[] = ["error", "warning", "info", "none"];
export const PLATFORMS: readonly Platform[] = ["docker", "compose", "k8s"];
const RULE_SETTINGS: readonly RuleSetting[] = ["off", "error", "warning", "info"];

export class ConfigError extends Error {}

/** The nearest .audit-image.json from dir upward, or null. */
export function findConfig(dir: string): string | null {
  let d = path.resolve(dir);
  for (;;) {
    const p = path.join(d, CONFIG_FILE);
    try {
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
    const up = path.dirname(d);
    if (up === d) return null;
    d = up;
  }
}

export function loadConfig(file: string): AuditConfig {
  const r = readBounded(file, 1024 * 1024);
  if (!r.ok) throw new ConfigError(`${file}: cannot read the config file (${r.message})`);
  const text = r.text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // Never the parser's message: it quotes the text, and a config that is a link to a token would leak
    // its first characters. Only where the JSON stops being valid.
    const at = /position (\d+)/.exec((e as Error).message);
    let where = "";
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split("\n").length;
      where = ` (at line ${line}, column ${before.length - before.lastIndexOf("\n")})`;
    }
    throw new ConfigError(`${file}: invalid JSON${where}; its content is not shown`);
  }
  return validateConfig(json, file);
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

export function validateConfig(json: unknown, file = "config"): AuditConfig {
  const err = (field: string, msg: string) => new ConfigError(`${file}: ${field}: ${msg}`);
  if (!isObj(json)) throw new ConfigError(`${file}: the config must be a JSON object`);
  const out: AuditConfig = {};
  for (const [k, v] of Object.entries(json)) {
    switch (k) {
      case "$schema":
        break;
      case "rules":
        if (!isObj(v)) throw err("rules", 'must be an object of rule id → "off" | "error" | "warning" | "info"');
        for (const [id, s] of Object.entries(v)) {
          if (!RULE_SETTINGS.includes(s as RuleSetting)) throw err(`rules.${id}`, `must be one of ${RULE_SETTINGS.map((x) => `"${x}"`).join(", ")}, not ${JSON.stringify(s)}`);
        }
        out.rules = v as Record<string, RuleSetting>;
        break;
      case "failOn":
        if (!FAIL_ON.includes(v as FailOn)) throw err("failOn", `must be one of ${FAIL_ON.join(", ")}, not ${JSON.stringify(v)}`);
        out.failOn = v as FailOn;
        break;
      case "stopTimeout":
        if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw err("stopTimeout", `must be a number of seconds >= 0, not ${JSON.stringify(v)}`);
        out.stopTimeout = v;
        break;
      case "platform":
        if (!PLATFORMS.includes(v as Platform)) throw err("platform", `must be one of ${PLATFORMS.join(", ")}, not ${JSON.stringify(v)}`);
        out.platform = v as Platform;
        break;
      case "baseImages":
        if (!Array.isArray(v)) throw err("baseImages", "must be an array of catalog images");
        v.forEach((img, i) => validateImage(img, `baseImages[${i}]`, err));
        out.baseImages = v as CatalogImage[];
        break;
      case "images":
        if (!isObj(v)) throw err("images", 'must be an object of image name → "path/to/Dockerfile" or { dockerfile, context, target }');
        out.images = {};
        for (const [image, src] of Object.entries(v)) {
          if (typeof src === "string" && src) out.images[image] = { dockerfile: src };
          else if (isObj(src) && typeof src.dockerfile === "string" && src.dockerfile && ["context", "target"].every((f) => src[f] === undefined || typeof src[f] === "string") && Object.keys(src).every((f) => ["dockerfile", "context", "target"].includes(f)))
            out.images[image] = src as unknown as ImageSource;
          else throw err(`images.${image}`, 'must be "path/to/Dockerfile" or { dockerfile, context?, target? }');
        }
        break;
      default:
        throw err(k, "unknown setting (expected rules, failOn, stopTimeout, platform, baseImages, images)");
    }
  }
  return out;
}

function validateImage(img: unknown, at: string, err: (f: string, m: string) => Error): void {
  if (!isObj(img)) throw err(at, "must be an object { repository, variants }");
  if (typeof img.repository !== "string" || !img.repository) throw err(`${at}.repository`, "must be a non-empty string");
  if (img.aliases !== undefined && !(Array.isArray(img.aliases) && img.aliases.every((a) => typeof a === "string"))) throw err(`${at}.aliases`, "must be an array of strings");
  if (!Array.isArray(img.variants) || img.variants.length === 0) throw err(`${at}.variants`, "must be a non-empty array");
  img.variants.forEach((v: unknown, j: number) => {
    const w = `${at}.variants[${j}]`;
    if (!isObj(v)) throw err(w, "must be an object");
    if (!Array.isArray(v.tags) || !v.tags.every((t) => typeof t === "string")) throw err(`${w}.tags`, 'must be an array of tag patterns such as "*"');
    if (!isObj(v.config)) throw err(`${w}.config`, "must be an object { entrypoint, cmd, stopSignal, user, workingDir, env, shell }");
    const c = v.config;
    const strArr = (x: unknown) => x === null || x === undefined || (Array.isArray(x) && x.every((s) => typeof s === "string"));
    const strOrNull = (x: unknown) => x === null || x === undefined || typeof x === "string";
    for (const f of ["entrypoint", "cmd", "shell"]) if (!strArr(c[f])) throw err(`${w}.config.${f}`, "must be an array of strings or null");
    for (const f of ["stopSignal", "user", "workingDir"]) if (!strOrNull(c[f])) throw err(`${w}.config.${f}`, "must be a string or null");
    if (c.env !== undefined && !(isObj(c.env) && Object.values(c.env).every((s) => typeof s === "string"))) throw err(`${w}.config.env`, "must be an object of strings");
    if (!["dash", "bash", "busybox", "none"].includes(v.binSh as string)) throw err(`${w}.binSh`, 'must be "dash", "bash", "busybox" or "none"');
    if (!Array.isArray(v.shells) || !v.shells.every((s) => typeof s === "string")) throw err(`${w}.shells`, "must be an array of absolute paths");
    if (v.source !== undefined && typeof v.source !== "string") throw err(`${w}.source`, "must be a string");
  });
}

/** Fill the optional parts of user catalog images so the model can use them. */
export function normalizeImages(images: CatalogImage[]): CatalogImage[] {
  return images.map((img) => ({
    ...img,
    variants: img.variants.map((v) => ({
      ...v,
      config: {
        entrypoint: v.config.entrypoint ?? null,
        cmd: v.config.cmd ?? null,
        stopSignal: v.config.stopSignal ?? null,
        user: v.config.user ?? null,
        workingDir: v.config.workingDir ?? null,
        env: v.config.env ?? {},
        shell: v.config.shell ?? null,
      },
      source: v.source ?? "user configuration",
    })),
  }));
}
