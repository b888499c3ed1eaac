#!/usr/bin/env node
// Extract each eval pair's build context (and its Dockerfile, when that lies outside the context) from the
// fetched snapshot of its repository into eval/.cache/<id>/src/, keeping the repository's paths.
//
//   node eval/extract.mjs [--set DIR] [--mirror DIR] [--only ID]… [--force] [--quiet]
//
// Reads the snapshot with `git ls-tree` and `git cat-file --batch` only (raw blobs: no filters, no hooks,
// no checkout); nothing from the snapshot is run. A pair whose marker (eval/.cache/<id>/.extracted.json)
// matches its repo/commit/context/dockerfile is skipped, so a second run is fast.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync, rmSync, renameSync, symlinkSync, existsSync, chmodSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import {
  CACHE_DIR, MARKER, loadSet, mirrorRoot, findGitDir, pairDir, srcDir, extractKey, readMarker, sameKey,
  normContext, safeRepoPath, rel,
} from "./lib/common.mjs";

const args = process.argv.slice(2);
const opt = { set: undefined, mirror: undefined, only: [], force: false, quiet: false, listRepos: false };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--mirror") opt.mirror = args[++i];
  else if (a === "--set") opt.set = args[++i];
  else if (a === "--only") opt.only.push(args[++i]);
  else if (a === "--force") opt.force = true;
  else if (a === "--list-repos") opt.listRepos = true;
  else if (a === "--quiet" || a === "-q") opt.quiet = true;
  else if (a === "-h" || a === "--help") {
    console.log("usage: node eval/extract.mjs [--set DIR] [--mirror DIR] [--only ID]… [--force] [--quiet] [--list-repos]");
    process.exit(0);
  } else {
    console.error(`extract: unknown argument ${a}`);
    process.exit(2);
  }
}

// Git must not read this machine's or the user's config, page, or prompt; the snapshot's own config (if it
// has one) is still read by git, but ls-tree/cat-file run no configured commands.
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" };
const git = (gitDir, argv, input) =>
  spawnSync("git", [`--git-dir=${gitDir}`, "--no-pager", ...argv], { env: GIT_ENV, input, maxBuffer: 2 ** 31 - 1 });

const mirror = mirrorRoot(opt.mirror);
const { pairs, problems } = loadSet(opt.set ? resolve(opt.set) : undefined);
for (const p of problems) console.error(`set: ${p}`);
const chosen = opt.only.length ? pairs.filter((p) => opt.only.includes(p.id)) : pairs;
for (const id of opt.only) if (!pairs.some((p) => p.id === id)) console.error(`extract: no pair ${id}`);
if (opt.listRepos) {
  for (const r of [...new Set(chosen.map((p) => p.repo))].sort()) console.log(`github:${r}${findGitDir(mirror, r) ? "" : "   (not fetched)"}`);
  process.exit(0);
}

const counts = { extracted: 0, current: 0, notFetched: 0, failed: 0 };
const missingRepos = new Set();
mkdirSync(CACHE_DIR, { recursive: true });
for (const p of chosen) {
  const key = extractKey(p);
  if (!opt.force && sameKey(readMarker(p.id), key) && existsSync(srcDir(p.id))) {
    counts.current++;
    continue;
  }
  const gitDir = findGitDir(mirror, p.repo);
  if (!gitDir) {
    counts.notFetched++;
    missingRepos.add(p.repo);
    console.error(`${p.id}: ${p.repo} is not fetched (no ${p.repo.replace("/", "+")} under the mirror); skipped`);
    continue;
  }
  try {
    const n = extract(p, gitDir, key);
    counts.extracted++;
    if (!opt.quiet) console.log(`${p.id}: ${n.files} files${n.why.length ? ` (${n.skipped ? `${n.skipped} skipped; ` : ""}${n.why.join(", ")})` : ""} -> ${rel(srcDir(p.id))}`);
  } catch (e) {
    counts.failed++;
    console.error(`${p.id}: ${e.message}`);
  }
}

console.log(
  `extract: ${chosen.length} pairs: ${counts.extracted} extracted, ${counts.current} already current, ` +
    `${counts.notFetched} not fetched, ${counts.failed} failed`,
);
if (missingRepos.size) {
  console.log("Repositories to fetch (search tool: fetch source \"github:<owner>/<name>\"):");
  for (const r of [...missingRepos].sort()) console.log(`  github:${r}`);
}
process.exit(counts.failed ? 1 : 0);

function extract(p, gitDir, key) {
  const commit = p.commit.toLowerCase();
  const has = git(gitDir, ["cat-file", "-e", `${commit}^{commit}`]);
  if (has.status !== 0) {
    const head = git(gitDir, ["rev-parse", "HEAD"]).stdout?.toString().trim();
    throw new Error(`commit ${commit} is not in the snapshot of ${p.repo} (its HEAD is ${head || "?"}); re-label or re-fetch`);
  }
  const ctx = normContext(p.context);
  const wanted = (path) => ctx === "." || path === ctx || path.startsWith(ctx + "/");
  // the context, the Dockerfile and a Dockerfile-specific ignore file (<Dockerfile>.dockerignore)
  const specs = ctx === "." ? [] : [ctx, p.dockerfile, `${p.dockerfile}.dockerignore`];
  const ls = git(gitDir, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", ...specs]);
  if (ls.status !== 0) throw new Error(`git ls-tree failed: ${ls.stderr.toString().trim()}`);
  const entries = [];
  let skipped = 0;
  const why = new Set();
  for (const rec of ls.stdout.toString("utf8").split("\0")) {
    if (!rec) continue;
    const tab = rec.indexOf("\t");
    const [mode, type, oid] = rec.slice(0, tab).split(" ");
    const path = rec.slice(tab + 1);
    if (!(wanted(path) || path === p.dockerfile || path === `${p.dockerfile}.dockerignore`)) continue;
    if (!safeRepoPath(path)) {
      skipped++, why.add("unsafe path");
      continue;
    }
    if (type !== "blob") {
      skipped++, why.add(type === "commit" ? "submodule" : type);
      continue;
    }
    entries.push({ mode, oid, path });
  }
  if (!entries.some((e) => e.path === p.dockerfile)) throw new Error(`${p.dockerfile} is not in ${p.repo} at ${commit.slice(0, 12)}`);

  // all blobs in one cat-file --batch call: "<oid> blob <size>\n<bytes>\n" per object
  const cat = git(gitDir, ["cat-file", "--batch"], entries.map((e) => e.oid).join("\n") + "\n");
  if (cat.status !== 0) throw new Error(`git cat-file failed: ${cat.stderr.toString().trim()}`);
  const out = cat.stdout;
  const tmp = join(pairDir(p.id), `src.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  let pos = 0;
  const links = new Set();
  const absent = [];
  for (const e of entries) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString();
    const [oid, type, size] = header.split(" ");
    let data;
    if (oid === e.oid && type === "missing") {
      // snapshots may leave out their largest files: keep the path (COPY checks see it) as an empty file
      pos = nl + 1;
      data = Buffer.alloc(0);
      absent.push(e.path);
    } else {
      if (oid !== e.oid || type !== "blob") throw new Error(`git cat-file: unexpected "${header}" for ${e.path}`);
      data = out.subarray(nl + 1, nl + 1 + Number(size));
      pos = nl + 1 + Number(size) + 1;
    }
    const parts = e.path.split("/");
    // never write through a symlink written earlier (a well-formed tree cannot have one; a crafted one could)
    if (parts.some((_, i) => i > 0 && links.has(parts.slice(0, i).join("/")))) throw new Error(`${e.path} lies under a symlink in the snapshot; refusing`);
    const dest = join(tmp, e.path);
    mkdirSync(dirname(dest), { recursive: true });
    if (e.mode === "120000" && data.length) symlinkSync(data.toString(), dest), links.add(e.path);
    else {
      writeFileSync(dest, data);
      if (e.mode === "100755") chmodSync(dest, 0o755);
    }
  }
  rmSync(srcDir(p.id), { recursive: true, force: true });
  renameSync(tmp, srcDir(p.id));
  writeFileSync(join(pairDir(p.id), MARKER), JSON.stringify({ key, gitDir: rel(gitDir), files: entries.length, skipped, absent, at: new Date().toISOString() }, null, 2) + "\n");
  if (absent.includes(p.dockerfile)) throw new Error(`${p.dockerfile} is absent from the snapshot (a file too large for it?)`);
  if (absent.length) why.add(`${absent.length} absent from the snapshot, written empty`);
  return { files: entries.length, skipped, why: [...why] };
}
