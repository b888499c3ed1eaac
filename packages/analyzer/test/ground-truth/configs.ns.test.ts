/**
 * Ground truth for the config files that decide whether a service daemonizes: supervisord's nodaemon (also in an
 * [include]d file, and which value wins), php-fpm's daemonize (in an included pool directory) against -D and -F,
 * nginx's `daemon off;` (in an included file) and the same directive given twice (-g and the file); and squid's
 * shutdown_lifetime, which sets how long squid takes to exit after TERM (also from an included file). Each program
 * runs as PID 1 of a fresh PID namespace (nsrun.ts): a program that daemonizes lets PID 1 exit before any signal.
 * The program catalog's `config` entries (src/data/programs.json) cite this file and the group of the test.
 *
 * Needs root and util-linux unshare; a missing program is a visible skip. Install (Debian 12):
 *   apt-get install supervisor php8.2-fpm nginx-light squid
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import packageTable from "../../../dockerfile/src/data/packages.json" with { type: "json" };
import { findProgram, nsrunUnavailable, type NsRunResult } from "./nsrun.js";
import { describeMeasured, dpkgVersions, scratchDir, type MeasuredSpec } from "./measured.js";

const unavailable = nsrunUnavailable();
if (unavailable) console.warn(`[ground-truth] configs: namespace measurements SKIPPED: ${unavailable}`);

const { dir, file } = scratchDir("configs", unavailable);

const SUPERVISORD = findProgram("supervisord");
const FPM = findProgram("php-fpm8.2");
const NGINX = findProgram("nginx");
const SQUID = findProgram("squid");

type Spec = MeasuredSpec;

const stays = (r: NsRunResult) => {
  expect(r.outcome).not.toBe("exited-before-signal");
  expect(r.pid1).not.toBeNull();
};
const daemonizes = (r: NsRunResult) => {
  // the first process exits 0 once its background copy runs: PID 1 is gone before docker stop
  expect(r.outcome).toBe("exited-before-signal");
  expect(r.exit.code).toBe(0);
};

// supervisord: the main file includes conf.d/*.conf relative to its own directory
const supMain = (extra = "") =>
  `[supervisord]\n${extra}logfile=${dir}/sup/supervisord.log\npidfile=${dir}/sup/supervisord.pid\n\n[include]\nfiles = conf.d/*.conf\n`;
const supA = file("sup/a/supervisord.conf", supMain());
file("sup/a/conf.d/app.conf", "[supervisord]\nnodaemon=true\n\n[program:sleeper]\ncommand=sleep 1000\n");
const supB = file("sup/b/supervisord.conf", supMain());
file("sup/b/conf.d/app.conf", "[program:sleeper]\ncommand=sleep 1000\n");
const supC = file("sup/c/supervisord.conf", supMain("nodaemon=true\n"));
file("sup/c/conf.d/app.conf", "[supervisord]\nnodaemon=false\n\n[program:sleeper]\ncommand=sleep 1000\n");

// php-fpm: -y names the file, include= a pool directory; zz.conf sets daemonize in [global]
const fpmMain = (name: string, zz: string | null) => {
  const d = `fpm/${name}`;
  file(`${d}/pool.d/www.conf`, `[www]\nuser = nobody\ngroup = nogroup\nlisten = ${dir}/${d}/fpm.sock\npm = static\npm.max_children = 1\n`);
  if (zz !== null) file(`${d}/pool.d/zz.conf`, zz);
  return file(`${d}/php-fpm.conf`, `[global]\npid = ${dir}/${d}/fpm.pid\nerror_log = ${dir}/${d}/fpm.log\ninclude=${dir}/${d}/pool.d/*.conf\n`);
};
const fpmNo = fpmMain("no", "[global]\ndaemonize = no\n");
// php-fpm logs to a file (stderr is a socket here, which it cannot open as its log), so a run that stays is
// given a fixed time to install its handlers: 1 s was lost under CI's load (still starting, in state D, when
// QUIT came; SIGKILLed after the grace period)
const FPM_SETTLE = 3000;
// the same config in a directory of its own (the runs go in parallel: one listening socket each)
const fpmNoD = fpmMain("no-D", "[global]\ndaemonize = no\n");
// an earlier file of the pool directory sets daemonize = yes, zz.conf (read last) no: the last value read wins
const fpmLast = fpmMain("last", "[global]\ndaemonize = no\n");
file("fpm/last/pool.d/docker.conf", "[global]\ndaemonize = yes\n");
const fpmDefault = fpmMain("default", null);
const fpmDefaultF = fpmMain("default-F", null);

// nginx: -c names the file, which includes inc/*.conf relative to its own directory
let port = 18370;
const ngxMain = (name: string, inc: string | null) => {
  const d = `nginx/${name}`;
  file(`${d}/inc/empty.conf`, "# nothing\n");
  if (inc !== null) file(`${d}/inc/main.conf`, inc);
  return file(`${d}/nginx.conf`, `pid ${dir}/${d}/nginx.pid;\nerror_log stderr;\ninclude inc/*.conf;\nevents { }\nhttp { access_log off; client_body_temp_path ${dir}/${d}/tmp; server { listen 127.0.0.1:${port++}; } }\n`);
};
const ngxOff = ngxMain("off", "daemon off;\n");
const ngxOffG = ngxMain("off-g", "daemon off;\n");
const ngxDefault = ngxMain("default", null);

// squid -N -f FILE: shutdown_lifetime in the file, or in a file it includes; no client is connected
const squidConf = (name: string, lifetime: string | null, viaInclude = false) => {
  const p = port++;
  const line = lifetime === null ? "" : viaInclude ? `include ${file(`squid/${name}-inc.conf`, `shutdown_lifetime ${lifetime}\n`)}\n` : `shutdown_lifetime ${lifetime}\n`;
  return file(`squid/${name}.conf`, `http_port 127.0.0.1:${p}\nhttp_access deny all\ncache deny all\npid_filename ${dir}/squid/${name}.pid\naccess_log none\n${line}`);
};
const squidExits = (minMs: number, maxMs: number) => (r: NsRunResult) => {
  console.log(`[ground-truth] configs: ${r.argv.at(-1)}: squid exited ${r.elapsedMs} ms after TERM (${r.outcome}, exit ${r.exit.code})`);
  expect(r.outcome).toBe("exited-after-signal");
  expect(r.exit.code).toBe(0);
  expect(r.elapsedMs).toBeGreaterThanOrEqual(minMs);
  expect(r.elapsedMs).toBeLessThanOrEqual(maxMs);
};

const specs: Spec[] = [
  {
    id: "squid-lifetime-3s", group: "squid", needs: [SQUID],
    title: "shutdown_lifetime 3 seconds: squid exits 0 about 3 s after TERM (not before), with no client",
    opts: { argv: [SQUID!, "-N", "-f", squidConf("3s", "3 seconds")], settleMs: 3000, signal: "TERM", graceMs: 15000, hardTimeoutMs: 40000 },
    check: squidExits(2800, 8000),
  },
  {
    id: "squid-lifetime-include", group: "squid", needs: [SQUID],
    title: "shutdown_lifetime 3 seconds in a file the main config includes: the same",
    opts: { argv: [SQUID!, "-N", "-f", squidConf("inc", "3 seconds", true)], settleMs: 3000, signal: "TERM", graceMs: 15000, hardTimeoutMs: 40000 },
    check: squidExits(2800, 8000),
  },
  {
    id: "squid-lifetime-default", group: "squid", needs: [SQUID],
    title: "no shutdown_lifetime: squid exits about 30 s after TERM (its default), with no client",
    opts: { argv: [SQUID!, "-N", "-f", squidConf("default", null)], settleMs: 3000, signal: "TERM", graceMs: 45000, hardTimeoutMs: 70000 },
    check: squidExits(29000, 38000),
  },
  {
    id: "squid-lifetime-bare", group: "squid", needs: [SQUID],
    title: "shutdown_lifetime 3 (a number without its unit): squid 5.7 refuses the line and exits at once",
    opts: { argv: [SQUID!, "-N", "-f", squidConf("bare", "3")], settleMs: 2000, hardTimeoutMs: 10000 },
    check: (r) => {
      expect(r.outcome).toBe("exited-before-signal");
      expect(r.exit.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/Bungled .* shutdown_lifetime 3/);
    },
  },
  {
    id: "sup-include-nodaemon", group: "supervisord", needs: [SUPERVISORD],
    title: "nodaemon=true in a file the [include] section names (relative to the main file): supervisord stays PID 1 with its program",
    opts: { argv: [SUPERVISORD!, "-c", supA], waitFor: "spawned: 'sleeper'", settleMs: 300 },
    check: (r) => {
      stays(r);
      expect(r.tree.some((p) => p.ppid === 1 && p.argv[0] === "sleep")).toBe(true);
      expect(r.outcome).toBe("exited-after-signal");
    },
  },
  {
    id: "sup-no-nodaemon", group: "supervisord", needs: [SUPERVISORD],
    title: "no nodaemon anywhere: supervisord daemonizes, PID 1 exits 0",
    opts: { argv: [SUPERVISORD!, "-c", supB], settleMs: 1500 },
    check: daemonizes,
  },
  {
    id: "sup-n-wins", group: "supervisord", needs: [SUPERVISORD],
    title: "-n on the command line keeps it in the foreground without nodaemon in the files",
    opts: { argv: [SUPERVISORD!, "-n", "-c", supB], settleMs: 1500 },
    check: stays,
  },
  {
    id: "sup-included-wins", group: "supervisord", needs: [SUPERVISORD],
    title: "nodaemon=false in the included file wins over nodaemon=true in the main file: it daemonizes",
    opts: { argv: [SUPERVISORD!, "-c", supC], settleMs: 1500 },
    check: daemonizes,
  },
  {
    id: "fpm-daemonize-no", group: "php-fpm", needs: [FPM],
    title: "daemonize = no in [global] of an included pool-directory file: the master stays PID 1",
    opts: { argv: [FPM!, "-y", fpmNo], settleMs: FPM_SETTLE, signal: "QUIT" },
    check: (r) => {
      stays(r);
      expect(r.outcome).toBe("exited-after-signal");
    },
  },
  {
    id: "fpm-last-wins", group: "php-fpm", needs: [FPM],
    title: "daemonize = yes in docker.conf, then daemonize = no in zz.conf of the same included directory: the last value read wins, the master stays PID 1",
    opts: { argv: [FPM!, "-y", fpmLast], settleMs: FPM_SETTLE, signal: "QUIT" },
    check: (r) => {
      stays(r);
      expect(r.outcome).toBe("exited-after-signal");
    },
  },
  {
    id: "fpm-D-wins", group: "php-fpm", needs: [FPM],
    title: "-D daemonizes over daemonize = no",
    opts: { argv: [FPM!, "-D", "-y", fpmNoD], settleMs: 1000 },
    check: daemonizes,
  },
  {
    id: "fpm-default", group: "php-fpm", needs: [FPM],
    title: "no daemonize setting: the master daemonizes (its default), PID 1 exits 0",
    opts: { argv: [FPM!, "-y", fpmDefault], settleMs: 1000 },
    check: daemonizes,
  },
  {
    id: "fpm-F-wins", group: "php-fpm", needs: [FPM],
    title: "-F keeps it in the foreground without a daemonize setting",
    opts: { argv: [FPM!, "-F", "-y", fpmDefaultF], settleMs: FPM_SETTLE, signal: "QUIT" },
    check: stays,
  },
  {
    id: "nginx-include-off", group: "nginx", needs: [NGINX],
    title: "daemon off; in a file the main config includes: the master stays PID 1",
    opts: { argv: [NGINX!, "-c", ngxOff], settleMs: 800, signal: "QUIT" },
    check: (r) => {
      stays(r);
      expect(r.outcome).toBe("exited-after-signal");
    },
  },
  {
    id: "nginx-default", group: "nginx", needs: [NGINX],
    title: "no daemon directive: nginx daemonizes, PID 1 exits 0",
    opts: { argv: [NGINX!, "-c", ngxDefault], settleMs: 800 },
    check: daemonizes,
  },
  {
    id: "nginx-duplicate", group: "nginx", needs: [NGINX],
    title: "-g 'daemon off;' and daemon off; in the file: \"directive is duplicate\", nginx exits 1 at once",
    opts: { argv: [NGINX!, "-c", ngxOffG, "-g", "daemon off;"], settleMs: 800 },
    check: (r) => {
      expect(r.outcome).toBe("exited-before-signal");
      expect(r.exit.code).toBe(1);
      expect(r.stderr).toMatch(/"daemon" directive is duplicate/);
    },
  },
];


afterAll(() => {
  if (!unavailable) rmSync(dir, { recursive: true, force: true });
});

describeMeasured("config files that decide daemonizing, in a PID namespace", unavailable, specs, 4, () => {
  it("versions of the measured programs (for the catalog's sources)", () => {
    const v = dpkgVersions(["supervisor", "php8.2-fpm", "nginx-light", "squid"]);
    console.log(`[ground-truth] configs: ${JSON.stringify(v)}`);
    expect(Object.keys(v)).toHaveLength(4);
  });
});

/**
 * The package table's `configs` (packages/dockerfile/src/data/packages.json) hold the settings the installed
 * package's config files set: checked against the files dpkg says the package installed on this machine.
 */
const CONF_PACKAGES = (packageTable as { packages: { manager: string; name: string; configs?: Record<string, string> }[] }).packages.filter((p) => p.manager === "apt" && p.configs);
const installedBy = (path: string): string | null => {
  try {
    return execFileSync("dpkg", ["-S", path], { encoding: "utf8" }).split(":")[0]!.trim();
  } catch {
    return null;
  }
};
/** An ini file as section -> key -> value (comments and blank lines dropped). */
const ini = (text: string) => {
  const out = new Map<string, Map<string, string>>();
  let sec = "";
  for (const raw of text.split("\n")) {
    const line = raw.replace(/(^|\s);.*$/, "").trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^\[(.+)\]$/.exec(line);
    if (m) {
      sec = m[1]!;
      if (!out.has(sec)) out.set(sec, new Map());
      continue;
    }
    const eq = line.indexOf("=");
    if (eq > 0) out.get(sec)?.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
};
describe("the package table's config files, against the installed packages", () => {
  for (const pkg of CONF_PACKAGES)
    for (const [path, recorded] of Object.entries(pkg.configs!)) {
      const here = existsSync(path) && installedBy(path) === pkg.name;
      it.skipIf(!here)(`${pkg.name} ${path}: every setting the table records is the installed file's${here ? "" : ` (SKIPPED: ${pkg.name} is not installed)`}`, () => {
        const text = readFileSync(path, "utf8");
        if (!/^\s*\[/m.test(recorded)) {
          // `directive value` files (squid.conf): every recorded line is a line of the installed file
          const lines = new Set(text.split("\n").map((l) => l.trim().replace(/\s+/g, " ")));
          for (const l of recorded.split("\n").filter(Boolean)) expect(lines.has(l.trim().replace(/\s+/g, " ")), l).toBe(true);
          // what the analyzer reads for squid: the package's files do not set shutdown_lifetime
          expect(/^\s*shutdown_lifetime\b/m.test(text)).toBe(/^\s*shutdown_lifetime\b/m.test(recorded));
          return;
        }
        const real = ini(text);
        const rec = ini(recorded);
        for (const [sec, keys] of rec) {
          expect(real.has(sec), `[${sec}]`).toBe(true);
          for (const [k, v] of keys) expect(real.get(sec)!.get(k), `[${sec}] ${k}`).toBe(v);
        }
        // what the analyzer reads for supervisord: nodaemon is not set in the package's file
        if (real.has("supervisord")) expect(real.get("supervisord")!.has("nodaemon")).toBe(rec.get("supervisord")?.has("nodaemon") ?? false);
      });
    }
});
