#!/usr/bin/env node
// CLI twin of nsrun.ts (Node 20 cannot strip TypeScript types): esbuild transpiles nsrun.ts to a
// temporary .mjs, which is imported. Run as root from the repo:
//   node packages/analyzer/test/ground-truth/nsrun-cli.mjs [--signal TERM] [--from host|namespace]
//        [--settle 250] [--grace 1500] [--wait-for TEXT] [--env K=V]... [--cwd DIR] -- argv…
// Prints the NsRunResult as JSON (tree also as text on stderr).
import { transformSync } from "esbuild";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const { code } = transformSync(readFileSync(join(here, "nsrun.ts"), "utf8"), { loader: "ts", format: "esm", target: "node20" });
const dir = mkdtempSync(join(tmpdir(), "nsrun-"));
const file = join(dir, "nsrun.mjs");
writeFileSync(file, code);
const mod = await import(pathToFileURL(file).href);
rmSync(dir, { recursive: true, force: true });

const args = process.argv.slice(2);
const opts = { argv: [] };
let env = null;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--") { opts.argv = args.slice(i + 1); break; }
  const v = () => args[++i];
  if (a === "--signal") { const s = v(); opts.signal = s === "none" ? null : s; }
  else if (a === "--from") opts.signalFrom = v();
  else if (a === "--settle") opts.settleMs = Number(v());
  else if (a === "--grace") opts.graceMs = Number(v());
  else if (a === "--timeout") opts.hardTimeoutMs = Number(v());
  else if (a === "--wait-for") opts.waitFor = v();
  else if (a === "--cwd") opts.cwd = v();
  else if (a === "--env") { env ??= { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root" }; const [k, ...r] = v().split("="); env[k] = r.join("="); }
  else { console.error(`unknown option ${a}`); process.exit(2); }
}
if (env) opts.env = env;
if (!opts.argv.length) { console.error("usage: nsrun-cli.mjs [options] -- argv…"); process.exit(2); }
const why = mod.nsrunUnavailable();
if (why) { console.error(`nsrun unavailable: ${why}`); process.exit(2); }
const r = await mod.nsrun(opts);
console.error(r.treeText);
console.log(JSON.stringify(r, null, 2));
