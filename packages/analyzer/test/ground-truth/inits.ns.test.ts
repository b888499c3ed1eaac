/**
 * Ground truth for inits and wrappers, and for what shells do with signals other than TERM: each program runs as
 * PID 1 of a fresh PID namespace (nsrun.ts), and the stop signal comes from the host's namespace, as docker stop
 * sends it. Every fact the program catalog (src/data/programs.json) takes from here names this file and the
 * group of the test in its `sources`; the shells' reactions are asserted against the catalog's `shellSignals`
 * themselves, so that the catalog cannot drift from what was measured.
 *
 * Needs root and util-linux unshare; a missing program is a visible skip. Install:
 *   apt-get install tini dumb-init busybox-static mksh zsh runit
 * (coreutils timeout and nohup, util-linux setsid and su, dash and bash are in Debian's base).
 */
import { afterAll, expect, it } from "vitest";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import catalog from "../../src/data/programs.json" with { type: "json" };
import { findProgram, nsrunUnavailable, type NsRunResult } from "./nsrun.js";
import { describeMeasured, dpkgVersions, type MeasuredSpec } from "./measured.js";

const unavailable = nsrunUnavailable();
if (unavailable) console.warn(`[ground-truth] inits: namespace measurements SKIPPED: ${unavailable}`);

const dir = unavailable ? join(tmpdir(), "audit-image-gt-inits-skipped") : mkdtempSync(join(tmpdir(), "audit-image-gt-inits-"));
// su to nobody runs the shell from here
if (!unavailable) chmodSync(dir, 0o755);
const file = (name: string, body: string, mode = 0o755) => {
  const p = join(dir, name);
  if (!unavailable) {
    mkdirSync(join(p, ".."), { recursive: true });
    writeFileSync(p, body, { mode });
  }
  return p;
};
const prog = (name: string) => findProgram(name);
const link = (name: string, target: string | null) => {
  if (!target) return null;
  const d = join(dir, name);
  if (!unavailable) {
    mkdirSync(d, { recursive: true });
    symlinkSync(target, join(d, "sh"));
  }
  return join(d, "sh");
};

const DASH = prog("dash");
const BASH = prog("bash");
const BUSYBOX = prog("busybox");
const TINI = prog("tini");
const DUMB = prog("dumb-init");
const TIMEOUT = prog("timeout");
const SETSID = prog("setsid");
const NOHUP = prog("nohup");
const CHROOT = prog("chroot");
const CAPSH = prog("capsh");
const ENV = prog("env");
const RUNSVDIR = prog("runsvdir");
const GREP = prog("grep");

type ShellName = "dash" | "bash" | "busybox" | "mksh" | "zsh";
/** BusyBox ash and zsh run through a symlink named `sh` (as /bin/sh on Alpine; zsh then emulates sh). */
const SHELLS: Record<ShellName, string | null> = {
  dash: DASH,
  bash: BASH,
  busybox: link("busybox", BUSYBOX),
  mksh: prog("mksh"),
  zsh: link("zsh", prog("zsh")),
};
const SHELL_NAMES = Object.keys(SHELLS) as ShellName[];
/** The catalog entry of each shell. */
const ENTRY: Record<ShellName, string> = { dash: "dash", bash: "bash", busybox: "ash", mksh: "mksh", zsh: "zsh" };

// ------------------------------------------------------------------ scripts

/** A service that answers TERM and INT at once with a line naming itself ($1), in `wait`. */
const SVC = file("svc.sh", `trap 'echo "$1 got TERM"; exit 0' TERM\ntrap 'echo "$1 got INT"; exit 0' INT\nsleep 1000 & wait\n`);
/**
 * The main child: it starts SVC in the background, then waits; TERM, INT and QUIT run a trap that prints which one
 * came and takes 300 ms to exit, so that the background service has time to print whether it got the signal too.
 */
const MAIN = file(
  "main.sh",
  `trap 'echo "main got TERM"; sleep 0.3; exit 0' TERM\ntrap 'echo "main got INT"; sleep 0.3; exit 0' INT\ntrap 'echo "main got QUIT"; sleep 0.3; exit 0' QUIT\ndash ${SVC} bg &\nsleep 1000 & wait\n`,
);
const ORPHAN = file("orphan.sh", "(sleep 1000 &)\nexec sleep 1000\n");
const FG = file("fg.sh", 'sleep 0.8\necho "after foreground"\n');
const WAIT = file("wait.sh", 'sleep 1000 & wait\necho "wait returned $?"\n');
const IGN = file("ign.sh", "grep SigIgn /proc/self/status & wait\ngrep SigIgn /proc/self/status\n");
const TRAP_FG = (sig: string) => file(`trap-fg-${sig}.sh`, `trap 'echo "trap ${sig}"' ${sig}\nsleep 0.8\necho "after foreground"\n`);
const TRAP_WAIT = (sig: string) => file(`trap-wait-${sig}.sh`, `trap 'echo "trap ${sig}"' ${sig}\nsleep 1000 & wait\necho "wait returned $?"\n`);
/** A runit service directory: two services whose ./run execs SVC. */
const SVDIR = join(dir, "service");
for (const s of ["a", "b"]) file(`service/${s}/run`, `#!/bin/sh\nexec dash ${SVC} ${s}\n`);

// ------------------------------------------------------------------ the measurements

type Spec = MeasuredSpec;
const specs: Spec[] = [];
const add = (s: Spec) => specs.push(s);

const names = (r: NsRunResult) => r.tree.map((p) => (p.argv.length ? p.argv.join(" ") : `[${p.comm}]`));
const SIGNUM: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, TERM: 15, WINCH: 28 };
function expectDropped(r: NsRunResult) {
  expect(r.outcome).toBe("killed-after-grace");
  expect(r.exit).toEqual({ code: null, signal: "SIGKILL" });
}
function expectGoneBeforeSignal(r: NsRunResult, code = 0) {
  expect(r.outcome).toBe("exited-before-signal");
  expect(r.exit).toEqual({ code, signal: null });
}

// ---- tini
let g = "tini -g, tini -s";
add({
  id: "tini-child-only", group: g, needs: [TINI, DASH],
  title: "tini -- main.sh: TERM goes to the child only; main.sh's background service never gets it",
  opts: { argv: [TINI!, "--", DASH!, MAIN], settleMs: 400 },
  check: (r) => {
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.stdout).toContain("main got TERM");
    expect(r.stdout).not.toContain("bg got TERM");
  },
});
add({
  id: "tini-g", group: g, needs: [TINI, DASH],
  title: "tini -g -- main.sh: TERM goes to the child's process group: the background service gets it too",
  opts: { argv: [TINI!, "-g", "--", DASH!, MAIN], settleMs: 400 },
  check: (r) => {
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.stdout).toContain("main got TERM");
    expect(r.stdout).toContain("bg got TERM");
  },
});
add({
  id: "tini-env-group", group: g, needs: [TINI, DASH],
  title: "TINI_KILL_PROCESS_GROUP=1 tini -- main.sh: the same as -g",
  opts: { argv: [TINI!, "--", DASH!, MAIN], env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", TINI_KILL_PROCESS_GROUP: "1" }, settleMs: 400 },
  check: (r) => expect(r.stdout).toContain("bg got TERM"),
});
add({
  id: "tini-s", group: g, needs: [TINI, DASH],
  title: "a tini that is not PID 1 with -s is a subreaper: the orphan of its child's script is re-parented to tini (pid 2), not to PID 1",
  opts: { argv: [DASH!, "-c", `${TINI} -s -- ${DASH} ${ORPHAN}; echo after`] },
  check: (r) => {
    expect(r.tree[1]?.argv[0]).toBe(TINI);
    const orphans = r.tree.filter((p) => p.argv.join(" ") === "sleep 1000");
    expect(orphans.map((p) => p.ppid)).toEqual([2, 2]);
    expect(r.stderr).not.toContain("subreaper");
  },
});
add({
  id: "tini-no-s", group: g, needs: [TINI, DASH],
  title: "without -s a tini that is not PID 1 warns, and the orphan goes to PID 1",
  opts: { argv: [DASH!, "-c", `${TINI} -- ${DASH} ${ORPHAN}; echo after`] },
  check: (r) => {
    expect(r.stderr).toContain("Tini is not running as PID 1 and isn't registered as a child subreaper");
    expect(r.tree.filter((p) => p.argv.join(" ") === "sleep 1000").map((p) => p.ppid).sort()).toEqual([1, 2]);
  },
});
add({
  id: "tini-setsid", group: g, needs: [TINI, SETSID],
  title: "tini -- setsid sleep: tini's child leads its own process group, so setsid forks and exits, and tini exits 0 before any signal",
  opts: { argv: [TINI!, "--", SETSID!, "sleep", "1000"] },
  check: (r) => expectGoneBeforeSignal(r),
});

const TRAP_WAITS = file("trap-waits.sh", `trap 'wait; echo done; exit 0' TERM\ndash ${SVC} bg &\nwait\n`);
g = "a trap that waits";
add({
  id: "trap-waits-pid1", group: g, needs: [DASH],
  title: "trap 'wait; exit 0' TERM as PID 1: nothing sends TERM on, the handler's wait never returns: killed after the grace period",
  opts: { argv: [DASH!, TRAP_WAITS] },
  check: (r) => {
    expectDropped(r);
    expect(r.stdout).toBe("");
  },
});
add({
  id: "trap-waits-tini", group: g, needs: [TINI, DASH],
  title: "the same script under tini: TERM reaches the script only, its handler waits for ever: killed after the grace period",
  opts: { argv: [TINI!, "--", DASH!, TRAP_WAITS] },
  check: (r) => expectDropped(r),
});
add({
  id: "trap-waits-tini-g", group: g, needs: [TINI, DASH],
  title: "the same script under tini -g: the service gets TERM too and stops, the handler's wait returns, exit 0",
  opts: { argv: [TINI!, "-g", "--", DASH!, TRAP_WAITS] },
  check: (r) => {
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.exit).toEqual({ code: 0, signal: null });
    expect(r.stdout).toBe("bg got TERM\ndone\n");
  },
});

// ---- dumb-init
g = "dumb-init --rewrite, --single-child";
add({
  id: "dumb-group", group: g, needs: [DUMB, DASH],
  title: "dumb-init main.sh: TERM goes to the child's process group (the background service gets it)",
  opts: { argv: [DUMB!, DASH!, MAIN], settleMs: 400 },
  check: (r) => {
    expect(r.stdout).toContain("main got TERM");
    expect(r.stdout).toContain("bg got TERM");
  },
});
add({
  id: "dumb-single", group: g, needs: [DUMB, DASH],
  title: "dumb-init --single-child main.sh: TERM goes to the child only",
  opts: { argv: [DUMB!, "--single-child", DASH!, MAIN], settleMs: 400 },
  check: (r) => {
    expect(r.stdout).toContain("main got TERM");
    expect(r.stdout).not.toContain("bg got TERM");
  },
});
add({
  id: "dumb-rewrite-int", group: g, needs: [DUMB, DASH],
  title: "dumb-init --rewrite 15:2 main.sh: TERM arrives as INT; the background service, started with INT ignored, cannot trap it",
  opts: { argv: [DUMB!, "--rewrite", "15:2", DASH!, MAIN], settleMs: 400 },
  check: (r) => {
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.stdout).toBe("main got INT\n");
  },
});
add({
  id: "dumb-rewrite-drop", group: g, needs: [DUMB, DASH],
  title: "dumb-init --rewrite 15:0: TERM is dropped, nothing stops, killed after the grace period",
  opts: { argv: [DUMB!, "--rewrite", "15:0", DASH!, MAIN], settleMs: 400 },
  check: (r) => {
    expectDropped(r);
    expect(r.stdout).toBe("");
  },
});
add({
  id: "dumb-r-short", group: g, needs: [DUMB, DASH],
  title: "dumb-init -r 15:3 -c -- main.sh: TERM arrives as QUIT, at the child only",
  opts: { argv: [DUMB!, "-r", "15:3", "-c", "--", DASH!, MAIN], settleMs: 400 },
  check: (r) => expect(r.stdout).toBe("main got QUIT\n"),
});
add({
  id: "dumb-setsid", group: g, needs: [DUMB, SETSID],
  title: "dumb-init setsid sleep: dumb-init's child is a session leader, so setsid forks and exits, and dumb-init exits 0 before any signal",
  opts: { argv: [DUMB!, SETSID!, "sleep", "1000"] },
  check: (r) => expectGoneBeforeSignal(r),
});
add({
  id: "dumb-c-setsid", group: g, needs: [DUMB, SETSID],
  title: "dumb-init -c setsid sleep: with --single-child the child leads nothing, so setsid execs sleep in place",
  opts: { argv: [DUMB!, "-c", SETSID!, "sleep", "1000"] },
  check: (r) => expect(names(r)).toEqual([`${DUMB} -c ${SETSID} sleep 1000`, "sleep 1000"]),
});

// ---- background commands start with INT and QUIT ignored
g = "background commands of a non-interactive shell";
for (const sh of SHELL_NAMES) {
  add({
    id: `bg-ign-${sh}`, group: g, needs: [SHELLS[sh], GREP],
    title: `${sh}: a command started with & has INT and QUIT ignored (SigIgn 6); a foreground one has nothing ignored`,
    opts: { argv: [SHELLS[sh] ?? sh, IGN], signal: null },
    check: (r) => expect(r.stdout).toBe("SigIgn:\t0000000000000006\nSigIgn:\t0000000000000000\n"),
  });
}

// ---- su
g = "BusyBox su";
const BB_SH = SHELLS.busybox;
add({
  id: "bb-su-ash", group: g, needs: [BUSYBOX, BB_SH],
  title: "busybox su -s SH nobody -c 'sleep 1000' (SH BusyBox ash): no su process remains; the shell execs sleep, which is PID 1 and runs as nobody",
  opts: { argv: [BUSYBOX!, "su", "-s", BB_SH!, "nobody", "-c", "sleep 1000"] },
  check: (r) => {
    expect(names(r)).toEqual(["sleep 1000"]);
    expect(r.pid1?.uid).toBe(65534);
    expectDropped(r);
  },
});
add({
  id: "bb-su-dash", group: g, needs: [BUSYBOX, DASH],
  title: "busybox su -s /bin/dash nobody -c 'sleep 1000': PID 1 is the shell (dash -c, which does not exec) with sleep its child; su is gone",
  opts: { argv: [BUSYBOX!, "su", "-s", DASH!, "nobody", "-c", "sleep 1000"] },
  check: (r) => {
    expect(names(r)).toEqual(["dash -c sleep 1000", "sleep 1000"]);
    expect(r.tree.map((p) => p.uid)).toEqual([65534, 65534]);
  },
});

// ---- timeout
g = "coreutils timeout";
add({
  id: "timeout-sleep", group: g, needs: [TIMEOUT],
  title: "timeout 100 sleep 1000 as PID 1: timeout stays the parent, catches HUP INT QUIT ALRM TERM, forwards TERM, exits 143 at once",
  opts: { argv: [TIMEOUT!, "100", "sleep", "1000"] },
  check: (r) => {
    expect(names(r)).toEqual([`${TIMEOUT} 100 sleep 1000`, "sleep 1000"]);
    expect(r.dispositions?.caught).toEqual(expect.arrayContaining(["HUP", "INT", "QUIT", "ALRM", "TERM"]));
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.exit).toEqual({ code: 143, signal: null });
    expect(r.elapsedMs!).toBeLessThan(300);
  },
});
add({
  id: "timeout-group", group: g, needs: [TIMEOUT, DASH],
  title: "timeout 100 main.sh: TERM reaches the background service too (timeout signals its process group)",
  opts: { argv: [TIMEOUT!, "100", DASH!, MAIN], settleMs: 400 },
  check: (r) => {
    expect(r.stdout).toContain("main got TERM");
    expect(r.stdout).toContain("bg got TERM");
  },
});
add({
  id: "timeout-foreground", group: g, needs: [TIMEOUT, DASH],
  title: "timeout --foreground 100 main.sh: TERM reaches the command only",
  opts: { argv: [TIMEOUT!, "--foreground", "100", DASH!, MAIN], settleMs: 400 },
  check: (r) => {
    expect(r.stdout).toBe("main got TERM\n");
  },
});
add({
  id: "timeout-usr1", group: g, needs: [TIMEOUT],
  title: "timeout 100 sleep 1000 and USR1: not caught, dropped at PID 1, killed after the grace period",
  opts: { argv: [TIMEOUT!, "100", "sleep", "1000"], signal: "USR1" },
  check: (r) => expectDropped(r),
});
add({
  id: "timeout-options-stop", group: g, needs: [TIMEOUT, DASH],
  title: "timeout's options end at its first operand: `timeout 5 sh -c … -s x` passes -s to the command",
  opts: { argv: [TIMEOUT!, "5", DASH!, "-c", 'echo "$0|$*"', "-s", "x"], signal: null },
  check: (r) => expect(r.stdout).toBe("-s|x\n"),
});
g = "BusyBox timeout";
add({
  id: "bb-timeout", group: g, needs: [BUSYBOX],
  title: "busybox timeout 100 sleep 1000: the command execs in timeout's place and is PID 1; a `busybox timeout` watcher is its child; TERM is dropped",
  opts: { argv: [BUSYBOX!, "timeout", "100", "sleep", "1000"] },
  check: (r) => {
    expect(names(r)).toEqual(["sleep 1000", `${BUSYBOX} timeout 100 sleep 1000`]);
    expect(r.tree[1]?.ppid).toBe(1);
    expectDropped(r);
  },
});
add({
  id: "bb-timeout-expires", group: g, needs: [BUSYBOX],
  title: "busybox timeout 1 sleep 1000 as PID 1: after 1 s the watcher's TERM to sleep is dropped too; sleep runs on and the watcher stays a zombie",
  opts: { argv: [BUSYBOX!, "timeout", "1", "sleep", "1000"], signal: null, settleMs: 1800, hardTimeoutMs: 3500 },
  check: (r) => {
    expect(r.outcome).toBe("hard-timeout");
    expect(r.pid1?.argv).toEqual(["sleep", "1000"]);
    expect(r.zombies).toHaveLength(1);
  },
});
add({
  id: "bb-timeout-below-pid1", group: g, needs: [BUSYBOX, DASH],
  title: "busybox timeout 1 tail -f /dev/null in the middle of a script (not PID 1): the watcher's TERM ends tail after 1 s, timeout's status is 143 and the script goes on",
  opts: { argv: [DASH!, "-c", `${BUSYBOX} timeout 1 tail -f /dev/null; echo "rc=$?"; exec sleep 1000`], waitFor: "rc=", settleMs: 300, hardTimeoutMs: 4000 },
  check: (r) => {
    expect(r.stdout).toBe("rc=143\n");
    expect(r.pid1?.argv).toEqual(["sleep", "1000"]);
  },
});

// ---- setsid
g = "setsid";
add({
  id: "setsid-exec", group: g, needs: [SETSID],
  title: "setsid sleep 1000 as a PID 1 that does not lead its process group: setsid execs sleep in place",
  opts: { argv: [SETSID!, "sleep", "1000"] },
  check: (r) => {
    expect(names(r)).toEqual(["sleep 1000"]);
    expectDropped(r);
  },
});
add({
  id: "setsid-leader", group: g, needs: [SETSID],
  title: "setsid as a PID 1 that leads its session (the outer setsid makes it one, as runc does for a container): it forks and its first process exits 0 at once: the namespace ends",
  opts: { argv: [SETSID!, SETSID!, "sleep", "1000"] },
  check: (r) => expectGoneBeforeSignal(r),
});
add({
  id: "setsid-leader-shell", group: g, needs: [SETSID, DASH],
  title: "a shell at such a PID 1 that runs `exec setsid sleep 1000`: setsid forks and exits, the namespace ends",
  opts: { argv: [SETSID!, DASH!, "-c", `exec ${SETSID} sleep 1000`] },
  check: (r) => expectGoneBeforeSignal(r),
});
add({
  id: "setsid-w", group: g, needs: [SETSID],
  title: "setsid -w as a session-leading PID 1: forks and stays as the waiting parent, has no TERM handler: dropped, killed after the grace period",
  opts: { argv: [SETSID!, SETSID!, "-w", "sleep", "1000"] },
  check: (r) => {
    expect(names(r)).toEqual([`${SETSID} -w sleep 1000`, "sleep 1000"]);
    expect(r.dispositions?.caught).toEqual([]);
    expectDropped(r);
  },
});
add({
  id: "setsid-f", group: g, needs: [SETSID],
  title: "setsid -f always forks: even a PID 1 that leads nothing exits 0 at once",
  opts: { argv: [SETSID!, "-f", "sleep", "1000"] },
  check: (r) => expectGoneBeforeSignal(r),
});
add({
  id: "setsid-busybox", group: g, needs: [SETSID, BUSYBOX],
  title: "BusyBox setsid forks the same way as a session-leading PID 1",
  opts: { argv: [SETSID!, BUSYBOX!, "setsid", "sleep", "1000"] },
  check: (r) => expectGoneBeforeSignal(r),
});
add({
  id: "setsid-shell-child", group: g, needs: [TINI, SETSID, DASH],
  title: "a shell's child leads no group (no job control): `tini -- sh -c 'setsid sleep 1000; …'` keeps tini → sh → sleep",
  opts: { argv: [TINI!, "--", DASH!, "-c", `${SETSID} sleep 1000; echo after`] },
  check: (r) => expect(r.tree.map((p) => p.argv[0])).toEqual([TINI, DASH, "sleep"]),
});

// ---- nohup, env -i
g = "nohup, env -i";
add({
  id: "nohup", group: g, needs: [NOHUP],
  title: "nohup sleep 1000: sleep replaces nohup as PID 1, with HUP ignored",
  opts: { argv: [NOHUP!, "sleep", "1000"] },
  check: (r) => {
    expect(names(r)).toEqual(["sleep 1000"]);
    expect(r.dispositions?.ignored).toEqual(["HUP"]);
  },
});
add({
  id: "chroot", group: g, needs: [CHROOT],
  title: "chroot --userspec=0:0 / sleep 1000: sleep replaces chroot as PID 1 (chroot execs its command)",
  opts: { argv: [CHROOT!, "--userspec=0:0", "/", "sleep", "1000"] },
  check: (r) => expect(names(r)).toEqual(["sleep 1000"]),
});
add({
  id: "capsh-dashdash", group: g, needs: [CAPSH, BASH],
  title: "capsh --user=nobody --keep=1 -- -c 'sleep 1000 >/dev/null': capsh execs /bin/bash with the words after --, and bash (a redirection) stays the parent of sleep",
  opts: { argv: [CAPSH!, "--user=nobody", "--keep=1", "--", "-c", "sleep 1000 >/dev/null"] },
  check: (r) => {
    expect(r.pid1?.argv).toEqual(["/bin/bash", "-c", "sleep 1000 >/dev/null"]);
    expect(r.pid1?.uid).toBe(65534);
    expect(names(r).slice(1)).toEqual(["sleep 1000"]);
  },
});
add({
  id: "capsh-shell", group: g, needs: [CAPSH, DASH],
  title: "capsh --shell=/bin/dash -- -c 'sleep 1000': --shell names the shell that -- execs",
  opts: { argv: [CAPSH!, `--shell=${DASH}`, "--", "-c", "sleep 1000"] },
  check: (r) => expect(r.pid1?.argv).toEqual([DASH!, "-c", "sleep 1000"]),
});
add({
  id: "env-i", group: g, needs: [ENV, DASH],
  title: "env -i sh -c 'env; exec sleep 1000': env execs in place, and the shell gets an empty environment",
  opts: { argv: [ENV!, "-i", DASH!, "-c", `echo "[$HOME]"; env; exec sleep 1000`] },
  check: (r) => {
    expect(names(r)).toEqual(["sleep 1000"]);
    expect(r.stdout).toMatch(/^\[\]\nPWD=[^\n]*\n$/);
  },
});
add({
  id: "env-i-assign", group: g, needs: [ENV, DASH],
  title: "env -i FOO=1 sh -c …: the NAME=VALUE words are all the command gets",
  opts: { argv: [ENV!, "-i", "FOO=1", DASH!, "-c", `echo "[$FOO][$HOME]"; exec sleep 1000`] },
  check: (r) => expect(r.stdout).toBe("[1][]\n"),
});

// ---- exec -a
g = "exec -a";
for (const sh of SHELL_NAMES) {
  const path = SHELLS[sh];
  add({
    id: `exec-a-${sh}`, group: g, needs: [path],
    title:
      sh === "dash"
        ? "dash: `exec -a myname sleep 1000` fails: dash's exec has no options and looks for a command named -a (exit 127)"
        : sh === "busybox"
          ? "BusyBox ash: `exec -a myname sleep 1000` makes BusyBox look for an applet named myname (exit 127)"
          : `${sh}: \`exec -a myname sleep 1000\` runs sleep as PID 1 with argv[0] myname`,
    opts: { argv: [path ?? sh, "-c", "exec -a myname sleep 1000"] },
    check: (r) => {
      if (sh === "dash") {
        expectGoneBeforeSignal(r, 127);
        expect(r.stderr).toContain("exec: -a: not found");
      } else if (sh === "busybox") {
        expectGoneBeforeSignal(r, 127);
        expect(r.stderr).toContain("myname: applet not found");
      } else {
        expect(r.pid1?.argv).toEqual(["myname", "1000"]);
        expect(r.pid1?.exe).toMatch(/\/sleep$/);
        expectDropped(r);
      }
    },
  });
}
add({
  id: "exec-a-busybox-path", group: g, needs: [SHELLS.busybox, prog("sleep")],
  title: "BusyBox ash: `exec -a myname /usr/bin/sleep 1000` (a path, not an applet) runs sleep with argv[0] myname",
  opts: { argv: [SHELLS.busybox ?? "busybox", "-c", `exec -a myname ${prog("sleep")} 1000`] },
  check: (r) => expect(r.pid1?.argv).toEqual(["myname", "1000"]),
});

// ---- runsvdir
g = "runsvdir";
add({
  id: "runsvdir-term", group: g, needs: [TINI, RUNSVDIR, DASH],
  title: "tini -- runsvdir DIR (two services): TERM makes runsvdir exit 0 at once and tini with it; the services never get TERM",
  opts: { argv: [TINI!, "--", RUNSVDIR!, SVDIR], settleMs: 1200 },
  check: (r) => {
    expect(r.tree.filter((p) => p.argv[0] === "runsv")).toHaveLength(2);
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.exit).toEqual({ code: 0, signal: null });
    expect(r.stdout).toBe("");
  },
});
add({
  id: "runsvdir-hup", group: g, needs: [TINI, RUNSVDIR, DASH],
  title: "tini -- runsvdir DIR and HUP: runsvdir sends TERM to each runsv and exits 111 without waiting",
  opts: { argv: [TINI!, "--", RUNSVDIR!, SVDIR], settleMs: 1200, signal: "HUP" },
  check: (r) => {
    expect(r.exit).toEqual({ code: 111, signal: null });
    expect(r.elapsedMs!).toBeLessThan(300);
  },
});

// ---- shells: INT, QUIT, HUP, WINCH, TERM without a trap
g = "a shell's own reaction to INT, QUIT, HUP, WINCH, TERM without a trap";
type Reaction = "default" | "ignored" | "caught" | "after-foreground" | "in-wait" | "at-once";
const shellSignals = (sh: ShellName, sig: string, ctx: "pid1" | "child"): Reaction => {
  const e = catalog.programs.find((p) => p.name === ENTRY[sh]) as { shellSignals?: Record<string, Record<string, Reaction>> } | undefined;
  return e?.shellSignals?.[`SIG${sig}`]?.[ctx] ?? "default";
};
const DEFAULT_IGNORED = new Set(["WINCH"]);
for (const sh of SHELL_NAMES) {
  const path = SHELLS[sh];
  for (const sig of ["INT", "QUIT", "HUP", "WINCH", "TERM"]) {
    for (const ctx of ["pid1", "child"] as const) {
      const r = shellSignals(sh, sig, ctx);
      // what is observed: "none" (the signal changes nothing), "after-fg" (exit 128+n once the foreground command
      // ends, at once in wait), "in-wait" (nothing in the foreground, exit 128+n at once in wait), "now" (exit at once)
      const seen =
        r === "after-foreground" ? "after-fg"
          : r === "in-wait" ? "in-wait"
            : r === "at-once" ? "now"
              : r === "default" && ctx === "child" && !DEFAULT_IGNORED.has(sig) ? "now"
                : "none";
      const where = ctx === "pid1" ? "as PID 1" : "as tini's child";
      const pre = ctx === "pid1" ? [] : [TINI ?? "tini", "--"];
      const code = r === "at-once" ? 1 : 128 + SIGNUM[sig]!;
      const words: Record<string, string> = {
        none: "changes nothing",
        "after-fg": `ends it with ${code} once the foreground command ends, at once in \`wait\``,
        "in-wait": `changes nothing during a foreground command, ends it with ${code} at once in \`wait\``,
        now: `ends it at once (${code})`,
      };
      if (sig === "TERM" && ctx === "pid1") continue; // measured in shells.ns.test.ts
      for (const state of ["fg", "wait"] as const) {
        add({
          id: `sig-${sh}-${sig}-${ctx}-${state}`, group: g, needs: [path, ...(ctx === "child" ? [TINI] : [])],
          title: `${sh} ${where}, ${state === "fg" ? "in a foreground command" : "in `wait`"}: ${sig} (catalog: ${r}) ${words[seen]}`,
          opts: { argv: [...pre, path ?? sh, state === "fg" ? FG : WAIT], signal: sig, graceMs: 2000 },
          check: (res) => {
            const acts = seen === "now" || (seen === "after-fg") || (seen === "in-wait" && state === "wait");
            if (!acts) {
              if (state === "fg") {
                expect(res.outcome).toBe("exited-after-signal");
                expect(res.exit).toEqual({ code: 0, signal: null });
                expect(res.stdout).toBe("after foreground\n");
              } else expectDropped(res);
              return;
            }
            expect(res.outcome).toBe("exited-after-signal");
            expect(res.exit).toEqual({ code, signal: null });
            expect(res.stdout).toBe("");
            // after-fg in the foreground: the shell waited for `sleep 0.8`, started ~250 ms before the signal
            if (seen === "after-fg" && state === "fg") expect(res.elapsedMs!).toBeGreaterThan(300);
            else expect(res.elapsedMs!).toBeLessThan(400);
          },
        });
      }
      if (ctx === "pid1") {
        add({
          id: `disp-${sh}-${sig}`, group: g, needs: [path],
          title: `${sh} as PID 1: ${sig} is ${r === "ignored" ? "ignored (SigIgn)" : r === "default" ? "neither caught nor ignored" : "caught (SigCgt)"}${r === "caught" ? ", and nothing happens" : ""}`,
          opts: { argv: [path ?? sh, FG], signal: null, settleMs: 150, hardTimeoutMs: 2000 },
          check: (res) => {
            const d = res.dispositions!;
            if (r === "ignored") expect(d.ignored).toContain(sig);
            else if (r === "default") {
              expect(d.ignored).not.toContain(sig);
              expect(d.caught).not.toContain(sig);
            } else expect(d.caught).toContain(sig);
          },
        });
      }
    }
  }
}

// ---- shells: a trap on QUIT or WINCH while a foreground command runs
g = "a trap on QUIT or WINCH";
for (const sh of SHELL_NAMES) {
  const path = SHELLS[sh];
  for (const sig of ["QUIT", "WINCH"]) {
    add({
      id: `trap-${sh}-${sig}-fg`, group: g, needs: [path],
      title: `${sh} as PID 1: a trap on ${sig} runs only once the foreground command ends, and the script goes on`,
      opts: { argv: [path ?? sh, TRAP_FG(sig)], signal: sig, graceMs: 2000 },
      check: (r) => {
        expect(r.stdout).toBe(`trap ${sig}\nafter foreground\n`);
        expect(r.exit).toEqual({ code: 0, signal: null });
        expect(r.elapsedMs!).toBeGreaterThan(300);
      },
    });
    add({
      id: `trap-${sh}-${sig}-wait`, group: g, needs: [path],
      title: `${sh} as PID 1: a trap on ${sig} interrupts \`wait\` at once (wait returns ${128 + SIGNUM[sig]!}) and the script goes on`,
      opts: { argv: [path ?? sh, TRAP_WAIT(sig)], signal: sig },
      check: (r) => {
        expect(r.stdout).toBe(`trap ${sig}\nwait returned ${128 + SIGNUM[sig]!}\n`);
        expect(r.elapsedMs!).toBeLessThan(400);
      },
    });
  }
}

for (const s of specs) {
  s.opts.settleMs ??= 250;
  s.opts.graceMs ??= 1500;
}

// ------------------------------------------------------------------ run and assert


afterAll(() => {
  if (!unavailable) {
    // runsv writes supervise/ state into the service directories
    rmSync(dir, { recursive: true, force: true });
  }
});

describeMeasured("inits and wrappers in a PID namespace", unavailable, specs, 8, () => {
  it("versions of the measured programs (for the catalog's sources)", () => {
    const v = dpkgVersions(["tini", "dumb-init", "busybox-static", "coreutils", "util-linux", "runit", "dash", "bash", "mksh", "zsh"]);
    console.log(`[ground-truth] inits: ${JSON.stringify(v)}`);
    expect(Object.keys(v)).toHaveLength(10);
  });
});
