// The core shared by the CLI and the library: find Dockerfiles, read them (bounded), build the model,
// analyze, apply config and pragmas, and assemble the report.
import { append } from "./append.js";
import { visible } from "./visible.js";
import fs from "node:fs";
import path from "node:path";
import { applyDeployment, buildModel, type Catalog, type Deployment, type DockerfileModel } from "@audit-image/dockerfile";
import { allRules, analyze, type Finding, type Severity } from "@audit-image/analyzer";
import { diskContext } from "./context-fs.js";
import { findConfig, loadConfig, normalizeImages, validateConfig, type AuditConfig, type Platform, type RuleSetting } from "./config.js";
import { readBounded } from "./read.js";
import { buildResult, REPORT_SCHEMA_VERSION, type Report, type ReportError, type Result } from "./report.js";
import { aliasTool, applyPragmas, type RuleIndex } from "./suppress.js";
import { VERSION } from "./version.js";
import { manifestKind, type ManifestKind } from "./deploy/manifest.js";

export interface AuditOptions {
  /** Target stage (name). Default: the last stage. */
  target?: string;
  buildArgs?: Record<string, string>;
  /**
   * Variables of the container's environment, as `docker run -e K=V` sets them (over the image's ENV):
   * the analysis takes them as known, which decides the conditions on them and so picks the scenario.
   */
  env?: Record<string, string>;
  /** Build context directory. Default: the Dockerfile's directory (the working directory for text input). */
  context?: string;
  /** Grace period of the stop in seconds. Default: from the config, else 10 (30 for platform k8s). */
  stopTimeout?: number;
  platform?: Platform;
  /** `docker image inspect` JSON of base images, by reference as written in FROM. */
  baseConfigs?: Record<string, unknown>;
  /** A config file path, a config object, or false for none. Default: .audit-image.json searched upward
   * from `configFrom` (the audited path's directory in `audit()`; the working directory otherwise). */
  config?: string | AuditConfig | false;
  /** Where the default config file is searched from, upward: the directory of what is audited. */
  configFrom?: string;
  /** Rule severities, applied over the config's. */
  rules?: Record<string, RuleSetting>;
  /** Working directory that paths in the report are relative to. Default: process.cwd(). */
  cwd?: string;
  /** Name of the Dockerfile in the report when it is given as text. Default: "Dockerfile". */
  file?: string;
  /** Called with warnings about the configuration (unknown rule ids). */
  onWarning?: (message: string) => void;
  /** Where the container runs (docker run flags): the image is audited as this deployment runs it. */
  deployment?: Deployment;
  /** Compose and Kubernetes: audit only this service (or container, or workload/container). */
  service?: string;
}

/** Dockerfile diagnostics that mean the file could not be parsed (exit code 4). */
export const PARSE_ERROR_CODES: ReadonlySet<string> = new Set([
  "binary-file", "empty-dockerfile", "unterminated-heredoc", "file-too-large", "unknown-instruction", "no-from", "no-stage",
]);

/** Resolved settings for a run. */
export interface Settings {
  cwd: string;
  target?: string;
  buildArgs: Record<string, string>;
  env: Record<string, string>;
  context?: string;
  stopTimeout: number;
  catalogs: Catalog[];
  baseConfigs: Record<string, unknown>;
  overrides: Record<string, Severity | "off">;
  rules: RuleIndex;
  /** Called with the absolute path of every build-context file read (the CLI's --scripts). */
  onContextRead?: (abs: string) => void;
  /** docker run flags that apply to every Dockerfile audited. */
  deployment?: Deployment;
  /** The image → Dockerfile mapping of the config file (Compose and Kubernetes images with no build:). */
  images?: AuditConfig["images"];
  /** The config file's directory, which the mapping's paths are relative to. */
  configDir?: string;
  /** When set, the real paths of the build-context files the analysis reads are added to it. */
  readFiles?: Set<string>;
}

export interface Input {
  /** Display name (relative to cwd, or "<stdin>"). */
  file: string;
  /** Absolute path on disk, or null for text/stdin. */
  abs: string | null;
  text: string;
}

let ruleIndexCache: RuleIndex | null = null;
export function ruleIndex(): RuleIndex {
  if (ruleIndexCache) return ruleIndexCache;
  const ids = new Set(allRules.map((r) => r.meta.id));
  ids.add("unknown-rule");
  const aliases = new Map<string, string[]>();
  const buildkit = new Set<string>();
  for (const r of allRules)
    for (const a of r.meta.aliases) {
      aliases.set(a, [...(aliases.get(a) ?? []), r.meta.id]);
      if (aliasTool(a) === "buildkit") buildkit.add(r.meta.id);
    }
  return (ruleIndexCache = { ids, aliases, buildkit });
}

/** Config (file or object) + explicit options → settings. Throws ConfigError on a bad config. */
export function resolveSettings(opts: AuditOptions): { settings: Settings; config: AuditConfig; configFile: string | null; configShown: string | null } {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  let config: AuditConfig = {};
  let configFile: string | null = null;
  if (typeof opts.config === "string") {
    configFile = path.resolve(cwd, opts.config);
    config = loadConfig(configFile);
  } else if (opts.config && typeof opts.config === "object") config = validateConfig(opts.config, "config");
  else if (opts.config === undefined) {
    configFile = findConfig(path.resolve(cwd, opts.configFrom ?? "."));
    if (configFile) config = loadConfig(configFile);
  }
  // What the report says was loaded (every format shows it): the file, relative to cwd, or "(options)".
  const configShown = configFile ? toPosix(path.relative(cwd, configFile)) || configFile : opts.config && typeof opts.config === "object" ? "(options)" : null;
  const platform = opts.platform ?? config.platform ?? "docker";
  const stopTimeout = opts.stopTimeout ?? config.stopTimeout ?? (platform === "k8s" ? 30 : 10);
  const rules = ruleIndex();
  const overrides: Record<string, Severity | "off"> = {};
  const warn = opts.onWarning ?? (() => {});
  for (const [name, sev] of Object.entries({ ...(config.rules ?? {}), ...(opts.rules ?? {}) })) {
    if (rules.ids.has(name)) overrides[name] = sev;
    else if (rules.aliases.has(name)) for (const id of rules.aliases.get(name)!) overrides[id] = sev;
    else warn(`${visible(configShown ?? "config", true)}: unknown rule "${visible(name, true)}" (ignored); see docs/rules for the rule ids`);
  }
  const settings: Settings = {
    cwd,
    ...(opts.target !== undefined ? { target: opts.target } : {}),
    buildArgs: opts.buildArgs ?? {},
    env: opts.env ?? {},
    ...(opts.context !== undefined ? { context: path.resolve(cwd, opts.context) } : {}),
    stopTimeout,
    catalogs: config.baseImages?.length ? [{ version: 1, images: normalizeImages(config.baseImages) }] : [],
    baseConfigs: opts.baseConfigs ?? {},
    overrides,
    rules,
    ...(opts.deployment ? { deployment: opts.deployment } : {}),
    ...(config.images ? { images: config.images } : {}),
    configDir: configFile ? path.dirname(configFile) : cwd,
  };
  return { settings, config, configFile, configShown };
}

const toPosix = (p: string) => p.split(path.sep).join("/");

export interface FileOutcome {
  result: Result | null;
  errors: ReportError[];
  /** The model had a diagnostic of PARSE_ERROR_CODES. */
  unparseable: boolean;
  model: DockerfileModel | null;
}

/** Audit one Dockerfile. `readText` reads any repo file for pragmas (and caches); never throws. */
export function auditOne(input: Input, s: Settings, readText: (file: string) => string | null, deployment?: Deployment): FileOutcome {
  try {
    return auditOneUnsafe(input, s, readText, deployment ?? s.deployment);
  } catch (e) {
    // The model and the analyzer turn bad input into diagnostics; anything that still escapes is our bug,
    // and it costs this one file, not the whole report.
    const message = `internal error while analyzing this file: ${e instanceof Error ? e.message : String(e)}`;
    return { result: null, errors: [{ file: input.file, line: null, message, code: "internal-error" }], unparseable: false, model: null };
  }
}

/** One build context per directory and run (the disk context memoises what it reads), for the last few
 * directories only: a batch of thousands of contexts must not keep every one of them alive. */
const CONTEXTS_KEPT = 16;
const contextsOf = new WeakMap<Settings, Map<string, ReturnType<typeof diskContext>>>();
function contextFor(s: Settings, dir: string) {
  let m = contextsOf.get(s);
  if (!m) contextsOf.set(s, (m = new Map()));
  let c = m.get(dir);
  if (c) m.delete(dir); // most recently used goes last
  else {
    const read = s.readFiles;
    c = diskContext(dir, read ? { onRead: (real) => void read.add(real) } : {});
    if (m.size >= CONTEXTS_KEPT) m.delete(m.keys().next().value!);
  }
  m.set(dir, c);
  if (!s.onContextRead) return c;
  // --scripts: which context files the model and the analysis read (the cached context stays unwrapped).
  const inner = c;
  const onRead = s.onContextRead;
  return { ...inner, stat: (p: string) => inner.stat(p), list: (p: string) => inner.list(p), readFile: (p: string) => (onRead(path.join(dir, p)), inner.readFile(p)) };
}

function auditOneUnsafe(input: Input, s: Settings, readText: (file: string) => string | null, deployment: Deployment | undefined): FileOutcome {
  const ctxAbs = s.context ?? (input.abs ? path.dirname(input.abs) : s.cwd);
  const ctxRel = toPosix(path.relative(s.cwd, ctxAbs));
  const contextPrefix = ctxRel === "" ? "" : ctxRel + "/";
  const built = buildModel(input.text, {
    file: input.file,
    context: contextFor(s, ctxAbs),
    buildArgs: s.buildArgs,
    catalogs: s.catalogs,
    baseConfigs: s.baseConfigs,
    ...(s.target !== undefined ? { target: s.target } : {}),
  });
  const model = deployment ? applyDeployment(built, deployment) : built;
  const errors: ReportError[] = [];
  const noTarget = model.diagnostics.find((d) => d.code === "no-such-target");
  if (noTarget) {
    errors.push({ file: input.file, line: null, message: noTarget.message, code: "no-such-target" });
    return { result: null, errors, unparseable: false, model };
  }
  const parseErr = model.diagnostics.filter((d) => d.severity === "error" && PARSE_ERROR_CODES.has(d.code));
  for (const d of parseErr) errors.push({ file: input.file, line: d.line, message: d.message, code: d.code });
  const analysis = analyze(model, { stopTimeout: s.stopTimeout, env: s.env, rules: { overrides: s.overrides }, contextPrefix });
  const { findings, suppressed } = applyPragmas(analysis.findings, readText, s.rules, [input.file, ...(deployment && deployment.file !== input.file ? [deployment.file] : [])], s.buildArgs.BUILDKIT_DOCKERFILE_CHECK);
  const unknownOverride = s.overrides["unknown-rule"];
  const final: Finding[] = [];
  for (const f of findings) {
    if (f.ruleId === "unknown-rule" && unknownOverride) {
      if (unknownOverride === "off") continue;
      final.push({ ...f, severity: unknownOverride });
    } else final.push(f);
  }
  return { result: buildResult(input.file, ctxRel || ".", model, analysis, final, suppressed), errors, unparseable: parseErr.length > 0, model };
}

// Docker's names and Podman/Buildah's (Containerfile), with the suffix forms people use (api.Dockerfile,
// api.containerfile, Dockerfile.dev, Containerfile.fedora).
const DOCKERFILE_NAME = /^(Dockerfile|Containerfile|.+\.([Dd]ockerfile|[Cc]ontainerfile)|(Dockerfile|Containerfile)\..+)$/;
/** Compose files a directory scan finds (Compose's own default names). */
const COMPOSE_FILE = /^(docker-)?compose\.ya?ml$/;
const COMPOSE_OVERRIDE = /^(docker-)?compose\.override\.ya?ml$/;
export const isDockerfileName = (name: string) => DOCKERFILE_NAME.test(name) && !/\.(md|txt|orig|bak|swp|rej)$/i.test(name);

/** Bounds of a directory scan: a batch never silently becomes a partial one (see dockerfilesAt). */
export const SCAN_LIMITS = { files: 100_000, depth: 40 };

/** Dockerfiles under a directory, sorted; .git and node_modules are skipped, symlinked dirs not followed. */
export function scanDirectory(dir: string, limit = SCAN_LIMITS.files): string[] {
  return scan(dir, limit).files;
}

/** Whether `real` (a real path) is `root` or under it. */
const inside = (real: string, root: string) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/** scanDirectory, and whether a bound cut it short ("files": more than `limit`; "depth": deeper directories). */
function scan(dir: string, limit: number): { files: string[]; cut: "files" | "depth" | null; outside: string[] } {
  const out: string[] = [];
  const outside: string[] = [];
  let cut: "files" | "depth" | null = null;
  let root = dir;
  try {
    root = fs.realpathSync(dir);
  } catch {
    /* unreadable: the walk finds nothing */
  }
  const walk = (d: string, depth: number) => {
    if (depth > SCAN_LIMITS.depth) return void (cut ??= "depth");
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (cut === "files") return;
      if (e.isDirectory()) {
        if (e.name === ".git" || e.name === "node_modules") continue;
        walk(path.join(d, e.name), depth + 1);
      } else if ((e.isFile() || e.isSymbolicLink()) && (isDockerfileName(e.name) || COMPOSE_FILE.test(e.name) || COMPOSE_OVERRIDE.test(e.name))) {
        const p = path.join(d, e.name);
        if (e.isSymbolicLink()) {
          // A link is followed only to a file under the scanned directory: a Dockerfile.x that points to
          // /etc/hostname or a secret elsewhere on disk is never read (and its text never printed).
          try {
            if (!fs.statSync(p).isFile()) continue;
            if (!inside(fs.realpathSync(p), root)) {
              outside.push(p);
              continue;
            }
          } catch {
            continue;
          }
        }
        if (out.length >= limit) return void (cut = "files");
        out.push(p);
      }
    }
  };
  walk(dir, 0);
  return { files: out, cut, outside };
}

/**
 * The Dockerfiles a path names, for the CLI and the library alike: the file itself, or the Dockerfiles
 * under a directory. What is wrong goes to `errors`: a missing path (`missing` is the message), a
 * directory without Dockerfiles, and a scan cut short by SCAN_LIMITS (code scan-truncated, exit 2).
 */
export interface Target {
  file: string;
  abs: string;
  /** A Compose file or Kubernetes manifests rather than a Dockerfile. */
  kind?: ManifestKind;
  /** Compose files merged over this one, in order (compose.override.yaml beside it, or --compose-file). */
  merge?: { file: string; abs: string }[];
}

/** Whether a file given by name is a manifest: by its name, or a YAML file's first bytes. */
function kindOf(abs: string): ManifestKind | undefined {
  const name = path.basename(abs);
  if (!/\.(ya?ml|json)$/i.test(name)) return undefined;
  const r = readBounded(abs, 256 * 1024);
  return manifestKind(name, r.ok ? r.text : null) ?? undefined;
}

export function dockerfilesAt(abs: string, cwd: string, errors: ReportError[], missing = "no such file or directory", limit = SCAN_LIMITS.files): Target[] {
  const rel = (p: string) => toPosix(path.relative(cwd, p)) || ".";
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(abs);
  } catch {
    /* missing */
  }
  if (!st) {
    errors.push({ file: rel(abs), line: null, message: missing, code: "not-found" });
    return [];
  }
  if (!st.isDirectory()) {
    const kind = kindOf(abs);
    return [{ file: rel(abs), abs, ...(kind ? { kind } : {}) }];
  }
  const { files: found, cut, outside } = scan(abs, limit);
  for (const o of outside) errors.push({ file: rel(o), line: null, message: "a symbolic link to a file outside the scanned directory: not read", code: "unreadable" });
  // Compose reads compose.override.yaml over compose.yaml (its default files): the override is merged
  // into the file beside it, not a project of its own.
  const targets: Target[] = [];
  for (const f of found) {
    const name = path.basename(f);
    if (COMPOSE_OVERRIDE.test(name)) {
      const main = found.find((g) => path.dirname(g) === path.dirname(f) && COMPOSE_FILE.test(path.basename(g)));
      if (main) continue;
      targets.push({ file: rel(f), abs: f, kind: "compose" });
    } else if (COMPOSE_FILE.test(name)) {
      const overrides = found.filter((g) => path.dirname(g) === path.dirname(f) && COMPOSE_OVERRIDE.test(path.basename(g)) && path.basename(g).startsWith(name.split(".")[0]!));
      targets.push({ file: rel(f), abs: f, kind: "compose", ...(overrides.length ? { merge: overrides.map((g) => ({ file: rel(g), abs: g })) } : {}) });
    } else targets.push({ file: rel(f), abs: f });
  }
  const files = targets;
  if (cut === "files") errors.push({ file: rel(abs), line: null, message: `more than ${limit} Dockerfiles here: only the first ${limit} were audited`, code: "scan-truncated" });
  if (cut === "depth") errors.push({ file: rel(abs), line: null, message: `directories more than ${SCAN_LIMITS.depth} levels down were not searched`, code: "scan-truncated" });
  if (files.length === 0) errors.push({ file: rel(abs), line: null, message: "no Dockerfile found in this directory", code: "not-found" });
  return files;
}

/** Read a Dockerfile from disk (bounded) and audit it; a file that cannot be read is an error. Never throws. */
export function auditPath(t: { file: string; abs: string }, s: Settings, reader: SourceReader): FileOutcome {
  const r = readBounded(t.abs);
  if (!r.ok) return { result: null, errors: [{ file: t.file, line: null, message: r.message, code: r.code }], unparseable: false, model: null };
  return auditText({ file: t.file, abs: t.abs, text: r.text }, s, reader);
}

/** Audit a Dockerfile already read (from disk, standard input, or the library's `text`). Never throws. */
export function auditText(input: Input, s: Settings, reader: SourceReader): FileOutcome {
  reader.seed(input.file, input.text);
  return auditOne(input, s, reader.read);
}

export interface SourceReader {
  read: (file: string) => string | null;
  seed: (file: string, text: string) => void;
}

/** A reader for repo files (relative to cwd) with a cache; Dockerfiles given as text are pre-seeded. */
export function sourceReader(cwd: string): SourceReader {
  const cache = new Map<string, string | null>();
  return {
    seed: (file, text) => void cache.set(file, text),
    read(file) {
      if (cache.has(file)) return cache.get(file)!;
      // Findings name repository paths (relative, inside the build context) or the Dockerfile, which is
      // seeded. An absolute path here is a path inside the image: never read it from the host.
      if (path.isAbsolute(file)) return null;
      const r = readBounded(path.resolve(cwd, file), 2 * 1024 * 1024);
      const text = r.ok ? r.text : null;
      cache.set(file, text);
      return text;
    },
  };
}

/** Where the config of an audited path is searched from: the directory itself, or a file's directory. */
export function configDirOf(abs: string): string {
  try {
    if (fs.statSync(abs).isDirectory()) return abs;
  } catch {
    /* missing: its directory */
  }
  return path.dirname(abs);
}

export function emptyReport(config: string | null = null): Report {
  return { schemaVersion: REPORT_SCHEMA_VERSION, tool: { name: "audit-image", version: VERSION }, config, results: [], errors: [] };
}

/**
 * Audit a Dockerfile given as text or as a path (a directory is scanned for Dockerfiles), with the
 * CLI's options, and return the report that `--format json` prints.
 */
export async function audit(input: { text?: string; path?: string }, options: AuditOptions = {}): Promise<Report> {
  // The config is searched from what is audited (its directory), not from wherever the caller runs.
  const from = options.configFrom ?? (input.path !== undefined ? configDirOf(path.resolve(options.cwd ?? process.cwd(), input.path)) : undefined);
  const { settings, configShown } = resolveSettings({ ...options, ...(from !== undefined ? { configFrom: from } : {}) });
  const report = emptyReport(configShown);
  const reader = sourceReader(settings.cwd);
  const outcomes: FileOutcome[] = [];
  if (input.text !== undefined) {
    const file = options.file ?? (input.path ? toPosix(path.relative(settings.cwd, path.resolve(settings.cwd, input.path))) : "Dockerfile");
    const abs = input.path ? path.resolve(settings.cwd, input.path) : null;
    outcomes.push(auditText({ file, abs, text: input.text }, settings, reader));
  } else if (input.path !== undefined) {
    for (const t of dockerfilesAt(path.resolve(settings.cwd, input.path), settings.cwd, report.errors)) {
      if (!t.kind) {
        outcomes.push(auditPath(t, settings, reader));
        continue;
      }
      const r = readBounded(t.abs);
      if (!r.ok) report.errors.push({ file: t.file, line: null, message: r.message, code: r.code });
      else {
        const { auditManifest } = await import("./deploy/manifest.js");
        outcomes.push(...(await auditManifest(await import("./audit.js"), { ...t, kind: t.kind, text: r.text }, settings, reader, options.service)));
      }
    }
  } else throw new TypeError("audit(): give { text } or { path }");
  for (const o of outcomes) {
    if (o.result) report.results.push(o.result);
    append(report.errors, o.errors);
  }
  return report;
}
