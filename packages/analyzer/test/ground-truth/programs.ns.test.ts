/**
 * Ground truth for services and language runtimes: each real program (Debian 12's package, or a Go program built
 * here) runs as PID 1 of a fresh PID namespace (nsrun.ts) and gets the stop signal from the host's namespace, as
 * docker stop sends it. The program catalog (src/data/programs.json) cites this file and the case ids in the
 * `provenance` of the entries it measured; a few of the catalog's facts are asserted against the catalog itself.
 *
 * Needs root and util-linux unshare; a missing program is a visible skip. Install:
 *   apt-get install golang-go caddy prometheus docker-registry syncthing influxdb mosquitto haproxy varnish \
 *     redis-server memcached php-cli ruby puma unicorn uwsgi-core tini openjdk-17-jdk-headless postgresql \
 *     mariadb-server apache2 openssh-server cron squid pgbouncer openvpn bind9 qbittorrent-nox \
 *     rsyslog fail2ban opendkim opendmarc dovecot-core clamav-daemon postgrey amavisd-new rspamd fetchmail postfix supervisor
 * pnpm is taken from PATH, else from npx's cache (`npx --yes pnpm@10 --version` fills it). concurrently, tsx, nodemon
 * and pm2-runtime from PATH or the directory GT_NPM_BIN names (`npm install --prefix DIR pm2 nodemon tsx concurrently`,
 * then GT_NPM_BIN=DIR/node_modules/.bin).
 * Timing bounds are generous: the machines that run this are shared and slow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { scratchDir } from "./measured.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import catalog from "../../src/data/programs.json" with { type: "json" };
import { describeObserved, findProgram, nsrunAll, nsrunUnavailable, pnpmCjs, type NsRunOptions, type NsRunResult } from "./nsrun.js";

const unavailable = nsrunUnavailable();
if (unavailable) console.warn(`[ground-truth] programs: namespace measurements SKIPPED: ${unavailable}`);

const { dir, file } = scratchDir("programs", unavailable);
const sub = (name: string) => {
  const p = join(dir, name);
  if (!unavailable) mkdirSync(p, { recursive: true });
  return p;
};

// ------------------------------------------------------------------ Go: two tiny programs, built in beforeAll

const GO = findProgram("go");
/** No signal.Notify at all: what the Go runtime does by itself. */
const GO_PLAIN = `package main

import (
	"fmt"
	"time"
)

func main() {
	fmt.Println("ready")
	for {
		time.Sleep(time.Hour)
	}
}
`;
/** signal.Notify for TERM and INT: prints what it got, takes 200 ms, exits 0. */
const GO_NOTIFY = `package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM, syscall.SIGINT)
	fmt.Println("ready")
	s := <-c
	fmt.Println("got", s)
	time.Sleep(200 * time.Millisecond)
	os.Exit(0)
}
`;
const goPlain = join(dir, "go-plain");
const goNotify = join(dir, "go-notify");
let goBuilt: string | null = null;

// ------------------------------------------------------------------ pnpm: on PATH, else npx's cache

const PNPM = pnpmCjs();
const NODE = findProgram("node");
const pnpmVersion = (): string => {
  if (!PNPM || !NODE) return "";
  const r = spawnSync(NODE, [PNPM, "--version"], { encoding: "utf8", timeout: 60000 });
  return String(r.stdout ?? "").trim();
};

// ------------------------------------------------------------------ configs and apps

const work = {
  caddy: sub("caddy"),
  prom: sub("prom"),
  reg: sub("reg"),
  st: sub("syncthing"),
  influx: sub("influx"),
  varnish: sub("varnish"),
  php: sub("php"),
  rack: sub("rack"),
  pnpm: sub("pnpm"),
};
const promConfig = file("prom/prometheus.yml", "global:\n  scrape_interval: 15s\n");
const regConfig = (port: number) => file(`reg/config-${port}.yml`, `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${work.reg}/data-${port}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
const haproxyConfig = (port: number) =>
  file(
    `haproxy-${port}.cfg`,
    `global\n    log stdout format raw local0\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend f\n    bind 127.0.0.1:${port}\n    default_backend b\nbackend b\n    server s1 127.0.0.1:9\n`,
  );
file("php/index.php", '<?php echo "hi";\n');
const phpLoop = file("php/loop.php", '<?php\necho "ready\\n";\nwhile (true) { sleep(1); }\n');
file("rack/config.ru", 'run ->(env) { [200, { "content-type" => "text/plain" }, ["ok"]] }\n');
file(
  "pnpm/package.json",
  JSON.stringify({ name: "gt", version: "1.0.0", scripts: { start: "node server.js" } }),
);
/** The app pnpm starts: on TERM it says so and takes 1.5 s to exit. */
file(
  "pnpm/server.js",
  'console.log("server ready");\nprocess.on("SIGTERM", () => { console.log("server got TERM"); setTimeout(() => { console.log("server done"); process.exit(0); }, 1500); });\nsetInterval(() => {}, 1000);\n',
);

// ------------------------------------------------------------------ the cases

interface Case {
  id: string;
  /** The catalog entry this case is about. */
  entry: string;
  display: string;
  needs: (string | null)[];
  opts: () => NsRunOptions;
  check: (r: NsRunResult) => void;
  /** Runs alone, after the others (Debian's cron locks /var/run/crond.pid). */
  serial?: boolean;
}

let port = 21000;
const nextPort = () => port++;
const cases: Case[] = [];
const add = (c: Case) => cases.push(c);

const exitsWith = (code: number) => (r: NsRunResult) => {
  expect(r.outcome).toBe("exited-after-signal");
  expect(r.exit.code).toBe(code);
};
const keepsRunning = (r: NsRunResult) => expect(r.outcome).toBe("killed-after-grace");
const out = (r: NsRunResult) => r.stdout + r.stderr;
const GRACE_EXIT = 10000;
const GRACE_KILL = 3000;

// Go runtime, no signal.Notify
for (const [sig, check] of [
  ["TERM", exitsWith(2)],
  ["INT", exitsWith(2)],
  ["HUP", exitsWith(2)],
  ["QUIT", (r: NsRunResult) => { exitsWith(2)(r); expect(out(r)).toMatch(/SIGQUIT: quit/); }],
  ["USR1", keepsRunning],
  ["USR2", keepsRunning],
  ["WINCH", keepsRunning],
] as const) {
  add({
    id: `go-plain-${sig.toLowerCase()}`, entry: "go-binary", display: `Go program without signal.Notify (${sig})`, needs: [GO],
    opts: () => ({ argv: [goPlain], waitFor: "ready", signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}
// Not PID 1: tini forwards TERM, the Go runtime's re-raise kills the program, tini exits 128+15.
add({
  id: "go-plain-term-under-tini", entry: "go-binary", display: "tini -- Go program without signal.Notify (TERM)", needs: [GO, findProgram("tini")],
  opts: () => ({ argv: ["tini", "--", goPlain], waitFor: "ready", signal: "TERM", graceMs: GRACE_EXIT }),
  check: exitsWith(143),
});
add({
  id: "go-notify-term", entry: "go-binary", display: "Go program with signal.Notify(TERM, INT) (TERM)", needs: [GO],
  opts: () => ({ argv: [goNotify], waitFor: "ready", signal: "TERM", graceMs: GRACE_EXIT }),
  check: (r) => { exitsWith(0)(r); expect(out(r)).toMatch(/got terminated/); },
});
add({
  id: "go-notify-hup", entry: "go-binary", display: "Go program with signal.Notify(TERM, INT) (HUP, not notified)", needs: [GO],
  opts: () => ({ argv: [goNotify], waitFor: "ready", signal: "HUP", graceMs: GRACE_EXIT }),
  check: exitsWith(2),
});

// caddy
const caddyEnv = () => ({ PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: work.caddy, XDG_DATA_HOME: work.caddy, XDG_CONFIG_HOME: work.caddy });
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { exitsWith(0)(r); expect(out(r)).toMatch(/shutting down apps, then terminating/); }],
  ["INT", exitsWith(0)],
  ["QUIT", exitsWith(2)],
  ["HUP", keepsRunning],
  ["USR1", keepsRunning],
] as const) {
  add({
    id: `caddy-run-${sig.toLowerCase()}`, entry: "caddy", display: `caddy run (${sig})`, needs: [findProgram("caddy")],
    opts: () => ({ argv: ["caddy", "run"], env: caddyEnv(), waitFor: "serving initial configuration", settleMs: 500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 30000 }),
    check,
  });
}
add({
  id: "caddy-start", entry: "caddy", display: "caddy start (forks `caddy run` and exits)", needs: [findProgram("caddy")],
  opts: () => ({ argv: ["caddy", "start"], env: caddyEnv(), signal: null, hardTimeoutMs: 30000 }),
  check: (r) => { expect(r.outcome).toBe("exited-before-signal"); expect(r.exit.code).toBe(0); expect(out(r)).toMatch(/running in the background/); },
});
add({
  id: "caddy-no-subcommand", entry: "caddy", display: "caddy (no subcommand: help)", needs: [findProgram("caddy")],
  opts: () => ({ argv: ["caddy"], env: caddyEnv(), signal: null, hardTimeoutMs: 20000 }),
  check: (r) => { expect(r.outcome).toBe("exited-before-signal"); expect(r.exit.code).toBe(0); },
});

// prometheus
for (const [sig, check] of [["TERM", exitsWith(0)], ["INT", exitsWith(0)], ["HUP", keepsRunning]] as const) {
  add({
    id: `prometheus-${sig.toLowerCase()}`, entry: "prometheus", display: `prometheus (${sig})`, needs: [findProgram("prometheus")],
    opts: () => {
      const p = nextPort();
      return { argv: ["prometheus", `--config.file=${promConfig}`, `--storage.tsdb.path=${work.prom}/data-${p}`, `--web.listen-address=127.0.0.1:${p}`], waitFor: "Server is ready to receive web requests", settleMs: 500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 40000 };
    },
    check,
  });
}

// docker-registry (distribution 2.8)
for (const [sig, check] of [["TERM", exitsWith(2)], ["INT", exitsWith(2)]] as const) {
  add({
    id: `registry-${sig.toLowerCase()}`, entry: "registry", display: `docker-registry serve config.yml (${sig})`, needs: [findProgram("docker-registry")],
    opts: () => ({ argv: ["docker-registry", "serve", regConfig(nextPort())], waitFor: "listening on", settleMs: 500, signal: sig, graceMs: GRACE_EXIT, hardTimeoutMs: 30000 }),
    check,
  });
}

// syncthing: a monitor process (PID 1) and the syncthing it runs
add({
  id: "syncthing-term", entry: "syncthing", display: "syncthing serve (TERM)", needs: [findProgram("syncthing")],
  opts: () => {
    const p = nextPort();
    return { argv: ["syncthing", "serve", "--home", `${work.st}/h-${p}`, "--no-browser", `--gui-address=127.0.0.1:${p}`, "--no-default-folder"], waitFor: "GUI and API listening", settleMs: 1000, signal: "TERM", graceMs: GRACE_EXIT, hardTimeoutMs: 60000 };
  },
  check: (r) => {
    exitsWith(0)(r);
    expect(r.tree.filter((q) => q.comm === "syncthing").length).toBe(2);
    expect(out(r)).toMatch(/\[monitor\].*Signal 15 received; exiting/);
  },
});

// influxd 1.6
for (const [sig, check] of [["TERM", exitsWith(0)], ["INT", exitsWith(0)], ["HUP", exitsWith(2)]] as const) {
  add({
    id: `influxd-${sig.toLowerCase()}`, entry: "influxd", display: `influxd (${sig})`, needs: [findProgram("influxd")],
    opts: () => {
      const p = nextPort();
      const d = `${work.influx}/${p}`;
      return {
        argv: ["influxd"],
        env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", HOME: d, INFLUXDB_DATA_DIR: `${d}/data`, INFLUXDB_META_DIR: `${d}/meta`, INFLUXDB_DATA_WAL_DIR: `${d}/wal`, INFLUXDB_HTTP_BIND_ADDRESS: `127.0.0.1:${p}`, INFLUXDB_BIND_ADDRESS: `127.0.0.1:${nextPort()}`, INFLUXDB_REPORTING_DISABLED: "true" },
        waitFor: "Listening for signals", settleMs: 300, signal: sig, graceMs: GRACE_EXIT, hardTimeoutMs: 40000,
      };
    },
    check,
  });
}

// mosquitto
for (const [sig, check] of [["TERM", exitsWith(0)], ["INT", exitsWith(0)], ["HUP", keepsRunning]] as const) {
  add({
    id: `mosquitto-${sig.toLowerCase()}`, entry: "mosquitto", display: `mosquitto (${sig})`, needs: [findProgram("mosquitto")],
    opts: () => ({ argv: ["mosquitto", "-p", String(nextPort())], waitFor: "running", settleMs: 300, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}

// haproxy in master-worker mode, foreground
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { exitsWith(0)(r); expect(out(r)).toMatch(/worker \(\d+\) exited with code 143/); }],
  ["USR1", exitsWith(0)],
  ["INT", exitsWith(130)],
  ["QUIT", keepsRunning],
  ["HUP", (r: NsRunResult) => { keepsRunning(r); expect(out(r)).toMatch(/Reloading HAProxy/); }],
] as const) {
  add({
    id: `haproxy-${sig.toLowerCase()}`, entry: "haproxy", display: `haproxy -W -db -f cfg (${sig})`, needs: [findProgram("haproxy")],
    opts: () => ({ argv: ["haproxy", "-W", "-db", "-f", haproxyConfig(nextPort())], waitFor: "Loading success", settleMs: 500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}

// varnishd
const varnishArgs = (p: number, fg: boolean) => ["varnishd", ...(fg ? ["-F"] : []), "-a", `127.0.0.1:${p}`, "-b", "127.0.0.1:9", "-n", `${work.varnish}/n-${p}`, "-s", "malloc,16m"];
for (const [sig, check] of [["TERM", exitsWith(0)], ["INT", exitsWith(0)], ["HUP", keepsRunning]] as const) {
  add({
    id: `varnishd-${sig.toLowerCase()}`, entry: "varnishd", display: `varnishd -F (${sig})`, needs: [findProgram("varnishd")],
    opts: () => ({ argv: varnishArgs(nextPort(), true), waitFor: "Child starts", settleMs: 300, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 40000 }),
    check,
  });
}
add({
  id: "varnishd-no-F", entry: "varnishd", display: "varnishd without -F (daemonizes)", needs: [findProgram("varnishd")],
  opts: () => ({ argv: varnishArgs(nextPort(), false), signal: null, hardTimeoutMs: 40000 }),
  check: (r) => { expect(r.outcome).toBe("exited-before-signal"); expect(r.exit.code).toBe(0); },
});

// redis-server, memcached
for (const [sig, check] of [["TERM", exitsWith(0)], ["INT", exitsWith(0)], ["HUP", keepsRunning]] as const) {
  add({
    id: `redis-${sig.toLowerCase()}`, entry: "redis-server", display: `redis-server (${sig})`, needs: [findProgram("redis-server")],
    opts: () => ({ argv: ["redis-server", "--port", String(nextPort()), "--save", "", "--dir", dir], waitFor: "Ready to accept connections", settleMs: 300, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}
for (const [sig, check] of [["TERM", exitsWith(0)], ["INT", exitsWith(0)], ["USR1", exitsWith(0)], ["HUP", keepsRunning]] as const) {
  add({
    id: `memcached-${sig.toLowerCase()}`, entry: "memcached", display: `memcached (${sig})`, needs: [findProgram("memcached")],
    opts: () => ({ argv: ["memcached", "-u", "root", "-l", "127.0.0.1", "-p", String(nextPort())], settleMs: 1500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}

// php CLI: the built-in server, a script, the interactive shell
for (const [sig, check] of [["TERM", keepsRunning], ["INT", exitsWith(0)], ["QUIT", keepsRunning], ["HUP", keepsRunning]] as const) {
  add({
    id: `php-S-${sig.toLowerCase()}`, entry: "php", display: `php -S addr -t dir (${sig})`, needs: [findProgram("php")],
    opts: () => ({ argv: ["php", "-S", `127.0.0.1:${nextPort()}`, "-t", work.php], waitFor: "started", settleMs: 300, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check: (r) => {
      check(r);
      // only SIGINT has a handler
      expect(r.dispositions?.caught).toEqual(["INT"]);
    },
  });
}
add({
  id: "php-script-term", entry: "php", display: "php loop.php (TERM)", needs: [findProgram("php")],
  opts: () => ({ argv: ["php", phpLoop], waitFor: "ready", settleMs: 300, signal: "TERM", graceMs: GRACE_KILL }),
  check: keepsRunning,
});
add({
  id: "php-script-int", entry: "php", display: "php loop.php (INT)", needs: [findProgram("php")],
  opts: () => ({ argv: ["php", phpLoop], waitFor: "ready", settleMs: 300, signal: "INT", graceMs: GRACE_KILL }),
  check: keepsRunning,
});
add({
  id: "php-a", entry: "php", display: "php -a, stdin at EOF (docker run without -i)", needs: [findProgram("php")],
  opts: () => ({ argv: ["php", "-a"], signal: null, hardTimeoutMs: 15000 }),
  check: (r) => { expect(r.outcome).toBe("exited-before-signal"); expect(r.exit.code).toBe(0); },
});

// ruby, puma, unicorn
for (const [sig, check] of [["TERM", exitsWith(1)], ["INT", exitsWith(1)], ["HUP", exitsWith(1)], ["QUIT", exitsWith(1)]] as const) {
  add({
    id: `ruby-${sig.toLowerCase()}`, entry: "ruby", display: `ruby -e 'sleep' (${sig})`, needs: [findProgram("ruby")],
    opts: () => ({ argv: ["ruby", "-e", 'puts "ready"; $stdout.flush; sleep'], waitFor: "ready", settleMs: 300, signal: sig, graceMs: GRACE_EXIT }),
    check,
  });
}
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { expect(r.outcome).toBe("exited-after-signal"); expect(out(r)).toMatch(/Gracefully stopping/); }],
  ["INT", (r: NsRunResult) => { exitsWith(0)(r); expect(out(r)).toMatch(/Gracefully stopping/); }],
] as const) {
  add({
    id: `puma-${sig.toLowerCase()}`, entry: "puma", display: `puma (single mode, ${sig})`, needs: [findProgram("puma")],
    opts: () => ({ argv: ["puma", "-b", `tcp://127.0.0.1:${nextPort()}`], cwd: work.rack, waitFor: "Ctrl-C", settleMs: 500, signal: sig, graceMs: GRACE_EXIT, hardTimeoutMs: 30000 }),
    check,
  });
}
for (const [sig, check] of [["TERM", exitsWith(0)], ["QUIT", exitsWith(0)], ["INT", exitsWith(0)]] as const) {
  add({
    id: `unicorn-${sig.toLowerCase()}`, entry: "unicorn", display: `unicorn (${sig})`, needs: [findProgram("unicorn")],
    opts: () => ({ argv: ["unicorn", "-l", `127.0.0.1:${nextPort()}`], cwd: work.rack, waitFor: "worker=0 ready", settleMs: 300, signal: sig, graceMs: GRACE_EXIT, hardTimeoutMs: 30000 }),
    check: (r) => { check(r); expect(r.tree.length).toBe(2); },
  });
}

// uWSGI: TERM is a reload unless --die-on-term
add({
  id: "uwsgi-term", entry: "uwsgi", display: "uwsgi --master (TERM)", needs: [findProgram("uwsgi")],
  opts: () => ({ argv: ["uwsgi", "--master", "--http-socket", `127.0.0.1:${nextPort()}`], waitFor: "spawned uWSGI worker 1", settleMs: 500, signal: "TERM", graceMs: GRACE_KILL, hardTimeoutMs: 30000 }),
  check: keepsRunning,
});
add({
  id: "uwsgi-int", entry: "uwsgi", display: "uwsgi --master (INT)", needs: [findProgram("uwsgi")],
  opts: () => ({ argv: ["uwsgi", "--master", "--http-socket", `127.0.0.1:${nextPort()}`], waitFor: "spawned uWSGI worker 1", settleMs: 500, signal: "INT", graceMs: GRACE_EXIT, hardTimeoutMs: 30000 }),
  check: exitsWith(0),
});
add({
  id: "uwsgi-die-on-term", entry: "uwsgi", display: "uwsgi --master --die-on-term (TERM)", needs: [findProgram("uwsgi")],
  opts: () => ({ argv: ["uwsgi", "--master", "--die-on-term", "--http-socket", `127.0.0.1:${nextPort()}`], waitFor: "spawned uWSGI worker 1", settleMs: 500, signal: "TERM", graceMs: GRACE_EXIT, hardTimeoutMs: 30000 }),
  check: (r) => { exitsWith(0)(r); expect(out(r)).toMatch(/SIGINT\/SIGTERM received/); },
});

// uWSGI takes its options from an ini file too ([uwsgi] section; `key` alone is a flag that is on), from
// UWSGI_<OPTION> variables, and in order: the last value wins (catalog `optionsFrom`, exec/options-from.ts).
const uwsgiIni = (name: string, body: string, section = "uwsgi") => file(`uwsgi-${name}.ini`, `[${section}]\nmaster\nhttp-socket = 127.0.0.1:${nextPort()}\n${body}`);
const UWSGI_CASES: [string, string, () => NsRunOptions, typeof keepsRunning][] = [
  ["uwsgi-ini-die-on-term", "uwsgi app.ini with a bare die-on-term line (TERM)", () => ({ argv: ["uwsgi", uwsgiIni("bare", "die-on-term\n")] }), exitsWith(0)],
  ["uwsgi-ini-die-on-term-yes", "uwsgi app.ini with die-on-term = yes (TERM)", () => ({ argv: ["uwsgi", uwsgiIni("yes", "die-on-term = yes\n")] }), exitsWith(0)],
  ["uwsgi-ini-die-on-term-off", "uwsgi app.ini with die-on-term = off (TERM)", () => ({ argv: ["uwsgi", uwsgiIni("off", "die-on-term = off\n")] }), keepsRunning],
  ["uwsgi-ini-other-section", "uwsgi app.ini with die-on-term only in another section (TERM)", () => ({ argv: ["uwsgi", file("uwsgi-sec.ini", `[other]\ndie-on-term\n[uwsgi]\nmaster\nhttp-socket = 127.0.0.1:${nextPort()}\n`)] }), keepsRunning],
  ["uwsgi-env-ini", "UWSGI_INI names the file with die-on-term (TERM)", () => ({ argv: ["uwsgi"], env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", UWSGI_INI: uwsgiIni("env", "die-on-term\n") } }), exitsWith(0)],
  ["uwsgi-env-die-on-term", "UWSGI_DIE_ON_TERM=1 in the environment (TERM)", () => ({ argv: ["uwsgi", uwsgiIni("plain", "")], env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", UWSGI_DIE_ON_TERM: "1" } }), exitsWith(0)],
  ["uwsgi-file-after-flag", "--die-on-term, then a file that says die-on-term = false: the later one wins (TERM)", () => ({ argv: ["uwsgi", "--die-on-term", uwsgiIni("later", "die-on-term = false\n")] }), keepsRunning],
];
for (const [id, display, base, check] of UWSGI_CASES) {
  add({
    id, entry: "uwsgi", display, needs: [findProgram("uwsgi")],
    opts: () => ({ ...base(), waitFor: "spawned uWSGI worker 1", settleMs: 500, signal: "TERM", graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 30000 }),
    check,
  });
}

// pnpm: `pnpm start` runs the script with sh -c (dash here); on TERM pnpm signals the script's processes and exits
// as soon as its own child (the shell, killed at once) is gone: the app's 1.5 s shutdown is cut short at PID 1.
add({
  id: "pnpm-start-term", entry: "pnpm", display: "pnpm start → sh -c 'node server.js' (TERM)", needs: [NODE, PNPM],
  opts: () => ({ argv: [NODE!, PNPM!, "start"], cwd: work.pnpm, waitFor: "server ready", settleMs: 500, signal: "TERM", graceMs: GRACE_EXIT, hardTimeoutMs: 30000 }),
  check: (r) => {
    exitsWith(1)(r);
    expect(r.tree.map((q) => q.comm)).toEqual(["node", "sh", "node"]);
    expect(out(r)).toMatch(/server got TERM/);
    expect(out(r)).not.toMatch(/server done/);
    expect(r.elapsedMs!).toBeLessThan(1500);
  },
});

add({
  id: "pnpm-start-int", entry: "pnpm", display: "pnpm start → sh -c 'node server.js' (INT)", needs: [NODE, PNPM],
  opts: () => ({ argv: [NODE!, PNPM!, "start"], cwd: work.pnpm, waitFor: "server ready", settleMs: 500, signal: "INT", graceMs: GRACE_KILL, hardTimeoutMs: 30000 }),
  check: keepsRunning,
});

// java (HotSpot): a class without hooks and one with a shutdown hook, run from source (java File.java)
const javaIdle = file(
  "java/Idle.java",
  'public class Idle {\n  public static void main(String[] args) throws Exception {\n    if (args.length > 0) Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));\n    System.out.println("ready");\n    Thread.sleep(Long.MAX_VALUE);\n  }\n}\n',
);
const JAVA = findProgram("java");
const JAVAC = findProgram("javac");
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { exitsWith(143)(r); expect(out(r)).toMatch(/hook ran/); }],
  ["INT", (r: NsRunResult) => { exitsWith(130)(r); expect(out(r)).toMatch(/hook ran/); }],
  ["HUP", (r: NsRunResult) => { exitsWith(129)(r); expect(out(r)).toMatch(/hook ran/); }],
  ["QUIT", (r: NsRunResult) => { keepsRunning(r); expect(out(r)).toMatch(/Full thread dump/); }],
] as const) {
  add({
    id: `java-${sig.toLowerCase()}`, entry: "java", display: `java Idle.java with a shutdown hook (${sig})`, needs: [JAVA, JAVAC],
    opts: () => ({ argv: ["java", javaIdle, "hook"], waitFor: "ready", settleMs: 300, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 60000 }),
    check,
  });
}
add({
  id: "java-Xrs-term", entry: "java", display: "java -Xrs Idle.java (TERM)", needs: [JAVA, JAVAC],
  opts: () => ({ argv: ["java", "-Xrs", javaIdle, "hook"], waitFor: "ready", settleMs: 300, signal: "TERM", graceMs: GRACE_KILL, hardTimeoutMs: 60000 }),
  check: (r) => { keepsRunning(r); expect(r.dispositions?.caught).not.toContain("TERM"); },
});

// postgres 15: a fresh cluster per case (initdb in beforeAll), run as the postgres user through setpriv (which execs)
const PG_BIN = existsSync("/usr/lib/postgresql/15/bin/postgres") ? "/usr/lib/postgresql/15/bin" : null;
const pgRoot = join(tmpdir(), `audit-image-gt-pg-${process.pid}`); // per run: two runs at once must not share clusters
const pgCases = ["TERM", "INT", "QUIT", "HUP"] as const;
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { exitsWith(0)(r); expect(out(r)).toMatch(/received smart shutdown request/); }],
  ["INT", (r: NsRunResult) => { exitsWith(0)(r); expect(out(r)).toMatch(/received fast shutdown request/); }],
  ["QUIT", (r: NsRunResult) => { expect(r.outcome).toBe("exited-after-signal"); expect(out(r)).toMatch(/received immediate shutdown request/); }],
  ["HUP", (r: NsRunResult) => { keepsRunning(r); expect(out(r)).toMatch(/reloading configuration files/); }],
] as const) {
  add({
    id: `postgres-${sig.toLowerCase()}`, entry: "postgres", display: `postgres -D data, no client (${sig})`, needs: [PG_BIN, findProgram("setpriv"), findProgram("runuser")],
    opts: () => ({
      argv: ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", `${PG_BIN}/postgres`, "-D", `${pgRoot}/${sig}`, "-k", pgRoot, "-p", String(nextPort()), "-c", "listen_addresses="],
      waitFor: "ready to accept connections", settleMs: 300, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 40000,
    }),
    check,
  });
}

// mariadbd: a data directory made by mariadb-install-db in beforeAll
const myRoot = join(tmpdir(), `audit-image-gt-mariadb-${process.pid}`);
for (const [sig, check] of [["TERM", exitsWith(0)], ["QUIT", exitsWith(0)], ["INT", keepsRunning], ["HUP", keepsRunning]] as const) {
  add({
    id: `mariadbd-${sig.toLowerCase()}`, entry: "mariadbd", display: `mariadbd --skip-networking (${sig})`, needs: [findProgram("mariadbd"), findProgram("mariadb-install-db")],
    opts: () => ({
      argv: ["mariadbd", "--user=mysql", `--datadir=${myRoot}/${sig}`, `--socket=${myRoot}/${sig}.sock`, "--skip-networking"],
      waitFor: "ready for connections", settleMs: 300, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 60000,
    }),
    check,
  });
}

// apache2 (Debian's binary, a minimal configuration of our own on a port of its own)
const apacheConf = (p: number) => {
  const d = sub(`apache-${p}`);
  return file(
    `apache-${p}.conf`,
    `ServerRoot /etc/apache2\nLoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nLoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\nListen 127.0.0.1:${p}\nServerName localhost\nPidFile ${d}/apache.pid\nMutex file:${d}\nErrorLog ${d}/error.log\nDocumentRoot ${d}\nUser www-data\nGroup www-data\n`,
  );
};
for (const [sig, check] of [["TERM", exitsWith(0)], ["WINCH", exitsWith(0)], ["HUP", keepsRunning]] as const) {
  add({
    id: `apache2-${sig.toLowerCase()}`, entry: "httpd", display: `apache2 -DFOREGROUND -f conf (${sig})`, needs: [findProgram("apache2")],
    opts: () => ({ argv: ["apache2", "-DFOREGROUND", "-f", apacheConf(nextPort())], settleMs: 2000, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check: (r) => { check(r); expect(r.tree.length).toBeGreaterThan(1); },
  });
}

// apache2ctl (Debian's /bin/sh launcher of apache2): for arguments that are not one of its actions it runs
// `$HTTPD $APACHE_ARGUMENTS "$@"` as its child, without exec, so the shell stays PID 1 and drops TERM
add({
  id: "apache2ctl-foreground-term", entry: "apache2ctl", display: "apache2ctl -DFOREGROUND -f conf (TERM)", needs: [findProgram("apache2ctl"), findProgram("apache2")],
  opts: () => ({ argv: ["apache2ctl", "-DFOREGROUND", "-f", apacheConf(nextPort())], settleMs: 2000, signal: "TERM", graceMs: GRACE_KILL }),
  check: (r) => {
    keepsRunning(r);
    expect(r.pid1?.argv.slice(0, 2)).toEqual(["/bin/sh", "/usr/sbin/apache2ctl"]);
    const child = r.tree.find((q) => q.ppid === 1);
    expect(child?.argv[0]).toBe("/usr/sbin/apache2");
  },
});

// sshd -D
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { exitsWith(0)(r); expect(out(r)).toMatch(/Received signal 15; terminating/); }],
  ["HUP", (r: NsRunResult) => { keepsRunning(r); expect(out(r)).toMatch(/Received SIGHUP; restarting/); }],
] as const) {
  add({
    id: `sshd-${sig.toLowerCase()}`, entry: "sshd", display: `sshd -D -e (${sig})`, needs: [existsSync("/usr/sbin/sshd") ? "/usr/sbin/sshd" : null],
    opts: () => {
      mkdirSync("/run/sshd", { recursive: true });
      return { argv: ["/usr/sbin/sshd", "-D", "-e", "-p", String(nextPort())], waitFor: "Server listening", settleMs: 300, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT };
    },
    check,
  });
}

// cron: Debian's and BusyBox's
for (const [sig, check] of [["TERM", keepsRunning], ["INT", keepsRunning], ["HUP", keepsRunning]] as const) {
  add({
    id: `cron-f-${sig.toLowerCase()}`, entry: "cron", display: `cron -f (Debian, ${sig})`, needs: [findProgram("cron")], serial: true,
    opts: () => ({ argv: ["cron", "-f"], settleMs: 1000, signal: sig, graceMs: GRACE_KILL }),
    check: (r) => { check(r); expect(r.dispositions?.caught).toEqual(["HUP", "CHLD"]); },
  });
}
add({
  id: "cron-daemonizes", entry: "cron", display: "cron without -f (Debian)", needs: [findProgram("cron")], serial: true,
  opts: () => ({ argv: ["cron"], signal: null, hardTimeoutMs: 10000 }),
  check: (r) => { expect(r.outcome).toBe("exited-before-signal"); expect(r.exit.code).toBe(0); },
});
add({
  id: "busybox-crond-term", entry: "crond", display: "busybox crond -f (TERM)", needs: [findProgram("busybox")],
  opts: () => ({ argv: ["busybox", "crond", "-f", "-c", sub("crontabs")], settleMs: 1000, signal: "TERM", graceMs: GRACE_KILL }),
  check: (r) => { keepsRunning(r); expect(r.dispositions?.caught).toEqual([]); },
});

// BusyBox httpd: -f keeps it in the foreground; it installs no TERM handler, so at PID 1 TERM is dropped
add({
  id: "busybox-httpd-f-term", entry: "busybox-httpd", display: "busybox httpd -f (TERM)", needs: [findProgram("busybox")],
  opts: () => ({ argv: ["busybox", "httpd", "-f", "-p", `127.0.0.1:${nextPort()}`, "-h", sub("www")], settleMs: 800, signal: "TERM", graceMs: GRACE_KILL }),
  check: (r) => { keepsRunning(r); expect(r.dispositions?.caught ?? []).not.toContain("TERM"); },
});
add({
  id: "busybox-httpd-daemonizes", entry: "busybox-httpd", display: "busybox httpd without -f", needs: [findProgram("busybox")],
  opts: () => ({ argv: ["busybox", "httpd", "-p", `127.0.0.1:${nextPort()}`, "-h", sub("www")], signal: null, hardTimeoutMs: 5000 }),
  check: (r) => { expect(r.outcome).toBe("exited-before-signal"); expect(r.exit.code).toBe(0); },
});

// squid: TERM waits shutdown_lifetime (30 s by default) before it exits
const squidConf = (p: number, lifetime: string | null) =>
  file(`squid-${p}.conf`, `http_port 127.0.0.1:${p}\nhttp_access deny all\ncache deny all\npid_filename ${dir}/squid-${p}.pid\naccess_log none\n${lifetime ? `shutdown_lifetime ${lifetime}\n` : ""}`);
add({
  id: "squid-term-default", entry: "squid", display: "squid -N, default shutdown_lifetime (TERM, 12 s grace)", needs: [findProgram("squid")],
  opts: () => ({ argv: ["squid", "-N", "-f", squidConf(nextPort(), null)], settleMs: 3000, signal: "TERM", graceMs: 12000, hardTimeoutMs: 40000 }),
  check: keepsRunning,
});
add({
  id: "squid-term-lifetime-1s", entry: "squid", display: "squid -N, shutdown_lifetime 1 seconds (TERM)", needs: [findProgram("squid")],
  opts: () => ({ argv: ["squid", "-N", "-f", squidConf(nextPort(), "1 seconds")], settleMs: 3000, signal: "TERM", graceMs: 12000, hardTimeoutMs: 40000 }),
  check: exitsWith(0),
});
add({
  id: "squid-int-lifetime-1s", entry: "squid", display: "squid -N, shutdown_lifetime 1 seconds (INT)", needs: [findProgram("squid")],
  opts: () => ({ argv: ["squid", "-N", "-f", squidConf(nextPort(), "1 seconds")], settleMs: 3000, signal: "INT", graceMs: 12000, hardTimeoutMs: 40000 }),
  check: exitsWith(0),
});

// pgbouncer (run as nobody through setpriv, which execs): config files in a directory nobody can read
const pgbRoot = join(tmpdir(), `audit-image-gt-pgbouncer-${process.pid}`);
const pgbConf = (p: number) => {
  const conf = join(pgbRoot, `pgbouncer-${p}.ini`);
  if (!unavailable) {
    mkdirSync(pgbRoot, { recursive: true, mode: 0o777 });
    writeFileSync(join(pgbRoot, "users.txt"), "", { mode: 0o644 });
    writeFileSync(conf, `[databases]\nx = host=127.0.0.1 port=9 dbname=x\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = ${p}\nunix_socket_dir =\nauth_type = trust\nauth_file = ${pgbRoot}/users.txt\npidfile =\nlogfile =\n`, { mode: 0o644 });
  }
  return conf;
};
for (const [sig, check] of [["TERM", exitsWith(1)], ["INT", exitsWith(0)], ["HUP", keepsRunning]] as const) {
  add({
    id: `pgbouncer-${sig.toLowerCase()}`, entry: "pgbouncer", display: `pgbouncer cfg, no client (${sig})`, needs: [findProgram("pgbouncer"), findProgram("setpriv")],
    opts: () => ({ argv: ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "pgbouncer", pgbConf(nextPort())], waitFor: "listening on", settleMs: 500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}

// named (BIND 9, Debian's bind9 with its own /etc/bind configuration): -g keeps it in the foreground and logs to
// stderr; -u bind drops to the bind user after it binds its ports
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { exitsWith(0)(r); expect(out(r)).toMatch(/shutting down/); expect(out(r)).toMatch(/exiting/); }],
  ["INT", (r: NsRunResult) => { exitsWith(0)(r); expect(out(r)).toMatch(/exiting/); }],
  ["HUP", (r: NsRunResult) => { keepsRunning(r); expect(out(r)).toMatch(/reloading configuration succeeded/); }],
] as const) {
  add({
    id: `named-${sig.toLowerCase()}`, entry: "named", display: `named -g -u bind (${sig})`, needs: [findProgram("named")],
    opts: () => ({ argv: ["named", "-g", "-u", "bind"], waitFor: "running", settleMs: 1000, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 30000 }),
    check,
  });
}
add({
  id: "named-daemonizes", entry: "named", display: "named -u bind (no -f or -g: forks into the background)", needs: [findProgram("named")],
  opts: () => ({ argv: ["named", "-u", "bind"], signal: null, hardTimeoutMs: 20000 }),
  check: (r) => { expect(r.outcome).toBe("exited-before-signal"); expect(r.exit.code).toBe(0); },
});

// qbittorrent-nox with its profile in a scratch directory, the legal notice accepted there (else it asks on stdin)
const qbtProfile = () => {
  const name = `qbt-${nextPort()}`;
  file(`${name}/qBittorrent/config/qBittorrent.conf`, "[LegalNotice]\nAccepted=true\n");
  return join(dir, name);
};
for (const sig of ["TERM", "INT"] as const) {
  add({
    id: `qbittorrent-nox-${sig.toLowerCase()}`, entry: "qbittorrent-nox", display: `qbittorrent-nox --profile=DIR (${sig})`, needs: [findProgram("qbittorrent-nox")],
    opts: () => {
      const d = qbtProfile();
      return { argv: ["qbittorrent-nox", `--profile=${d}`, `--webui-port=${nextPort()}`, `--torrenting-port=${nextPort()}`], env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: d }, settleMs: 3000, signal: sig, graceMs: GRACE_EXIT, hardTimeoutMs: 30000 };
    },
    check: (r) => { exitsWith(0)(r); expect(out(r)).toMatch(new RegExp(`Catching signal: SIG${sig}`)); expect(out(r)).toMatch(/Exiting cleanly/); },
  });
}

// openvpn with a null device (no tunnel needed)
for (const [sig, check] of [["TERM", exitsWith(0)], ["INT", exitsWith(0)], ["HUP", keepsRunning], ["USR1", keepsRunning]] as const) {
  add({
    id: `openvpn-${sig.toLowerCase()}`, entry: "openvpn", display: `openvpn --dev null (${sig})`, needs: [findProgram("openvpn")],
    opts: () => ({ argv: ["openvpn", "--dev", "null", "--verb", "3", "--ping", "10", "--lport", String(nextPort())], settleMs: 1500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}

// Node launchers from npm (npm install -g pm2 nodemon tsx concurrently, or into a prefix whose bin directory
// GT_NPM_BIN names): each runs an app that takes 1.5 s to stop after TERM or INT.
const npmBin = (name: string) => {
  const d = process.env.GT_NPM_BIN;
  if (d && existsSync(join(d, name))) return join(d, name);
  return findProgram(name);
};
const slowApp = file(
  "launchers/server.js",
  'console.log("server ready " + process.pid);\nfor (const s of ["SIGTERM", "SIGINT"]) process.on(s, () => { console.log("server got " + s); setTimeout(() => { console.log("server done"); process.exit(0); }, 1500); });\nsetInterval(() => {}, 1000);\n',
);
const slowTs = file("launchers/server.ts", 'const s: string = "ready";\nconsole.log("server " + s);\nprocess.on("SIGTERM", () => { console.log("server got SIGTERM"); setTimeout(() => { console.log("server done"); process.exit(0); }, 1500); });\nsetInterval(() => {}, 1000);\n');
const launcherEnv = () => ({ PATH: `${process.env.GT_NPM_BIN ?? "/usr/local/bin"}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, HOME: sub("launchers-home") });
const waitsForApp = (code: number) => (r: NsRunResult) => {
  exitsWith(code)(r);
  expect(out(r)).toMatch(/server got SIGTERM|server got SIGINT/);
  expect(out(r)).toMatch(/server done/);
};
add({
  id: "concurrently-term", entry: "concurrently", display: "concurrently -k 'node server.js' 'cd / && node server.js; echo after' (TERM)", needs: [npmBin("concurrently"), NODE],
  opts: () => ({ argv: [npmBin("concurrently")!, "-k", `node ${slowApp}`, `cd / && node ${slowApp}; echo after`], env: launcherEnv(), cwd: sub("launchers"), waitFor: /server ready[\s\S]*server ready/, settleMs: 500, signal: "TERM", graceMs: GRACE_EXIT, hardTimeoutMs: 30000 }),
  check: (r) => {
    exitsWith(1)(r);
    // both apps, the one under a shell that does not exec too, got TERM and finished before concurrently exited
    expect(out(r).match(/server got SIGTERM/g)?.length).toBe(2);
    expect(out(r).match(/server done/g)?.length).toBe(2);
  },
});
add({
  id: "tsx-term", entry: "tsx", display: "tsx server.ts (TERM)", needs: [npmBin("tsx"), NODE],
  opts: () => ({ argv: [npmBin("tsx")!, slowTs], env: launcherEnv(), cwd: sub("launchers"), waitFor: "server ready", settleMs: 500, signal: "TERM", graceMs: GRACE_EXIT, hardTimeoutMs: 30000 }),
  check: waitsForApp(0),
});
add({
  id: "nodemon-term", entry: "nodemon", display: "nodemon server.js (TERM)", needs: [npmBin("nodemon"), NODE],
  opts: () => ({ argv: [npmBin("nodemon")!, slowApp], env: launcherEnv(), cwd: sub("launchers"), waitFor: "server ready", settleMs: 500, signal: "TERM", graceMs: GRACE_EXIT, hardTimeoutMs: 30000 }),
  check: waitsForApp(143),
});
add({
  id: "pm2-runtime-term", entry: "pm2-runtime", display: "pm2-runtime server.js (TERM)", needs: [npmBin("pm2-runtime"), NODE],
  opts: () => ({ argv: [npmBin("pm2-runtime")!, slowApp], env: launcherEnv(), cwd: sub("launchers"), waitFor: "server ready", settleMs: 1000, signal: "TERM", graceMs: GRACE_EXIT, hardTimeoutMs: 40000 }),
  check: (r) => { exitsWith(0)(r); expect(out(r)).toMatch(/Stopping app/); expect(out(r)).toMatch(/server got SIGINT/); },
});

// ------------------------------------------------------------------ mail and infrastructure daemons (Debian 12)
// Each gets a minimal config of its own in mailRoot (readable by the users the daemons drop to), its own port,
// pid file and socket, so the cases run side by side; rspamd reads Debian's default config and binds its fixed
// ports, so its cases run alone.
const mailRoot = join(tmpdir(), `audit-image-gt-mail-${process.pid}`);
const mailFile = (name: string, content: string, mode = 0o644) => {
  const p = join(mailRoot, name);
  if (!unavailable) {
    mkdirSync(join(p, ".."), { recursive: true, mode: 0o755 });
    writeFileSync(p, content, { mode });
  }
  return p;
};
const mailDir = (name: string, owner?: string) => {
  const p = join(mailRoot, name);
  if (!unavailable) {
    mkdirSync(p, { recursive: true, mode: 0o755 });
    if (owner) spawnSync("chown", ["-R", owner, p]);
  }
  return p;
};
const stops = (code: number, withinMs: number) => (r: NsRunResult) => {
  exitsWith(code)(r);
  expect(r.elapsedMs).toBeLessThan(withinMs);
};
const daemonizes = (r: NsRunResult) => {
  expect(r.outcome).toBe("exited-before-signal");
  expect(r.exit.code).toBe(0);
};
const TINI = findProgram("tini");

// rsyslogd -n: as PID 1 it enables "container-specific defaults" (INT and QUIT end it); below PID 1 they do not
const rsyslogConf = () => mailFile(`rsyslog-${nextPort()}.conf`, `*.* ${mailRoot}/rsyslog.log\n`);
const rsyslogArgv = () => ["rsyslogd", "-n", "-f", rsyslogConf(), "-i", join(mailRoot, `rsyslogd-${nextPort()}.pid`)];
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { stops(0, 2000)(r); expect(out(r)).toMatch(/running as pid 1, enabling container-specific defaults/); }],
  ["INT", stops(0, 2000)],
  ["QUIT", stops(0, 2000)],
  ["HUP", keepsRunning],
] as const) {
  add({
    id: `rsyslogd-n-${sig.toLowerCase()}`, entry: "rsyslogd", display: `rsyslogd -n -f CONF (${sig})`, needs: [findProgram("rsyslogd")],
    opts: () => ({ argv: rsyslogArgv(), settleMs: 1500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}
for (const [sig, check] of [["TERM", (r: NsRunResult) => exitsWith(0)(r)], ["INT", keepsRunning], ["QUIT", keepsRunning]] as const) {
  add({
    id: `rsyslogd-n-${sig.toLowerCase()}-under-tini`, entry: "rsyslogd", display: `tini -- rsyslogd -n -f CONF (${sig}, forwarded: not PID 1)`, needs: [findProgram("rsyslogd"), TINI],
    opts: () => ({ argv: ["tini", "--", ...rsyslogArgv()], settleMs: 1500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}
add({
  id: "rsyslogd-daemonizes", entry: "rsyslogd", display: "rsyslogd -f CONF (no -n)", needs: [findProgram("rsyslogd")],
  opts: () => ({ argv: rsyslogArgv().filter((a) => a !== "-n"), signal: null, hardTimeoutMs: 10000 }),
  check: daemonizes,
});

// fail2ban-server -xf start, a config directory with no jail, the database in memory
const f2bConf = () => {
  const p = nextPort();
  const d = mailDir(`fail2ban-${p}`);
  mailFile(`fail2ban-${p}/fail2ban.conf`, `[Definition]\nloglevel = INFO\nlogtarget = STDERR\nsocket = ${d}/f2b.sock\npidfile = ${d}/f2b.pid\ndbfile = :memory:\n`);
  mailFile(`fail2ban-${p}/jail.conf`, "[DEFAULT]\n");
  return d;
};
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { stops(0, 3000)(r); expect(out(r)).toMatch(/Exiting Fail2ban/); }],
  ["INT", (r: NsRunResult) => { stops(0, 3000)(r); expect(out(r)).toMatch(/Exiting Fail2ban/); }],
  ["HUP", (r: NsRunResult) => { keepsRunning(r); expect(r.dispositions?.caught ?? []).not.toContain("HUP"); }],
] as const) {
  add({
    id: `fail2ban-server-${sig.toLowerCase()}`, entry: "fail2ban-server", display: `fail2ban-server -xf -c DIR start (${sig})`, needs: [findProgram("fail2ban-server")],
    opts: () => ({ argv: ["fail2ban-server", "-xf", "-c", f2bConf(), "start"], waitFor: "Starting Fail2ban", settleMs: 1500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 30000 }),
    check,
  });
}
add({
  id: "fail2ban-server-daemonizes", entry: "fail2ban-server", display: "fail2ban-server -x -c DIR start (no -f)", needs: [findProgram("fail2ban-server")],
  opts: () => ({ argv: ["fail2ban-server", "-x", "-c", f2bConf(), "start"], signal: null, hardTimeoutMs: 20000 }),
  check: daemonizes,
});

// opendkim -f and opendmarc -f (libmilter): a signal thread of their own takes HUP, INT and TERM
const dkimConf = () => mailFile(`opendkim-${nextPort()}.conf`, `Syslog no\nPidFile ${mailRoot}/opendkim-${nextPort()}.pid\n`);
const dkimArgv = () => ["opendkim", "-x", dkimConf(), "-p", `inet:${nextPort()}@127.0.0.1`];
for (const [sig, check] of [["TERM", stops(0, 8000)], ["INT", stops(0, 8000)], ["HUP", stops(0, 8000)], ["QUIT", keepsRunning]] as const) {
  add({
    id: `opendkim-${sig.toLowerCase()}`, entry: "opendkim", display: `opendkim -f -x CONF -p inet:PORT (${sig})`, needs: [findProgram("opendkim")],
    opts: () => ({ argv: [...dkimArgv(), "-f"], settleMs: 1500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}
add({
  id: "opendkim-term-under-tini", entry: "opendkim", display: "tini -- opendkim -f -x CONF -p inet:PORT (TERM, forwarded: not PID 1)", needs: [findProgram("opendkim"), TINI],
  opts: () => ({ argv: ["tini", "--", ...dkimArgv(), "-f"], settleMs: 1500, signal: "TERM", graceMs: GRACE_EXIT }),
  check: stops(0, 8000),
});
add({
  id: "opendkim-daemonizes", entry: "opendkim", display: "opendkim -x CONF -p inet:PORT (no -f)", needs: [findProgram("opendkim")],
  opts: () => ({ argv: dkimArgv(), signal: null, hardTimeoutMs: 10000 }),
  check: daemonizes,
});
const dmarcArgv = () => {
  const p = nextPort();
  return ["opendmarc", "-c", mailFile(`opendmarc-${p}.conf`, "Syslog false\n"), "-p", `inet:${p}@127.0.0.1`, "-P", join(mailRoot, `opendmarc-${p}.pid`)];
};
for (const sig of ["TERM", "INT", "HUP"] as const) {
  add({
    id: `opendmarc-${sig.toLowerCase()}`, entry: "opendmarc", display: `opendmarc -f -c CONF -p inet:PORT -P PIDFILE (${sig})`, needs: [findProgram("opendmarc")],
    opts: () => ({ argv: [...dmarcArgv(), "-f"], settleMs: 1500, signal: sig, graceMs: GRACE_EXIT }),
    check: stops(0, 8000),
  });
}
add({
  id: "opendmarc-daemonizes", entry: "opendmarc", display: "opendmarc -c CONF -p inet:PORT -P PIDFILE (no -f)", needs: [findProgram("opendmarc")],
  opts: () => ({ argv: dmarcArgv(), signal: null, hardTimeoutMs: 10000 }),
  check: daemonizes,
});

// dovecot -F with no protocols: the master, anvil, log and config
const dovecotConf = () => {
  const d = mailDir(`dovecot-${nextPort()}`);
  return mailFile(`${d.slice(mailRoot.length + 1)}.conf`, `base_dir = ${d}\nstate_dir = ${d}/state\nprotocols = none\nssl = no\nlog_path = /dev/stderr\n`);
};
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { stops(0, 5000)(r); expect(out(r)).toMatch(/Killed with signal 15/); }],
  ["INT", stops(0, 5000)],
  ["HUP", (r: NsRunResult) => { keepsRunning(r); expect(out(r)).toMatch(/SIGHUP received - reloading configuration/); }],
  ["QUIT", keepsRunning],
] as const) {
  add({
    id: `dovecot-${sig.toLowerCase()}`, entry: "dovecot", display: `dovecot -F -c CONF (${sig})`, needs: [findProgram("dovecot")],
    opts: () => ({ argv: ["dovecot", "-F", "-c", dovecotConf()], waitFor: "starting up", settleMs: 1500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}
add({
  id: "dovecot-daemonizes", entry: "dovecot", display: "dovecot -c CONF (no -F)", needs: [findProgram("dovecot")],
  opts: () => ({ argv: ["dovecot", "-c", dovecotConf()], signal: null, hardTimeoutMs: 10000 }),
  check: daemonizes,
});

// clamd with a database of one signature of our own (it refuses to start without one)
const clamdConf = (foreground: boolean) => {
  const p = nextPort();
  const db = mailDir("clamdb");
  mailFile("clamdb/local.hdb", "0a9b3c6b2f6a1e4c8d7e5f4a3b2c1d0e:13:AuditImage.Test.Sample\n");
  return mailFile(`clamd-${p}.conf`, `DatabaseDirectory ${db}\nLocalSocket ${mailRoot}/clamd-${p}.sock\nPidFile ${mailRoot}/clamd-${p}.pid\nLogFile ${mailRoot}/clamd-${p}.log\nForeground ${foreground}\n`);
};
for (const [sig, check] of [["TERM", stops(0, 5000)], ["INT", stops(0, 5000)], ["HUP", keepsRunning], ["QUIT", keepsRunning]] as const) {
  add({
    id: `clamd-${sig.toLowerCase()}`, entry: "clamd", display: `clamd -c CONF, Foreground true (${sig})`, needs: [findProgram("clamd")],
    opts: () => ({ argv: ["clamd", "-c", clamdConf(true)], settleMs: 3000, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 30000 }),
    check,
  });
}
add({
  id: "clamd-config-background", entry: "clamd", display: "clamd -c CONF, Foreground false", needs: [findProgram("clamd")],
  opts: () => ({ argv: ["clamd", "-c", clamdConf(false)], signal: null, hardTimeoutMs: 20000 }),
  check: daemonizes,
});
add({
  id: "clamd-foreground-flag", entry: "clamd", display: "clamd -F -c CONF, Foreground false (TERM)", needs: [findProgram("clamd")],
  opts: () => ({ argv: ["clamd", "-F", "-c", clamdConf(false)], settleMs: 3000, signal: "TERM", graceMs: GRACE_EXIT, hardTimeoutMs: 30000 }),
  check: stops(0, 5000),
});

// postgrey (drops to the postgrey user: its database directory is that user's)
const postgreyArgv = () => {
  const p = nextPort();
  return ["postgrey", `--inet=127.0.0.1:${p}`, `--dbdir=${mailDir(`postgrey-${p}`, "postgrey")}`, `--pidfile=${mailRoot}/postgrey-${p}.pid`];
};
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { stops(0, 3000)(r); expect(out(r)).toMatch(/Server closing!/); }],
  ["INT", stops(0, 3000)],
  ["QUIT", stops(0, 3000)],
  ["HUP", (r: NsRunResult) => { keepsRunning(r); expect(out(r)).toMatch(/HUP received/); }],
] as const) {
  add({
    id: `postgrey-${sig.toLowerCase()}`, entry: "postgrey", display: `postgrey --inet=127.0.0.1:PORT --dbdir=DIR (${sig})`, needs: [findProgram("postgrey")],
    opts: () => ({ argv: postgreyArgv(), waitFor: "Setting uid", settleMs: 1000, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 30000 }),
    check,
  });
}
add({
  id: "postgrey-daemonize", entry: "postgrey", display: "postgrey -d --inet=127.0.0.1:PORT --dbdir=DIR", needs: [findProgram("postgrey")],
  opts: () => ({ argv: [...postgreyArgv(), "-d"], signal: null, hardTimeoutMs: 20000 }),
  check: daemonizes,
});

// amavisd foreground with a minimal config (virus and spam checks bypassed), two pre-forked children
const amavisConf = () => {
  const p = nextPort();
  const d = mailDir(`amavis-${p}`);
  mailDir(`amavis-${p}/tmp`);
  mailDir(`amavis-${p}/db`);
  spawnSync("chown", ["-R", "amavis:amavis", d]);
  return mailFile(
    `amavis-${p}.conf`,
    `use strict;\n$MYHOME = '${d}';\n$TEMPBASE = "$MYHOME/tmp";\n$db_home = "$MYHOME/db";\n$pid_file = "$MYHOME/amavisd.pid";\n$lock_file = "$MYHOME/amavisd.lock";\n$myhostname = 'mail.example.com';\n$inet_socket_port = ${p};\n$daemon_user = 'amavis';\n$daemon_group = 'amavis';\n$max_servers = 2;\n@bypass_virus_checks_maps = (1);\n@bypass_spam_checks_maps = (1);\n$enable_dkim_verification = 0;\n$do_syslog = 0;\n$LOGFILE = "$MYHOME/amavis.log";\n1;\n`,
  );
};
for (const [sig, check] of [["TERM", stops(0, 3000)], ["INT", stops(0, 3000)], ["QUIT", stops(0, 3000)], ["HUP", keepsRunning]] as const) {
  add({
    id: `amavisd-foreground-${sig.toLowerCase()}`, entry: "amavisd", display: `amavisd -c CONF foreground (${sig})`, needs: [findProgram("amavisd")],
    opts: () => ({ argv: ["amavisd", "-c", amavisConf(), "foreground"], settleMs: 5000, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 40000 }),
    check: (r) => { check(r); expect(r.tree.some((q) => q.argv.join(" ").includes("amavisd (master)"))).toBe(true); },
  });
}
add({
  id: "amavisd-daemonizes", entry: "amavisd", display: "amavisd -c CONF (no foreground)", needs: [findProgram("amavisd")],
  opts: () => ({ argv: ["amavisd", "-c", amavisConf()], signal: null, hardTimeoutMs: 30000 }),
  check: daemonizes,
});

// rspamd --no-fork with Debian's default configuration (fixed ports: one at a time); loading it takes ~20 s here
const rspamdOpts = (argv: string[], sig: string | null, graceMs: number): NsRunOptions => {
  mkdirSync("/run/rspamd", { recursive: true });
  spawnSync("chown", ["_rspamd:_rspamd", "/run/rspamd"]);
  return { argv, settleMs: 25000, signal: sig, graceMs, hardTimeoutMs: 60000 };
};
for (const [sig, check] of [["TERM", stops(0, 3000)], ["INT", stops(0, 3000)], ["QUIT", keepsRunning]] as const) {
  add({
    id: `rspamd-no-fork-${sig.toLowerCase()}`, entry: "rspamd", display: `rspamd --no-fork --user=_rspamd --group=_rspamd (${sig})`, needs: [findProgram("rspamd")], serial: true,
    opts: () => rspamdOpts(["rspamd", "--no-fork", "--user=_rspamd", "--group=_rspamd"], sig, check === keepsRunning ? GRACE_KILL : GRACE_EXIT),
    check: (r) => { check(r); expect(r.tree.some((q) => q.argv.join(" ").includes("rspamd: main process"))).toBe(true); },
  });
}
add({
  id: "rspamd-daemonizes", entry: "rspamd", display: "rspamd --user=_rspamd --group=_rspamd (no --no-fork)", needs: [findProgram("rspamd")], serial: true,
  opts: () => rspamdOpts(["rspamd", "--user=_rspamd", "--group=_rspamd"], null, GRACE_KILL),
  check: daemonizes,
});

// fetchmail in daemon mode, polling a closed port every 300 s
const fetchmailArgv = () => {
  const p = nextPort();
  const rc = mailFile(`fetchmail-${p}.rc`, 'set no syslog\npoll 127.0.0.1 port 9 protocol pop3 user "x" password "y"\n', 0o600);
  return ["fetchmail", "-f", rc, "--daemon", "300", "-i", join(mailRoot, `fetchmail-${p}.uidl`), "--pidfile", join(mailRoot, `fetchmail-${p}.pid`)];
};
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { stops(2, 3000)(r); expect(out(r)).toMatch(/terminated with signal 15/); }],
  ["INT", (r: NsRunResult) => { stops(2, 3000)(r); expect(out(r)).toMatch(/terminated with signal 2/); }],
  ["HUP", (r: NsRunResult) => { keepsRunning(r); expect(out(r)).toMatch(/awakened by signal 1\b/); }],
  ["USR1", (r: NsRunResult) => { keepsRunning(r); expect(out(r)).toMatch(/awakened by signal 10/); }],
] as const) {
  add({
    id: `fetchmail-daemon-${sig.toLowerCase()}`, entry: "fetchmail", display: `fetchmail -f RC --nodetach --daemon 300 (${sig})`, needs: [findProgram("fetchmail")],
    opts: () => ({ argv: [...fetchmailArgv(), "--nodetach"], waitFor: "starting fetchmail", settleMs: 1500, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT }),
    check,
  });
}
add({
  id: "fetchmail-detaches", entry: "fetchmail", display: "fetchmail -f RC --daemon 300 (no --nodetach)", needs: [findProgram("fetchmail")],
  opts: () => ({ argv: fetchmailArgv(), signal: null, hardTimeoutMs: 10000 }),
  check: daemonizes,
});

// postfix start-fg with a config directory of its own (queue, data directory, one smtpd on a loopback port):
// as PID 1 postfix-script execs `master -i`; below PID 1 it runs `master -s` as its child
const postfixConf = () => {
  const p = nextPort();
  const d = mailDir(`postfix-${p}`);
  const conf = mailDir(`postfix-${p}/conf`);
  for (const f of ["dynamicmaps.cf", "postfix-files"]) if (existsSync(`/etc/postfix/${f}`)) spawnSync("cp", [`/etc/postfix/${f}`, conf]);
  if (existsSync("/etc/postfix/postfix-files.d")) spawnSync("cp", ["-r", "/etc/postfix/postfix-files.d", conf]);
  mailFile(`postfix-${p}/conf/main.cf`, `compatibility_level = 3.6\nmyhostname = mail.example.com\nqueue_directory = ${d}/queue\ndata_directory = ${d}/data\ninet_interfaces = loopback-only\ninet_protocols = ipv4\n`);
  mailFile(`postfix-${p}/conf/master.cf`, `127.0.0.1:${p} inet n - y - - smtpd\npickup unix n - y 60 1 pickup\ncleanup unix n - y - 0 cleanup\nqmgr unix n - n 300 1 qmgr\n`);
  mailDir(`postfix-${p}/queue`);
  mailDir(`postfix-${p}/data`, "postfix");
  spawnSync("postfix", ["-c", conf, "check"], { timeout: 30000 });
  return { conf, pidfile: `${d}/queue/pid/master.pid` };
};
const POSTFIX = findProgram("postfix");
for (const [sig, check] of [["TERM", stops(0, 3000)], ["INT", stops(0, 3000)], ["QUIT", stops(0, 3000)], ["HUP", keepsRunning]] as const) {
  add({
    id: `postfix-start-fg-${sig.toLowerCase()}`, entry: "postfix", display: `postfix -c DIR start-fg (${sig})`, needs: [POSTFIX],
    opts: () => ({ argv: ["postfix", "-c", postfixConf().conf, "start-fg"], settleMs: 5000, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 60000 }),
    check: (r) => { check(r); expect(r.tree[0]?.argv.join(" ")).toMatch(/master -i$/); },
  });
}
add({
  id: "postfix-start-fg-term-under-tini", entry: "postfix", display: "tini -- postfix -c DIR start-fg (TERM reaches the script, not the master)", needs: [POSTFIX, TINI],
  opts: () => ({ argv: ["tini", "--", "postfix", "-c", postfixConf().conf, "start-fg"], settleMs: 5000, signal: "TERM", graceMs: GRACE_EXIT, hardTimeoutMs: 60000 }),
  check: (r) => {
    // the script dies of TERM (tini exits 128+15); the master below it was still running (the namespace's end kills it)
    exitsWith(143)(r);
    expect(r.tree.find((q) => q.argv.join(" ").includes("postfix-script start-fg"))?.pid).toBe(2);
    expect(r.tree.some((q) => /master -s$/.test(q.argv.join(" ")))).toBe(true);
  },
});
add({
  id: "postfix-start-daemonizes", entry: "postfix", display: "postfix -c DIR start", needs: [POSTFIX],
  opts: () => ({ argv: ["postfix", "-c", postfixConf().conf, "start"], signal: null, hardTimeoutMs: 60000 }),
  check: daemonizes,
});

// pidproxy (Supervisor's) around postfix start-fg below it: the signal goes to the master through its pid file
for (const [sig, check] of [
  ["TERM", (r: NsRunResult) => { stops(0, 1000)(r); expect(r.dispositions?.caught).toEqual(expect.arrayContaining(["HUP", "INT", "QUIT", "USR1", "USR2", "TERM"])); }],
  ["HUP", keepsRunning],
] as const) {
  add({
    id: `pidproxy-postfix-${sig.toLowerCase()}`, entry: "pidproxy", display: `pidproxy PIDFILE postfix -c DIR start-fg (${sig})`, needs: [findProgram("pidproxy"), POSTFIX],
    opts: () => {
      const c = postfixConf();
      return { argv: ["pidproxy", c.pidfile, POSTFIX!, "-c", c.conf, "start-fg"], settleMs: 8000, signal: sig, graceMs: check === keepsRunning ? GRACE_KILL : GRACE_EXIT, hardTimeoutMs: 60000 };
    },
    check: (r) => { check(r); expect(r.tree.some((q) => /master -s$/.test(q.argv.join(" ")))).toBe(true); },
  });
}

// ------------------------------------------------------------------ running them

/** GT_ONLY=id,id… runs only those cases (and only the set-up they need): to re-measure one program. */
const only = process.env.GT_ONLY ? process.env.GT_ONLY.split(",").filter(Boolean) : null;
const wanted = (c: Case) => !only || only.includes(c.id);
const setUp = (prefix: string) => !only || only.some((id) => id.startsWith(prefix));
const runnable = (c: Case) => !unavailable && wanted(c) && c.needs.every((n) => n !== null);
const results = new Map<string, NsRunResult | Error>();

beforeAll(async () => {
  if (unavailable) return;
  if (GO && setUp("go-")) {
    file("go-plain.go", GO_PLAIN);
    file("go-notify.go", GO_NOTIFY);
    const env = { ...process.env, GOCACHE: join(dir, "gocache"), GOPATH: join(dir, "gopath"), HOME: dir, CGO_ENABLED: "0", GO111MODULE: "off" };
    for (const [src, outPath] of [["go-plain.go", goPlain], ["go-notify.go", goNotify]] as const) {
      const b = spawnSync(GO, ["build", "-o", outPath, join(dir, src)], { env, timeout: 240000, encoding: "utf8" });
      if (b.status !== 0) goBuilt = `go build ${src} failed: ${b.stderr}`;
    }
    if (!goBuilt) goBuilt = "";
  }
  if (PG_BIN && findProgram("runuser") && setUp("postgres-")) {
    rmSync(pgRoot, { recursive: true, force: true });
    mkdirSync(pgRoot, { recursive: true, mode: 0o755 });
    spawnSync("chown", ["postgres", pgRoot]);
    for (const s of pgCases) spawnSync("runuser", ["-u", "postgres", "--", `${PG_BIN}/initdb`, "-D", `${pgRoot}/${s}`, "-A", "trust"], { timeout: 120000 });
  }
  if (findProgram("mariadb-install-db") && setUp("mariadbd-")) {
    rmSync(myRoot, { recursive: true, force: true });
    mkdirSync(myRoot, { recursive: true, mode: 0o755 });
    spawnSync("chown", ["mysql", myRoot]);
    for (const s of ["TERM", "QUIT", "INT", "HUP"])
      spawnSync("mariadb-install-db", ["--user=mysql", `--datadir=${myRoot}/${s}`, "--auth-root-authentication-method=normal", "--skip-test-db"], { timeout: 120000 });
  }
  const list = cases.filter((c) => runnable(c) && !(c.needs.includes(GO) && goBuilt));
  for (const [group, concurrency] of [[list.filter((c) => !c.serial), 3], [list.filter((c) => c.serial), 1]] as const) {
    const rs = await nsrunAll(group.map((c) => c.opts()), concurrency);
    group.forEach((c, i) => results.set(c.id, rs[i]!));
  }
}, 600000);

afterAll(() => {
  if (!unavailable) for (const d of [dir, pgRoot, myRoot, pgbRoot, mailRoot]) rmSync(d, { recursive: true, force: true });
});

describe("real programs as PID 1 of a PID namespace, stopped from the host", () => {
  for (const c of cases) {
    const missing = c.needs.some((n) => n === null);
    it.skipIf(!!unavailable || missing || !wanted(c))(`${c.id}: ${c.display}`, () => {
      if (c.needs.includes(GO) && goBuilt) throw new Error(goBuilt);
      const r = results.get(c.id);
      if (!r) throw new Error(`${c.id} did not run`);
      if (r instanceof Error) throw r;
      try {
        c.check(r);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n${describeObserved(c.id, r)}`);
      }
    });
  }
  it("each case names a catalog entry that cites this file, and every case a catalog entry cites exists", () => {
    const progs = catalog.programs as { name: string; provenance?: { kind: string; test?: string }[] }[];
    const citing = progs.filter((p) => (p.provenance ?? []).some((v) => v.kind === "measured" && v.test?.includes("programs.ns.test.ts"))).map((p) => p.name);
    const named = [...new Set(cases.map((c) => c.entry))];
    expect(named.filter((n) => !citing.includes(n))).toEqual([]);
    // every case id a provenance names exists
    const ids = new Set(cases.map((c) => c.id));
    for (const p of progs)
      for (const v of p.provenance ?? [])
        if (v.kind === "measured" && v.test?.includes("programs.ns.test.ts"))
          for (const m of v.test.matchAll(/`([a-z0-9-]+(?:-[A-Za-z0-9]+)*)`/g)) expect(ids.has(m[1]!) || !/^[a-z]/.test(m[1]!), `${p.name} cites ${m[1]}`).toBe(true);
  });
  it.skipIf(!PNPM)("pnpm's version is recorded in the catalog", () => {
    const e = (catalog.programs as { name: string; provenance?: { version?: string }[] }[]).find((p) => p.name === "pnpm");
    const v = pnpmVersion();
    expect(v).toMatch(/^\d+\./);
    expect(e?.provenance?.some((p) => p.version?.includes(`pnpm ${v.split(".")[0]}.`))).toBe(true);
  });
});
