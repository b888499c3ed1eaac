// The core shared by the CLI and the library: find Dockerfiles, read them (bounded), build the model,
// analyze, apply config and pragmas, and assemble the report.
import fs from "node:fs";
import path from "node:path";
import { buildModel, type Catalog, type DockerfileModel } from "@audit-image/dockerfile";
import { allRules, analyze, type Finding, type Severity } from "@audit-image/analyzer";
import { diskContext } from "./context-fs.js";
import { findConfig, loadConfig, normalizeImages, validateConfig, type AuditConfig, type Platform, type RuleSetting } from "./config.js";
import { readBounded } from "./read.js";
import { buildResult, REPORT_SCHEMA_VERSION, type Report, type ReportError, type Result } from "./report.js";
import { applyPragmas, type RuleIndex } from "./suppress.js";
import { VERSION } from "./version.js";

export interface AuditOptions {
  /** Target stage (name). Default: the last stage. */
  target?: string;
  buildArgs?: Record<string, string>;
  /** Build context directory. Default: the Dockerfile's directory (the working directory for text input). */
  context?: string;
  /** Grace period of the stop in seconds. Default: from the config, else 10 (30 for platform k8s). */
  stopTimeout?: number;
  platform?: Platform;
  /** `docker image inspect` JSON of base images, by reference as written in FROM. */
  baseConfigs?: Record<string, unknown>;
  /** A config file path, a config object, or false for none. Default: .audit-image.json searched from cwd upward. */
  config?: string | AuditConfig | false;
  /** Rule severities, applied over the config's. */
  rules?: Record<string, RuleSetting>;
  /** Working directory that paths in the report are relative to. Default: process.cwd(). */
  cwd?: string;
  /** Name of the Dockerfile in the report when it is given as text. Default: "Dockerfile". */
  file?: string;
  /** Called with warnings about the configuration (unknown rule ids). */
  onWarning?: (message: string) => void;
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
  context?: string;
  stopTimeout: number;
  catalogs: Catalog[];
  baseConfigs: Record<string, unknown>;
  overrides: Record<string, Severity | "off">;
  rules: RuleIndex;
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
  for (const r of allRules) for (const a of r.meta.aliases) aliases.set(a, [...(aliases.get(a) ?? []), r.meta.id]);
  return (ruleIndexCache = { ids, aliases });
}

/** Config (file or object) + explicit options → settings. Throws ConfigError on a bad config. */
export function resolveSettings(opts: AuditOptions): { settings: Settings; config: AuditConfig; configFile: string | null } {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  let config: AuditConfig = {};
  let configFile: string | null = null;
  if (typeof opts.config === "string") {
    configFile = path.resolve(cwd, opts.config);
    config = loadConfig(configFile);
  } else if (opts.config && typeof opts.config === "object") config = validateConfig(opts.config, "config");
  else if (opts.config === undefined) {
    configFile = findConfig(cwd);
    if (configFile) config = loadConfig(configFile);
  }
  const platform = opts.platform ?? config.platform ?? "docker";
  const stopTimeout = opts.stopTimeout ?? config.stopTimeout ?? (platform === "k8s" ? 30 : 10);
  const rules = ruleIndex();
  const overrides: Record<string, Severity | "off"> = {};
  const warn = opts.onWarning ?? (() => {});
  for (const [name, sev] of Object.entries({ ...(config.rules ?? {}), ...(opts.rules ?? {}) })) {
    if (rules.ids.has(name)) overrides[name] = sev;
    else if (rules.aliases.has(name)) for (const id of rules.aliases.get(name)!) overrides[id] = sev;
    else warn(`${configFile ? path.relative(cwd, configFile) || configFile : "config"}: unknown rule "${name}" (ignored); see docs/rules for the rule ids`);
  }
  const settings: Settings = {
    cwd,
    ...(opts.target !== undefined ? { target: opts.target } : {}),
    buildArgs: opts.buildArgs ?? {},
    ...(opts.context !== undefined ? { context: path.resolve(cwd, opts.context) } : {}),
    stopTimeout,
    catalogs: config.baseImages?.length ? [{ version: 1, images: normalizeImages(config.baseImages) }] : [],
    baseConfigs: opts.baseConfigs ?? {},
    overrides,
    rules,
  };
  return { settings, config, configFile };
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
export function auditOne(input: Input, s: Settings, readText: (file: string) => string | null): FileOutcome {
  try {
    return auditOneUnsafe(input, s, readText);
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
    c = diskContext(dir);
    if (m.size >= CONTEXTS_KEPT) m.delete(m.keys().next().value!);
  }
  m.set(dir, c);
  return c;
}

function auditOneUnsafe(input: Input, s: Settings, readText: (file: string) => string | null): FileOutcome {
  const ctxAbs = s.context ?? (input.abs ? path.dirname(input.abs) : s.cwd);
  const ctxRel = toPosix(path.relative(s.cwd, ctxAbs));
  const contextPrefix = ctxRel === "" ? "" : ctxRel + "/";
  const model = buildModel(input.text, {
    file: input.file,
    context: contextFor(s, ctxAbs),
    buildArgs: s.buildArgs,
    catalogs: s.catalogs,
    baseConfigs: s.baseConfigs,
    ...(s.target !== undefined ? { target: s.target } : {}),
  });
  const errors: ReportError[] = [];
  const noTarget = model.diagnostics.find((d) => d.code === "no-such-target");
  if (noTarget) {
    errors.push({ file: input.file, line: null, message: noTarget.message, code: "no-such-target" });
    return { result: null, errors, unparseable: false, model };
  }
  const parseErr = model.diagnostics.filter((d) => d.severity === "error" && PARSE_ERROR_CODES.has(d.code));
  for (const d of parseErr) errors.push({ file: input.file, line: d.line, message: d.message, code: d.code });
  const analysis = analyze(model, { stopTimeout: s.stopTimeout, rules: { overrides: s.overrides }, contextPrefix });
  const { findings, suppressed } = applyPragmas(analysis.findings, readText, s.rules, [input.file]);
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

const DOCKERFILE_NAME = /^(Dockerfile|.+\.Dockerfile|Dockerfile\..+)$/;
export const isDockerfileName = (name: string) => DOCKERFILE_NAME.test(name) && !/\.(md|txt|orig|bak|swp|rej)$/i.test(name);

/** Dockerfiles under a directory, sorted; .git and node_modules are skipped, symlinked dirs not followed. */
export function scanDirectory(dir: string, limit = 10000): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 40 || out.length >= limit) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.isDirectory()) {
        if (e.name === ".git" || e.name === "node_modules") continue;
        walk(path.join(d, e.name), depth + 1);
      } else if ((e.isFile() || e.isSymbolicLink()) && isDockerfileName(e.name)) {
        const p = path.join(d, e.name);
        if (e.isSymbolicLink()) {
          try {
            if (!fs.statSync(p).isFile()) continue;
          } catch {
            continue;
          }
        }
        out.push(p);
      }
    }
  };
  walk(dir, 0);
  return out;
}

/** A reader for repo files (relative to cwd) with a cache; Dockerfiles given as text are pre-seeded. */
export function sourceReader(cwd: string): { read: (file: string) => string | null; seed: (file: string, text: string) => void } {
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

export function emptyReport(): Report {
  return { schemaVersion: REPORT_SCHEMA_VERSION, tool: { name: "audit-image", version: VERSION }, results: [], errors: [] };
}

/**
 * Audit a Dockerfile given as text or as a path (a directory is scanned for Dockerfiles), with the
 * CLI's options, and return the report that `--format json` prints.
 */
export async function audit(input: { text?: string; path?: string }, options: AuditOptions = {}): Promise<Report> {
  const { settings } = resolveSettings(options);
  const report = emptyReport();
  const reader = sourceReader(settings.cwd);
  const inputs: Input[] = [];
  if (input.text !== undefined) {
    const file = options.file ?? (input.path ? toPosix(path.relative(settings.cwd, path.resolve(settings.cwd, input.path))) : "Dockerfile");
    const abs = input.path ? path.resolve(settings.cwd, input.path) : null;
    inputs.push({ file, abs, text: input.text });
  } else if (input.path !== undefined) {
    const abs = path.resolve(settings.cwd, input.path);
    let files = [abs];
    try {
      if (fs.statSync(abs).isDirectory()) files = scanDirectory(abs);
    } catch {
      /* reported by the read below */
    }
    if (files.length === 0) report.errors.push({ file: toPosix(path.relative(settings.cwd, abs)) || ".", line: null, message: "no Dockerfile found", code: "not-found" });
    for (const f of files) {
      const rel = toPosix(path.relative(settings.cwd, f)) || f;
      const r = readBounded(f);
      if (!r.ok) report.errors.push({ file: rel, line: null, message: r.message, code: r.code });
      else inputs.push({ file: rel, abs: f, text: r.text });
    }
  } else throw new TypeError("audit(): give { text } or { path }");
  for (const inp of inputs) {
    reader.seed(inp.file, inp.text);
    const o = auditOne(inp, settings, reader.read);
    if (o.result) report.results.push(o.result);
    report.errors.push(...o.errors);
  }
  return report;
}
