// Audit a Compose file or a Kubernetes manifest: one result per service or container, each the image as
// that deployment runs it. The image comes from the service's build: (its context, Dockerfile, target and
// args), else from the config's mapping of image names to Dockerfiles, else from the base-image catalog
// (and the user's baseImages / --base-config) as `FROM <image>`: what runs is then the image's own
// ENTRYPOINT and CMD, when the catalog knows them.
import path from "node:path";
import type { Deployment } from "@audit-image/dockerfile";
import type { FileOutcome, Settings, SourceReader } from "../audit.js";
import { readBounded } from "../read.js";
import type { ImageSource } from "../config.js";

export type ManifestKind = "compose" | "kubernetes";

/** One service or container to audit: its deployment and where its image comes from. */
export interface Unit {
  deployment: Deployment;
  from:
    | { kind: "build"; context: string; dockerfile: string; target?: string; args: Record<string, string>; line: number }
    | { kind: "image"; image: string; line: number }
    | { kind: "none"; line: number };
  warnings: string[];
}

const toPosix = (p: string) => p.split(path.sep).join("/");

/** Which manifest a YAML file is, from its name and text; null: neither. */
export function manifestKind(name: string, text: string | null): ManifestKind | null {
  if (/^(docker-)?compose(\.override)?\.ya?ml$/.test(name)) return "compose";
  if (!/\.(ya?ml|json)$/i.test(name) || text === null) return null;
  if (/^services\s*:/m.test(text)) return "compose";
  if (/^\s*apiVersion\s*:/m.test(text) && /^\s*kind\s*:/m.test(text)) return "kubernetes";
  return null;
}

/** The Dockerfile the config maps an image to: the exact reference, else the repository without tag or digest. */
function mapped(images: Record<string, ImageSource> | undefined, ref: string): ImageSource | null {
  if (!images) return null;
  if (images[ref]) return images[ref]!;
  const repo = ref.replace(/@.*$/, "").replace(/:[^/:]*$/, "");
  return images[repo] ?? null;
}

/**
 * Audit each unit of a manifest. `file`/`abs`: the manifest; the context of a build: is relative to the
 * manifest's directory. `service`: only that one (an error when there is none of that name).
 */
export function auditUnits(
  core: typeof import("../audit.js"),
  manifest: { file: string; abs: string },
  units: Unit[],
  s: Settings,
  reader: SourceReader,
  pick: string | undefined,
): FileOutcome[] {
  const dir = path.dirname(manifest.abs);
  const rel = (p: string) => toPosix(path.relative(s.cwd, p)) || ".";
  const chosen = pick === undefined ? units : units.filter((u) => (u.deployment.service ?? u.deployment.container) === pick || `${u.deployment.workload}/${u.deployment.container}` === pick);
  if (pick !== undefined && chosen.length === 0) {
    const names = units.map((u) => u.deployment.service ?? `${u.deployment.workload}/${u.deployment.container}`).join(", ") || "none";
    return [{ result: null, errors: [{ file: manifest.file, line: null, message: `no service or container named ${pick} (there are: ${names})`, code: "no-such-target" }], unparseable: false, model: null }];
  }
  const out: FileOutcome[] = [];
  for (const u of chosen) {
    const d = u.deployment;
    const notes = u.warnings;
    let outcome: FileOutcome;
    const viaDockerfile = (dockerfile: string, context: string, target: string | undefined, buildArgs: Record<string, string>) => {
      const r = readBounded(dockerfile);
      if (!r.ok) return { result: null, errors: [{ file: manifest.file, line: u.from.line, message: `${d.service ?? d.container}: the Dockerfile ${rel(dockerfile)} cannot be read (${r.message})`, code: r.code }], unparseable: false, model: null };
      const settings: Settings = { ...s, context, buildArgs: { ...s.buildArgs, ...buildArgs }, ...(target !== undefined ? { target } : {}) };
      reader.seed(rel(dockerfile), r.text);
      return core.auditOne({ file: rel(dockerfile), abs: dockerfile, text: r.text }, settings, reader.read, d);
    };
    if (u.from.kind === "build") {
      const context = path.resolve(dir, u.from.context);
      outcome = viaDockerfile(path.resolve(context, u.from.dockerfile), context, u.from.target, u.from.args);
    } else if (u.from.kind === "image" && mapped(s.images, u.from.image)) {
      const m = mapped(s.images, u.from.image)!;
      const base = s.configDir ?? s.cwd;
      const dockerfile = path.resolve(base, m.dockerfile);
      outcome = viaDockerfile(dockerfile, m.context !== undefined ? path.resolve(base, m.context) : path.dirname(dockerfile), m.target, {});
      notes.push(`the image ${u.from.image} is built from ${rel(dockerfile)} (the config's images mapping)`);
    } else if (u.from.kind === "image") {
      // The image as the catalog knows it: `FROM <image>` on the manifest's own line, so that what is said
      // about the image points at the line that names it.
      const text = "\n".repeat(Math.max(0, u.from.line - 1)) + `FROM ${u.from.image}\n`;
      outcome = core.auditOne({ file: manifest.file, abs: null, text }, { ...s, context: dir }, reader.read, d);
      notes.push(`no build: for this ${d.kind === "compose" ? "service" : "container"}: the image ${u.from.image} is taken as the base-image catalog (or baseImages, --base-config) knows it; map it to its Dockerfile with "images" in the config to audit what it was built from`);
    } else {
      out.push({ result: null, errors: [{ file: manifest.file, line: u.from.line, message: `${d.service ?? d.container}: neither build: nor image:`, code: "no-image" }], unparseable: false, model: null });
      continue;
    }
    if (outcome.result) outcome.result.notes.push(...notes);
    out.push(outcome);
  }
  return out;
}

/** Audit a manifest file already read: a Compose file (with `merge`: more Compose files over it, in order) or Kubernetes manifests. */
export async function auditManifest(
  core: typeof import("../audit.js"),
  manifest: { file: string; abs: string; text: string; kind: ManifestKind; merge?: { file: string; abs: string }[] },
  s: Settings,
  reader: SourceReader,
  pick: string | undefined,
): Promise<FileOutcome[]> {
  const dir = path.dirname(manifest.abs);
  reader.seed(manifest.file, manifest.text);
  const errs: FileOutcome[] = [];
  let units: Unit[];
  if (manifest.kind === "compose") {
    const { readCompose } = await import("./compose.js");
    const sources = [{ file: manifest.file, text: manifest.text }];
    for (const m of manifest.merge ?? []) {
      const r = readBounded(m.abs);
      if (!r.ok) errs.push({ result: null, errors: [{ file: m.file, line: null, message: r.message, code: r.code }], unparseable: false, model: null });
      else {
        sources.push({ file: m.file, text: r.text });
        reader.seed(m.file, r.text);
      }
    }
    const read = (rel: string) => {
      const r = readBounded(path.resolve(dir, rel), 1024 * 1024);
      return r.ok ? r.text : null;
    };
    const project = readCompose(sources, { read });
    for (const e of project.errors) errs.push(manifestError(e.file, e.line, e.message));
    units = project.services.map((sv) => ({ deployment: sv.deployment, from: sv.from, warnings: sv.warnings }));
  } else {
    const { readKubernetes } = await import("./kubernetes.js");
    const k = readKubernetes(manifest.file, manifest.text);
    for (const e of k.errors) errs.push(manifestError(manifest.file, e.line, e.message));
    units = k.containers;
  }
  return [...errs, ...auditUnits(core, manifest, units, s, reader, pick)];
}

/**
 * A problem of a manifest as a whole, with the exit code of its kind: a file that is not YAML cannot be parsed
 * (code manifest-syntax, exit 4, as a Dockerfile that does not parse); one with nothing to audit is as a
 * directory without Dockerfiles (not-found, exit 3); the rest (an env_file or extends file that cannot be read)
 * is reported (code manifest) and the audit goes on.
 */
function manifestError(file: string, line: number | null, message: string): FileOutcome {
  const syntax = /^not a valid YAML file/.test(message);
  const empty = /^no services|^no Pod, Deployment/.test(message);
  return { result: null, errors: [{ file, line, message, code: syntax ? "manifest-syntax" : empty ? "not-found" : "manifest" }], unparseable: syntax, model: null };
}
