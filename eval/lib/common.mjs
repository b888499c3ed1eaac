// Shared helpers for eval/extract.mjs and eval/score.mjs (plain Node ESM, no dependencies).
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join, dirname, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";

export const EVAL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = resolve(EVAL_DIR, "..");
export const SET_DIR = join(EVAL_DIR, "set");
export const CACHE_DIR = join(EVAL_DIR, ".cache");

/**
 * Where the search tool's `fetch` puts its snapshots: `--mirror DIR`, else $AUDIT_IMAGE_EVAL_MIRROR,
 * else `.mirror` next to this checkout (the layout the fetch tool uses: <dir>/<owner>+<name>/…).
 */
export function mirrorRoot(argvValue) {
  return resolve(argvValue ?? process.env.AUDIT_IMAGE_EVAL_MIRROR ?? join(ROOT, "..", ".mirror"));
}

const OUTCOMES = new Set(["graceful", "killed", "abrupt", "not-running", "fails", "unknown"]);

/** Every pair of every eval/set/*.json, with the batch it came from and the problems found in it. */
export function loadSet(setDir = SET_DIR) {
  const pairs = [];
  const problems = [];
  if (!existsSync(setDir)) return { pairs, problems: [`no ${rel(setDir)} directory`] };
  const seen = new Map();
  for (const f of readdirSync(setDir).filter((n) => n.endsWith(".json")).sort()) {
    const batch = f.slice(0, -5);
    let list;
    try {
      list = JSON.parse(readFileSync(join(setDir, f), "utf8"));
    } catch (e) {
      problems.push(`${f}: not valid JSON (${e.message}); skipped`);
      continue;
    }
    if (!Array.isArray(list)) {
      problems.push(`${f}: not a JSON array; skipped`);
      continue;
    }
    list.forEach((p, i) => {
      const where = `${f}[${i}]${p && typeof p.id === "string" ? ` (${p.id})` : ""}`;
      const bad = checkPair(p);
      if (bad.length) {
        problems.push(`${where}: ${bad.join("; ")}; skipped`);
        return;
      }
      if (seen.has(p.id)) {
        problems.push(`${where}: duplicate id (also in ${seen.get(p.id)}); skipped`);
        return;
      }
      seen.set(p.id, f);
      pairs.push({ ...p, batch });
    });
  }
  return { pairs, problems };
}

function checkPair(p) {
  const bad = [];
  if (!p || typeof p !== "object") return ["not an object"];
  if (typeof p.id !== "string" || !/^[a-z0-9][a-z0-9._-]*$/.test(p.id)) bad.push("id must be kebab-case");
  if (typeof p.repo !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(p.repo)) bad.push("repo must be owner/name");
  if (typeof p.commit !== "string" || !/^[0-9a-f]{40}$/i.test(p.commit)) bad.push("commit must be 40 hex digits");
  if (typeof p.dockerfile !== "string" || !safeRepoPath(p.dockerfile)) bad.push("dockerfile must be a path in the repo");
  if (typeof p.context !== "string" || (p.context !== "." && !safeRepoPath(p.context))) bad.push("context must be a path in the repo or \".\"");
  if (p.target != null && typeof p.target !== "string") bad.push("target must be a string or null");
  for (const k of ["buildArgs", "env"]) if (p[k] != null && (typeof p[k] !== "object" || Array.isArray(p[k]))) bad.push(`${k} must be an object`);
  const l = p.label;
  if (!l || typeof l !== "object") bad.push("no label");
  else {
    if (typeof l.decided !== "boolean") bad.push("label.decided must be true/false");
    if (typeof l.pid1 !== "string") bad.push("label.pid1 must be a string");
    if (!OUTCOMES.has(l.outcome)) bad.push(`label.outcome must be one of ${[...OUTCOMES].join(", ")}`);
  }
  return bad;
}

/** A relative, `/`-separated path that stays inside the repository. */
export function safeRepoPath(p) {
  if (typeof p !== "string" || p === "" || p.startsWith("/") || p.includes("\\") || p.includes("\0")) return false;
  return p.split("/").every((c) => c !== "" && c !== "." && c !== ".." && c.toLowerCase() !== ".git");
}

export const normContext = (c) => (c === "." || c === "" ? "." : c.replace(/\/+$/, ""));

/** The extraction directory of a pair: eval/.cache/<id>/src holds the repository paths the pair needs. */
export const pairDir = (id) => join(CACHE_DIR, id);
export const srcDir = (id) => join(CACHE_DIR, id, "src");
export const MARKER = ".extracted.json";

/** The key that says an extraction is current (compared with the marker file). */
export const extractKey = (p) => ({ repo: p.repo, commit: p.commit.toLowerCase(), context: normContext(p.context), dockerfile: p.dockerfile, v: 1 });

export function readMarker(id) {
  try {
    return JSON.parse(readFileSync(join(pairDir(id), MARKER), "utf8"));
  } catch {
    return null;
  }
}

export const sameKey = (a, b) => !!a && !!b && JSON.stringify(a.key ?? a) === JSON.stringify(b);

/**
 * The bare git directory of a fetched repository: <mirror>/<owner>+<name>/ (name matched without regard to
 * case), then the first directory at most three levels down that looks like a git dir (HEAD + objects/).
 */
export function findGitDir(mirror, repo) {
  if (!existsSync(mirror)) return null;
  const want = repo.replace("/", "+").toLowerCase();
  const top = readdirSync(mirror).find((n) => n.toLowerCase() === want);
  if (!top) return null;
  const queue = [[join(mirror, top), 0]];
  while (queue.length) {
    const [d, depth] = queue.shift();
    if (isGitDir(d)) return d;
    if (depth >= 3) continue;
    let names = [];
    try {
      names = readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    } catch {
      continue;
    }
    // a bare dir's own subdirectories (objects, refs…) are not repositories
    for (const n of names) if (!["objects", "refs", "hooks", "info", "logs"].includes(n)) queue.push([join(d, n), depth + 1]);
  }
  return null;
}

function isGitDir(d) {
  try {
    return statSync(join(d, "HEAD")).isFile() && statSync(join(d, "objects")).isDirectory();
  } catch {
    return false;
  }
}

export const rel = (p) => {
  const r = p.startsWith(ROOT + "/") ? p.slice(ROOT.length + 1) : p;
  return r;
};

/**
 * PID-1 names compared after this alias table (applied to both the label and the prediction, after taking
 * the basename). Keep it small and explain every line.
 */
export const PID1_ALIASES = [
  [/^python(\d+(\.\d+)*)?$/, "python3", "python, python3, python3.11 … (ps shows the name it was started as; one interpreter)"],
  [/^(dash|ash)$/, "sh", "the shell behind /bin/sh (dash on Debian, busybox ash on Alpine) shows as sh when started as /bin/sh"],
  [/^nodejs$/, "node", "Debian's nodejs binary name"],
  [/^php-fpm[\d.]+$/, "php-fpm", "php-fpm8.2 … (versioned Debian/Alpine names)"],
  [/^php[\d.]+$/, "php", "php8.2 …"],
  [/^(tini-static|docker-init)$/, "tini", "tini's static build; docker-init is tini (docker run --init)"],
  [/^java(\d+)?$/, "java", "versioned java names"],
];

/**
 * Programs that are `#!` scripts of an interpreter (pip's, npm's and gem's console scripts): PID 1's argv[0] is the
 * interpreter (the README's convention for labels: "a #! script shows its interpreter"), its comm the script's
 * name, which is what the report names. Either label is right for such a PID 1 (applied in score.mjs).
 */
export const SCRIPT_INTERPRETER = {
  gunicorn: "python3", uvicorn: "python3", hypercorn: "python3", daphne: "python3", celery: "python3", esphome: "python3",
  npm: "node", npx: "node", yarn: "node", pnpm: "node", next: "node",
  puma: "ruby", unicorn: "ruby", sidekiq: "ruby", rails: "ruby", bundle: "ruby",
};

export function normPid1(name) {
  if (typeof name !== "string" || name === "") return name;
  let n = basename(name.trim());
  for (const [re, to] of PID1_ALIASES) if (re.test(n)) return to;
  return n;
}

/**
 * Catalog programs whose executable hands PID 1 to another one that `ps` then shows (applied to the
 * prediction only, by the program name the report gives). s6-overlay's /init ends up as s6-svscan at PID 1
 * (just-containers/s6-overlay#522: "s6-overlay, by design, runs s6-svscan as pid 1").
 */
export const PROGRAM_PID1 = {
  "s6-overlay-init": "s6-svscan",
  // rails is a `#!/usr/bin/env ruby` script (the catalog names the program rails): ps shows ruby
  rails: "ruby",
};
