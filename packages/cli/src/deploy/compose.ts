// A Compose file as deployments: each service is the image (its build:, or its image: through the base
// catalog or the config's image → Dockerfile mapping) as Compose runs it. Compose's rules, measured with
// Debian's docker-compose 1.29.2 on the engine (docs/deployments.md):
// - `entrypoint:` replaces ENTRYPOINT and the image's CMD is dropped; `command:` replaces CMD;
// - a string command/entrypoint is split into words as a POSIX shell would split them (quotes removed),
//   with no shell: `$$` is a literal `$`, `${VAR}` is interpolated by Compose from .env before that;
// - `init: true` puts docker-init at PID 1; stop_signal, stop_grace_period (1m30s → 90 s), user,
//   working_dir, environment (over env_file, over the image's Env), tty, stdin_open;
// - `extends:` (same file or another) and several files merged in order: later values win, environment
//   maps are merged key by key.
import type { Deployment, Setting } from "@audit-image/dockerfile";
import { get, keyLine, parseYamlDocuments, str, YamlError, type Y } from "./yaml-doc.js";

/** How a Compose file names its files (Compose's defaults, and what the directory scan finds). */
export const COMPOSE_NAMES = /^(docker-)?compose(\.override)?\.ya?ml$/;

export interface ComposeSource {
  /** The file as the user names it (relative to cwd). */
  file: string;
  text: string;
}

/** Where the service's image comes from. */
export type ImageFrom =
  | { kind: "build"; context: string; dockerfile: string; target?: string; args: Record<string, string>; line: number }
  | { kind: "image"; image: string; line: number }
  | { kind: "none"; line: number };

export interface ComposeService {
  name: string;
  from: ImageFrom;
  deployment: Deployment;
  /** Things the reading could not honour (an unset variable, an env_file not found). */
  warnings: string[];
}

export interface ComposeProject {
  services: ComposeService[];
  /** Problems of the file as a whole (it does not parse, it has no services). */
  errors: { file: string; line: number | null; message: string }[];
}

/** Files the reading needs besides the Compose files: .env, env_file, extends' file (relative to the first file's directory). */
export interface ComposeIo {
  /** Text of a file relative to the project directory, or null when it cannot be read. */
  read(rel: string): string | null;
}

/** A value with where it was written. */
interface At<T> {
  value: T;
  file: string;
  line: number;
}

/** One service after merging: each setting with the file and line that set it. */
interface Merged {
  settings: Map<string, At<Y>>;
  env: Map<string, At<string | null>>;
  line: number;
  file: string;
}

/** `.env` and env_file lines: KEY=VALUE, `export KEY=VALUE`, `# comment`; quotes around the value are removed (measured). */
export function parseEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const l = raw.trim();
    if (!l || l.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(l);
    if (!m) continue;
    let v = m[2]!;
    if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, "");
    out.set(m[1]!, v);
  }
  return out;
}

/**
 * Compose's interpolation: $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}, ${VAR:+x}, ${VAR+x}, and
 * $$ for a literal $. A variable set nowhere is empty (Compose warns "The X variable is not set").
 */
export function interpolate(s: string, vars: ReadonlyMap<string, string>, unset: Set<string>): string {
  return s.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, dollar, name, op, arg, bare) => {
    if (dollar === "$") return "$$";
    const n = (name ?? bare) as string;
    const v = vars.get(n);
    if (!op) {
      if (v === undefined) unset.add(n);
      return v ?? "";
    }
    const empty = op.startsWith(":") ? !v : v === undefined;
    const o = op.slice(-1);
    if (o === "-") return empty ? interpolate(arg ?? "", vars, unset) : v!;
    if (o === "+") return empty ? "" : interpolate(arg ?? "", vars, unset);
    // ?: Compose refuses to run; here the value stays empty and the variable is reported.
    if (empty) unset.add(n);
    return v ?? "";
  });
}

/** After interpolation, `$$` is a literal `$`. */
const unescapeDollar = (s: string) => s.replace(/\$\$/g, "$");

/** A string command split as Compose splits it (POSIX shell words, no shell: shlex.split in Compose v1). */
export function splitWords(s: string): string[] | null {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = "";
      has = false;
      i++;
    } else if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) return null;
      cur += s.slice(i + 1, j);
      has = true;
      i = j + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= s.length) return null;
        const d = s[i]!;
        if (d === '"') break;
        if (d === "\\" && (s[i + 1] === '"' || s[i + 1] === "\\")) {
          cur += s[i + 1];
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      has = true;
      i++;
    } else if (c === "\\") {
      if (i + 1 < s.length) cur += s[i + 1];
      has = true;
      i += 2;
    } else {
      cur += c;
      has = true;
      i++;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** A Go/Compose duration (10s, 1m30s, 1.5s, 500ms, 1h) or a bare number of seconds; null when it is not one. */
export function parseDuration(v: string | number): number | null {
  if (typeof v === "number") return v >= 0 ? v : null;
  const t = v.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(t)) return Number(t);
  const re = /([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(t))) {
    total += Number(m[1]) * unit[m[2]!]!;
    end = re.lastIndex;
  }
  return end === t.length && end > 0 ? Math.round(total * 1000) / 1000 : null;
}

const SETTINGS = ["build", "image", "entrypoint", "command", "init", "stop_signal", "stop_grace_period", "user", "working_dir", "tty", "stdin_open", "env_file"];

/** Read the Compose files (merged in order) into one deployment per service. Never throws. */
export function readCompose(sources: ComposeSource[], io: ComposeIo): ComposeProject {
  const errors: ComposeProject["errors"] = [];
  const dotenv = io.read(".env");
  const vars = dotenv !== null ? parseEnvFile(dotenv) : new Map<string, string>();
  const docs: { file: string; root: Y }[] = [];
  for (const s of sources) {
    try {
      const d = parseYamlDocuments(s.text)[0];
      if (d) docs.push({ file: s.file, root: d });
    } catch (e) {
      errors.push({ file: s.file, line: e instanceof YamlError ? e.line : null, message: `not a valid YAML file: ${(e as Error).message}` });
    }
  }
  const merged = new Map<string, Merged>();
  const order: string[] = [];
  for (const { file, root } of docs) {
    const services = get(root, "services");
    if (!services || services.t !== "map") continue;
    for (const [name, svc] of services.entries) {
      if (!merged.has(name)) order.push(name);
      const into = merged.get(name) ?? { settings: new Map(), env: new Map(), line: services.keyLines.get(name) ?? svc.line, file };
      mergeService(into, svc, file, root, io, new Set([`${file}#${name}`]), errors);
      merged.set(name, into);
    }
  }
  if (docs.length && order.length === 0) errors.push({ file: sources[0]!.file, line: null, message: "no services: not a Compose file with services" });
  const out: ComposeService[] = [];
  for (const name of order) out.push(toService(name, merged.get(name)!, vars));
  return { services: out, errors };
}

/** Merge a service's settings over what `into` holds (extends first: the base, then this service over it). */
function mergeService(into: Merged, svc: Y, file: string, root: Y, io: ComposeIo, seen: Set<string>, errors: ComposeProject["errors"]): void {
  if (svc.t !== "map") return;
  const ext = get(svc, "extends");
  if (ext) {
    const baseName = ext.t === "scalar" ? str(ext) : str(get(ext, "service"));
    const baseFile = ext.t === "map" ? str(get(ext, "file")) : undefined;
    let baseRoot: Y | undefined = root;
    let where = file;
    if (baseFile !== undefined) {
      const text = io.read(baseFile);
      where = baseFile;
      try {
        baseRoot = text === null ? undefined : parseYamlDocuments(text)[0];
      } catch {
        baseRoot = undefined;
      }
      if (!baseRoot) errors.push({ file, line: ext.line, message: `extends: ${baseFile} cannot be read` });
    }
    const base = baseName !== undefined ? get(get(baseRoot, "services"), baseName) : undefined;
    const key = `${where}#${baseName}`;
    if (base && !seen.has(key)) mergeService(into, base, where, baseRoot!, io, new Set([...seen, key]), errors);
    else if (baseRoot && !base) errors.push({ file, line: ext.line, message: `extends: no service ${baseName ?? "?"} in ${where}` });
  }
  for (const k of SETTINGS) {
    const v = get(svc, k);
    if (v !== undefined) into.settings.set(k, { value: v, file, line: keyLine(svc, k) ?? v.line });
  }
  const env = get(svc, "environment");
  if (env?.t === "map") for (const [k, v] of env.entries) into.env.set(k, { value: v.t === "scalar" && v.value !== null ? String(v.value) : null, file, line: env.keyLines.get(k) ?? v.line });
  else if (env?.t === "seq")
    for (const item of env.items) {
      const s = str(item);
      if (s === undefined) continue;
      const eq = s.indexOf("=");
      into.env.set(eq < 0 ? s : s.slice(0, eq), { value: eq < 0 ? null : s.slice(eq + 1), file, line: item.line });
    }
  // env_file is read where the service is read (relative to the project directory).
  const envFile = get(svc, "env_file");
  if (envFile) {
    const names = envFile.t === "seq" ? envFile.items.map((i) => (i.t === "map" ? str(get(i, "path")) : str(i))) : [str(envFile)];
    for (const n of names) {
      if (n === undefined) continue;
      const text = io.read(n);
      if (text === null) {
        errors.push({ file, line: envFile.line, message: `env_file ${n} cannot be read: its variables are not known` });
        continue;
      }
      // environment: wins over env_file: only the keys it does not set.
      for (const [k, v] of parseEnvFile(text)) if (!into.env.has(k) || into.env.get(k)!.file === n) into.env.set(k, { value: v, file: n, line: 1 });
    }
  }
}

function toService(name: string, m: Merged, vars: Map<string, string>): ComposeService {
  const warnings: string[] = [];
  const unset = new Set<string>();
  const text = (y: Y | undefined): string | undefined => (y?.t === "scalar" && y.value !== null ? unescapeDollar(interpolate(String(y.value), vars, unset)) : undefined);
  const d: Deployment = { kind: "compose", file: m.file, service: name, line: m.line };
  const set = <T>(value: T, at: At<Y>): Setting<T> => ({ value, line: at.line, ...(at.file !== m.file ? { file: at.file } : {}) });
  const words = (k: "entrypoint" | "command"): void => {
    const at = m.settings.get(k);
    if (!at) return;
    const y = at.value;
    let list: string[] | null;
    if (y.t === "seq") list = y.items.map((i) => text(i) ?? "");
    else if (y.t === "scalar" && y.value === null) list = null;
    else {
      // Interpolation first, then the split; `$$` is a literal `$` after both.
      const raw = y.t === "scalar" ? interpolate(String(y.value), vars, unset) : "";
      const split = splitWords(raw);
      if (split === null) warnings.push(`${k}: unbalanced quotes (Compose refuses the file)`);
      list = split?.map(unescapeDollar) ?? null;
    }
    if (list === null) return;
    if (k === "entrypoint") d.entrypoint = set(list, at);
    else d.command = set(list, at);
  };
  words("entrypoint");
  words("command");
  const bool = (k: string): Setting<boolean> | undefined => {
    const at = m.settings.get(k);
    const v = at?.value.t === "scalar" ? at.value.value : undefined;
    if (!at || v === undefined || v === null) return undefined;
    return set(v === true || v === "true" || v === "yes", at);
  };
  const init = bool("init");
  if (init) d.init = init;
  const tty = bool("tty");
  if (tty) d.tty = tty;
  const stdin = bool("stdin_open");
  if (stdin) d.stdin = stdin;
  const one = (k: string): { v: string; at: At<Y> } | undefined => {
    const at = m.settings.get(k);
    const v = text(at?.value);
    return at && v !== undefined ? { v, at } : undefined;
  };
  const sig = one("stop_signal");
  if (sig) d.stopSignal = set(normalizeSig(sig.v), sig.at);
  const grace = one("stop_grace_period");
  if (grace) {
    const n = parseDuration(grace.v);
    if (n === null) warnings.push(`stop_grace_period ${grace.v} is not a duration`);
    else d.gracePeriod = set(n, grace.at);
  }
  const user = one("user");
  if (user) d.user = set(user.v, user.at);
  const wd = one("working_dir");
  if (wd) d.workingDir = set(wd.v, wd.at);
  if (m.env.size) {
    d.env = {};
    for (const [k, at] of m.env) {
      // `- NAME` with no value takes the value of the shell running Compose; set nowhere, NAME is not set.
      const v = at.value === null ? vars.get(k) : unescapeDollar(interpolate(at.value, vars, unset));
      if (v === undefined) {
        warnings.push(`environment: ${k} has no value here (Compose takes it from the shell that runs it): taken as unset`);
        continue;
      }
      d.env[k] = { value: v, line: at.line, ...(at.file !== m.file ? { file: at.file } : {}) };
    }
  }
  for (const n of unset) warnings.push(`the variable ${n} is not set (in .env): Compose takes it as an empty string`);
  return { name, from: imageFrom(m, text), deployment: d, warnings };
}

function imageFrom(m: Merged, text: (y: Y | undefined) => string | undefined): ImageFrom {
  const build = m.settings.get("build");
  if (build) {
    const y = build.value;
    const args: Record<string, string> = {};
    const a = get(y, "args");
    if (a?.t === "map") for (const [k, v] of a.entries) args[k] = text(v) ?? "";
    else if (a?.t === "seq")
      for (const i of a.items) {
        const s = text(i);
        if (s === undefined) continue;
        const eq = s.indexOf("=");
        if (eq > 0) args[s.slice(0, eq)] = s.slice(eq + 1);
      }
    const context = (y.t === "scalar" ? text(y) : text(get(y, "context"))) ?? ".";
    const dockerfile = text(get(y, "dockerfile")) ?? "Dockerfile";
    const target = text(get(y, "target"));
    return { kind: "build", context, dockerfile, ...(target !== undefined ? { target } : {}), args, line: build.line };
  }
  const image = m.settings.get("image");
  const ref = text(image?.value);
  if (image && ref) return { kind: "image", image: ref, line: image.line };
  return { kind: "none", line: m.line };
}

/** Compose passes the signal as written; Docker takes TERM, SIGTERM or 15. */
export function normalizeSig(v: string): string {
  const t = v.trim().toUpperCase();
  return /^[0-9]+$/.test(t) ? t : t.startsWith("SIG") ? t : "SIG" + t;
}
