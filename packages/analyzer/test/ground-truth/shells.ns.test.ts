/**
 * Ground truth: what is PID 1 and what happens on `docker stop`, MEASURED by running each command as
 * PID 1 of a fresh PID namespace (nsrun.ts: unshare --pid --fork --mount-proc --kill-child) and sending
 * the stop signal from the host's namespace, as dockerd/runc do.
 *
 * All measurements run concurrently in beforeAll (nsrunAll); each `it` asserts the facts of one
 * measurement, and its title states them. Needs root and util-linux unshare; shells/tools that are
 * missing are skipped (install: apt-get install busybox-static mksh zsh tini dumb-init gosu).
 *
 * GT_MEASUREMENTS_JSON=/path/file.json writes every result (plus tool versions) for
 * render-measurements.mjs, which generates docs/measurements.md.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findProgram, nsrunAll, nsrunUnavailable, type NsRunOptions, type NsRunResult } from "./nsrun.js";
import { checkMeasured } from "./measured.js";

const unavailable = nsrunUnavailable();
if (unavailable) console.warn(`[ground-truth] namespace measurements SKIPPED: ${unavailable}`);

// ------------------------------------------------------------------ fixtures on disk

// Nothing is written to disk when the suite is skipped (hooks do not run then, so nothing would clean up).
const dir = unavailable ? join(tmpdir(), "audit-image-gt-skipped") : mkdtempSync(join(tmpdir(), "audit-image-gt-"));
const script = (name: string, body: string) => {
  const p = join(dir, name);
  if (!unavailable) writeFileSync(p, body, { mode: 0o755 });
  return p;
};
/** A service that logs when it gets TERM, then needs 300 ms to shut down cleanly. */
const SVC = script(
  "svc.sh",
  `trap 'echo "svc got TERM"; sleep 0.3; echo "svc clean exit"; exit 0' TERM
sleep 1000 &
echo "svc ready"
wait
`,
);
const S = {
  noexec: script("noexec.sh", "sleep 1000\n"),
  exec: script("exec.sh", "exec sleep 1000\n"),
  args: script("args.sh", '"$@"\n'),
  pipe: script("pipe.sh", "exec sleep 1000 | cat\n"),
  redir: script("redir.sh", "exec >/dev/null 2>&1\nsleep 1000\n"),
  fg: script("fg.sh", 'sleep 0.8\necho "after foreground"\n'),
  fwdSleep: script("fwd-sleep.sh", `trap 'kill -TERM $pid; echo "forwarded rc=$?"' TERM\nsleep 1000 & pid=$!\nwait $pid\necho "wait returned $?"\n`),
  fwdWaitSleep: script("fwdwait-sleep.sh", `trap 'kill -TERM $pid; wait $pid; exit $?' TERM\nsleep 1000 & pid=$!\nwait $pid\n`),
  fwdSvc: script("fwd-svc.sh", `trap 'kill -TERM $pid' TERM\ndash ${SVC} & pid=$!\nwait $pid\necho "wait returned $?"\n`),
  fwdWaitSvc: script("fwdwait-svc.sh", `trap 'kill -TERM $pid; wait $pid; exit $?' TERM\ndash ${SVC} & pid=$!\nwait $pid\n`),
  exit0: script("exit0.sh", `trap 'exit 0' TERM\ndash ${SVC} &\nwait\n`),
  badtrap: script("badtrap.sh", `trap 'echo caught; exit 3' SIGTERM\necho "trap status $?"\nsleep 1000 & wait\n`),
  wrapper: script("wrapper.sh", `dash ${SVC} &\nsleep 1000\n`),
};

const prog = (name: string) => findProgram(name);
const link = (name: string, target: string | null) => {
  if (!target) return null;
  const d = join(dir, name);
  if (unavailable) return join(d, "sh");
  execFileSync("mkdir", ["-p", d]);
  symlinkSync(target, join(d, "sh"));
  return join(d, "sh");
};

type ShellName = "dash" | "bash" | "busybox" | "mksh" | "zsh";
/** How each shell is run as `sh`: dash/bash/mksh by name; BusyBox and zsh through a symlink named `sh`
 *  (as /bin/sh on Alpine; zsh then runs in sh emulation, as Debian's zsh does when invoked as sh). */
const SHELLS: Record<ShellName, string | null> = {
  dash: prog("dash"),
  bash: prog("bash"),
  busybox: link("busybox", prog("busybox")),
  mksh: prog("mksh"),
  zsh: link("zsh", prog("zsh")),
};
const SHELL_NAMES = Object.keys(SHELLS) as ShellName[];
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : prog("python3"); // not the pyenv shim (a bash script)

// ------------------------------------------------------------------ the measurements

/** A program a measurement needs: its name (the skip title names it when it is missing) and its path, or null. */
interface Need {
  name: string;
  path: string | null;
}
const need = (name: string, path: string | null = prog(name)): Need => ({ name, path });

interface Spec {
  id: string;
  group: string;
  /** The test title: states the measured fact. */
  title: string;
  /** The command as a Dockerfile author would write it (for the docs table). */
  display: string;
  shell?: ShellName;
  needs: Need[];
  opts: NsRunOptions;
  check: (r: NsRunResult) => void;
}
const specs: Spec[] = [];
const add = (s: Spec) => specs.push(s);

const argv0 = (r: NsRunResult) => r.pid1?.argv[0] ?? null;
const names = (r: NsRunResult) => r.tree.map((p) => (p.argv.length ? p.argv.join(" ") : `[${p.comm}]`));
const isSleep = (argv: string[] | undefined) => argv?.[0] === "sleep" && argv[1] === "1000";

/** PID 1 is `sleep 1000` itself (exec in place), alone in the namespace. */
function expectExecd(r: NsRunResult) {
  expect(r.pid1?.argv).toEqual(["sleep", "1000"]);
  expect(r.tree).toHaveLength(1);
}
/** PID 1 is still the shell, and `sleep 1000` is its child. */
function expectShellStays(r: NsRunResult, shellPath: string) {
  expect(argv0(r)).toBe(shellPath);
  expect(isSleep(r.pid1?.argv)).toBe(false);
  expect(r.tree.some((p) => p.ppid === 1 && isSleep(p.argv))).toBe(true);
}
/** TERM from the host was dropped: PID 1 still there at the end of the grace period, then SIGKILLed. */
function expectTermDropped(r: NsRunResult) {
  expect(r.signalSent).toBe("SIGTERM");
  expect(r.outcome).toBe("killed-after-grace");
  expect(r.exit).toEqual({ code: null, signal: "SIGKILL" });
}

const SETTLE = 250;
const GRACE = 1000;

// ---- the harness itself: where the signal comes from, and which signals get through
add({
  id: "harness-term-host", group: "harness: where the signal comes from", display: "sleep 1000", needs: [],
  title: "TERM sent from the HOST namespace (as docker stop does) to a handler-less PID 1 (`sleep`) is dropped: killed after the grace period",
  opts: { argv: ["sleep", "1000"] },
  check: (r) => {
    expectExecd(r);
    expect(r.dispositions?.caught).toEqual([]);
    expectTermDropped(r);
    expect(r.treeAtGraceEnd?.[0]?.argv).toEqual(["sleep", "1000"]);
  },
});
add({
  id: "harness-term-ns", group: "harness: where the signal comes from", display: "sleep 1000 (kill -TERM 1 from inside)", needs: [need("nsenter")],
  title: "TERM sent from INSIDE the namespace to a handler-less PID 1 is dropped too",
  opts: { argv: ["sleep", "1000"], signalFrom: "namespace" },
  check: (r) => expectTermDropped(r),
});
add({
  id: "harness-usr1-host", group: "harness: where the signal comes from", display: "sleep 1000 (USR1)", needs: [],
  title: "USR1 from the host to a handler-less PID 1 is dropped (default action 'terminate' does not apply to a namespace init)",
  opts: { argv: ["sleep", "1000"], signal: "USR1" },
  check: (r) => {
    expect(r.outcome).toBe("killed-after-grace");
    expect(r.exit.signal).toBe("SIGKILL");
  },
});
add({
  id: "harness-kill-host", group: "harness: where the signal comes from", display: "sleep 1000 (KILL from host)", needs: [],
  title: "KILL from the host kills PID 1 at once (and with it the namespace)",
  opts: { argv: ["sleep", "1000"], signal: "KILL" },
  check: (r) => {
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.exit).toEqual({ code: null, signal: "SIGKILL" });
    expect(r.elapsedMs!).toBeLessThan(300);
  },
});
add({
  id: "harness-kill-ns", group: "harness: where the signal comes from", display: "sleep 1000 (kill -KILL 1 from inside)", needs: [need("nsenter")],
  title: "KILL from INSIDE the namespace to PID 1 is dropped (only an ancestor namespace can SIGKILL init)",
  opts: { argv: ["sleep", "1000"], signal: "KILL", signalFrom: "namespace" },
  check: (r) => expect(r.outcome).toBe("killed-after-grace"),
});
add({
  id: "harness-handler", group: "harness: where the signal comes from", display: "bash -c 'trap \"exit 7\" TERM; sleep 1000 & wait'", needs: [need("bash")],
  title: "TERM from the host IS delivered to a PID 1 that has a handler (bash trap): exits 7 at once",
  opts: { argv: ["bash", "-c", "trap 'exit 7' TERM; sleep 1000 & wait"] },
  check: (r) => {
    expect(r.dispositions?.caught).toContain("TERM");
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.exit).toEqual({ code: 7, signal: null });
    expect(r.elapsedMs!).toBeLessThan(300);
  },
});
add({
  id: "harness-hard-timeout", group: "harness: where the signal comes from", display: "sleep 1000 (no signal, hard timeout 600 ms)", needs: [],
  title: "with no signal, the hard timeout SIGKILLs the namespace (the harness never hangs)",
  opts: { argv: ["sleep", "1000"], signal: null, hardTimeoutMs: 600 },
  check: (r) => {
    expect(r.outcome).toBe("hard-timeout");
    expect(r.exit.signal).toBe("SIGKILL");
    expect(r.totalMs).toBeLessThan(1500);
  },
});

// ---- shells: which process is PID 1
const EXEC_C: Record<string, Record<ShellName, boolean>> = {
  // measured: true = the command replaced the shell as PID 1
  "sleep 1000": { dash: false, bash: true, busybox: true, mksh: true, zsh: true },
  "true; sleep 1000": { dash: false, bash: true, busybox: true, mksh: false, zsh: true },
  "true && sleep 1000": { dash: false, bash: true, busybox: true, mksh: false, zsh: true },
  'sleep "1000"': { dash: false, bash: true, busybox: true, mksh: false, zsh: true },
  "sleep '1000'": { dash: false, bash: true, busybox: true, mksh: false, zsh: true },
  "sleep 1000 >/dev/null": { dash: false, bash: false, busybox: true, mksh: false, zsh: true },
  "X=1 sleep 1000": { dash: false, bash: true, busybox: true, mksh: false, zsh: true },
  'trap "" USR1; sleep 1000': { dash: false, bash: true, busybox: true, mksh: false, zsh: true },
  'trap "echo hi" USR1; sleep 1000': { dash: false, bash: false, busybox: false, mksh: false, zsh: false },
};
for (const shell of SHELL_NAMES) {
  const sh = SHELLS[shell];
  for (const [cmd, table] of Object.entries(EXEC_C)) {
    const execd = table[shell];
    const shown = cmd.includes("'") ? `sh -c "${cmd}"` : `sh -c '${cmd}'`;
    add({
      id: `c-${shell}-${cmd}`, group: `sh -c: who is PID 1`, shell, display: shown, needs: [need(shell, sh)],
      title: `${shell}: ${shown} → PID 1 is ${execd ? "sleep (exec in place)" : "the shell, sleep is its child"}; TERM dropped, killed after grace`,
      opts: { argv: [sh!, "-c", cmd] },
      check: (r) => {
        if (execd) expectExecd(r);
        else expectShellStays(r, sh!);
        expectTermDropped(r);
      },
    });
  }
}

// ---- shells: script files
for (const shell of SHELL_NAMES) {
  const sh = SHELLS[shell];
  const g = "script files: who is PID 1";
  add({
    id: `f-${shell}-noexec`, group: g, shell, display: "script: `sleep 1000`", needs: [need(shell, sh)],
    title: `${shell}: a script ending in \`sleep 1000\` (no exec) keeps the shell as PID 1; TERM dropped, killed after grace`,
    opts: { argv: [sh!, S.noexec] },
    check: (r) => {
      expectShellStays(r, sh!);
      expectTermDropped(r);
      expect(r.treeAtGraceEnd?.map((p) => p.argv[0])).toEqual([sh, "sleep"]);
      // mksh catches TERM by itself; the others do not
      if (shell === "mksh") expect(r.dispositions?.caught).toContain("TERM");
      else expect(r.dispositions?.caught).not.toContain("TERM");
    },
  });
  add({
    id: `f-${shell}-exec`, group: g, shell, display: "script: `exec sleep 1000`", needs: [need(shell, sh)],
    title: `${shell}: a script's \`exec sleep 1000\` replaces the shell as PID 1`,
    opts: { argv: [sh!, S.exec] },
    check: (r) => {
      expectExecd(r);
      expectTermDropped(r);
    },
  });
  add({
    id: `f-${shell}-args`, group: g, shell, display: 'script: `"$@"`, args `sleep 1000`', needs: [need(shell, sh)],
    title: `${shell}: a script ending in "$@" (args sleep 1000) keeps the shell as PID 1`,
    opts: { argv: [sh!, S.args, "sleep", "1000"] },
    check: (r) => {
      expectShellStays(r, sh!);
      expectTermDropped(r);
    },
  });
  add({
    id: `f-${shell}-pipe`, group: g, shell, display: "script: `exec sleep 1000 | cat`", needs: [need(shell, sh)],
    title: `${shell}: \`exec sleep 1000 | cat\` keeps the shell as PID 1 with sleep and cat as children`,
    opts: { argv: [sh!, S.pipe] },
    check: (r) => {
      expect(argv0(r)).toBe(sh);
      const kids = r.tree.filter((p) => p.ppid === 1).map((p) => p.argv.join(" ")).sort();
      expect(kids).toEqual(["cat", "sleep 1000"]);
      expectTermDropped(r);
    },
  });
  add({
    id: `f-${shell}-redir`, group: g, shell, display: "script: `exec >/dev/null 2>&1` then `sleep 1000`", needs: [need(shell, sh)],
    title: `${shell}: \`exec >/dev/null 2>&1\` alone only redirects; the shell stays PID 1`,
    opts: { argv: [sh!, S.redir] },
    check: (r) => {
      expectShellStays(r, sh!);
      expectTermDropped(r);
    },
  });
}

// ---- shells: TERM to a shell PID 1
for (const shell of SHELL_NAMES) {
  const sh = SHELLS[shell];
  const g = "TERM to a shell PID 1";
  const mksh = shell === "mksh";
  add({
    id: `t-${shell}-fg`, group: g, shell, display: "script: `sleep 0.8; echo after foreground` (grace 2 s)", needs: [need(shell, sh)],
    title: mksh
      ? "mksh: catches TERM without a trap, but acts only once the foreground `sleep 0.8` ends: exits 143, the next command never runs"
      : `${shell}: TERM (no trap) is dropped: the foreground \`sleep 0.8\` ends and the script goes on ("after foreground", exit 0)`,
    opts: { argv: [sh!, S.fg], graceMs: 2000 },
    check: (r) => {
      expect(r.outcome).toBe("exited-after-signal");
      if (mksh) {
        expect(r.exit).toEqual({ code: 143, signal: null });
        expect(r.stdout).toBe("");
      } else {
        expect(r.exit).toEqual({ code: 0, signal: null });
        expect(r.stdout).toBe("after foreground\n");
      }
      // sleep 0.8 started ~SETTLE ms before the signal: the exit waits for it
      expect(r.elapsedMs!).toBeGreaterThan(300);
    },
  });
  add({
    id: `t-${shell}-fwd-sleep`, group: g, shell, display: "script: `trap 'kill -TERM $pid' TERM; sleep 1000 & pid=$!; wait $pid`", needs: [need(shell, sh)],
    title: `${shell}: trap 'kill -TERM $pid' TERM + sleep & wait $pid: the trap runs at once (wait is interrupted, returns 143), kill succeeds, PID 1 exits 0 right after forwarding`,
    opts: { argv: [sh!, S.fwdSleep] },
    check: (r) => {
      expect(r.dispositions?.caught).toContain("TERM");
      expect(r.outcome).toBe("exited-after-signal");
      expect(r.stdout).toBe("forwarded rc=0\nwait returned 143\n");
      expect(r.exit).toEqual({ code: 0, signal: null });
      expect(r.elapsedMs!).toBeLessThan(300);
    },
  });
  add({
    id: `t-${shell}-fwdwait-sleep`, group: g, shell, display: "script: `trap 'kill -TERM $pid; wait $pid; exit $?' TERM; sleep 1000 & pid=$!; wait $pid`", needs: [need(shell, sh)],
    title: `${shell}: trap 'kill -TERM $pid; wait $pid; exit $?': sleep gets TERM and PID 1 exits with its status 143`,
    opts: { argv: [sh!, S.fwdWaitSleep] },
    check: (r) => {
      expect(r.outcome).toBe("exited-after-signal");
      expect(r.exit).toEqual({ code: 143, signal: null });
      expect(r.elapsedMs!).toBeLessThan(300);
    },
  });
  add({
    id: `t-${shell}-fwd-svc`, group: g, shell, display: "script: `trap 'kill -TERM $pid' TERM; svc & pid=$!; wait $pid` (svc needs 300 ms to stop)", needs: [need(shell, sh), need("dash", SHELLS.dash)],
    title: `${shell}: forward without waiting: PID 1 exits at once and the service is SIGKILLed in the middle of its 300 ms shutdown (no "svc clean exit")`,
    opts: { argv: [sh!, S.fwdSvc], waitFor: "svc ready" },
    check: (r) => {
      expect(r.outcome).toBe("exited-after-signal");
      expect(r.stdout).toContain("wait returned 143");
      expect(r.stdout).not.toContain("svc clean exit");
      expect(r.elapsedMs!).toBeLessThan(250);
    },
  });
  add({
    id: `t-${shell}-fwdwait-svc`, group: g, shell, display: "script: `trap 'kill -TERM $pid; wait $pid; exit $?' TERM; svc & pid=$!; wait $pid`", needs: [need(shell, sh), need("dash", SHELLS.dash)],
    title: `${shell}: forward then wait: the service shuts down cleanly (≈300 ms) and PID 1 exits with its status 0`,
    opts: { argv: [sh!, S.fwdWaitSvc], waitFor: "svc ready" },
    check: (r) => {
      expect(r.outcome).toBe("exited-after-signal");
      expect(r.stdout).toContain("svc got TERM\nsvc clean exit\n");
      expect(r.exit).toEqual({ code: 0, signal: null });
      expect(r.elapsedMs!).toBeGreaterThanOrEqual(290);
    },
  });
  add({
    id: `t-${shell}-exit0`, group: g, shell, display: "script: `trap 'exit 0' TERM; svc & wait`", needs: [need(shell, sh), need("dash", SHELLS.dash)],
    title: `${shell}: trap 'exit 0' TERM + svc & wait: stops fast with exit 0, the service never sees TERM`,
    opts: { argv: [sh!, S.exit0], waitFor: "svc ready" },
    check: (r) => {
      expect(r.outcome).toBe("exited-after-signal");
      expect(r.exit).toEqual({ code: 0, signal: null });
      expect(r.stdout).not.toContain("svc got TERM");
      expect(r.elapsedMs!).toBeLessThan(250);
    },
  });
  const bad = shell === "dash";
  add({
    id: `t-${shell}-badtrap`, group: g, shell, display: "script: `trap 'echo caught; exit 3' SIGTERM; sleep 1000 & wait`", needs: [need(shell, sh)],
    title: bad
      ? 'dash: `trap … SIGTERM` is rejected ("bad trap", status 1), the script goes on, TERM is dropped and PID 1 is killed after grace'
      : `${shell}: \`trap … SIGTERM\` (SIG prefix) is accepted: TERM runs the trap, exit 3`,
    opts: { argv: [sh!, S.badtrap] },
    check: (r) => {
      if (bad) {
        expect(r.stderr).toContain("trap: SIGTERM: bad trap");
        expect(r.stdout).toBe("trap status 1\n");
        expectTermDropped(r);
      } else {
        expect(r.stdout).toBe("trap status 0\ncaught\n");
        expect(r.exit).toEqual({ code: 3, signal: null });
      }
    },
  });
  add({
    id: `z-${shell}-zombie`, group: "zombies", shell, display: "sh -c 'sleep 0.1 & exec sleep 1000'", needs: [need(shell, sh)],
    title: `${shell}: sh -c 'sleep 0.1 & exec sleep 1000': the background sleep's parent exec'd into a non-reaper; it stays a zombie`,
    opts: { argv: [sh!, "-c", "sleep 0.1 & exec sleep 1000"], settleMs: 400 },
    check: (r) => {
      expectTermDropped(r);
      expect(r.pid1?.argv).toEqual(["sleep", "1000"]);
      expect(r.zombies).toHaveLength(1);
      expect(r.zombies[0]?.ppid).toBe(1);
    },
  });
}

// ---- zsh: how Debian's zsh behaves when invoked as sh
add({
  id: "zsh-emulation", group: "zsh as sh, BusyBox applets", shell: "zsh", display: "sh -c 'emulate' (zsh through a symlink named sh)", needs: [need("zsh", SHELLS.zsh)],
  title: "zsh invoked through a symlink named `sh` runs in sh emulation (`emulate` prints sh)",
  opts: { argv: [SHELLS.zsh!, "-c", "emulate"], signal: null },
  check: (r) => {
    expect(r.outcome).toBe("exited-before-signal");
    expect(r.stdout).toBe("sh\n");
  },
});
add({
  id: "zsh-emulate-flag", group: "zsh as sh, BusyBox applets", shell: "zsh", display: "zsh --emulate sh -c 'true; sleep 1000'", needs: [need("zsh")],
  title: "zsh --emulate sh -c 'true; sleep 1000' → sleep replaces zsh as PID 1",
  opts: { argv: [prog("zsh")!, "--emulate", "sh", "-c", "true; sleep 1000"] },
  check: (r) => {
    expectExecd(r);
    expectTermDropped(r);
  },
});
add({
  id: "busybox-applet", group: "zsh as sh, BusyBox applets", shell: "busybox", display: "sh -c 'sleep 1000' (BusyBox)", needs: [need("busybox", SHELLS.busybox)],
  title: "BusyBox ash execs its own `sleep` applet in place: PID 1's exe is /usr/bin/busybox, and it inherits SIGQUIT ignored",
  opts: { argv: [SHELLS.busybox!, "-c", "sleep 1000"] },
  check: (r) => {
    expectExecd(r);
    expect(r.pid1?.exe).toMatch(/busybox$/);
    expect(r.dispositions?.ignored).toContain("QUIT");
  },
});

// ---- init processes
const TINI = prog("tini");
const DUMB = prog("dumb-init");
const DASH = SHELLS.dash;
for (const [name, bin, flags] of [
  ["tini", TINI, ["--"]],
  ["tini -g", TINI, ["-g", "--"]],
  ["dumb-init", DUMB, []],
  ["dumb-init --single-child", DUMB, ["--single-child"]],
] as const) {
  const g = "init processes";
  const base = name.split(" ")[0]!;
  const needs = [need(base, bin), need("dash", DASH)];
  // When the init is missing the measurement is skipped and this argv is never run: the bare name keeps
  // the spec well-formed (collection must not crash on a missing program).
  const pre = [bin ?? base, ...flags];
  if (name === "tini" || name === "dumb-init") {
    add({
      id: `i-${name}-sleep`, group: g, display: `${name} sleep 1000`, needs,
      title: `${name} as PID 1 with child sleep: TERM is forwarded, sleep dies of it, ${base} exits 143 at once`,
      opts: { argv: [...pre, "sleep", "1000"] },
      check: (r) => {
        expect(names(r)).toEqual([[...pre, "sleep", "1000"].join(" "), "sleep 1000"]);
        expect(r.outcome).toBe("exited-after-signal");
        expect(r.exit).toEqual({ code: 143, signal: null });
        expect(r.elapsedMs!).toBeLessThan(250);
      },
    });
    add({
      id: `i-${name}-bgexit`, group: g, display: `${name} sh -c 'sleep 1000 & exit 0'`, needs,
      title: `${name} exits as soon as its direct child exits (child shell backgrounds sleep and exits 0): PID 1 gone before any signal, exit 0`,
      opts: { argv: [...pre, DASH!, "-c", "sleep 1000 & exit 0"] },
      check: (r) => {
        expect(r.outcome).toBe("exited-before-signal");
        expect(r.exit).toEqual({ code: 0, signal: null });
      },
    });
    add({
      id: `i-${name}-reap`, group: g, display: `${name} sh -c '(sleep 0.1 &); exec sleep 1000'`, needs,
      title: `${name} reaps the orphaned \`sleep 0.1\` (re-parented to PID 1): no zombie`,
      opts: { argv: [...pre, DASH!, "-c", "(sleep 0.1 &); exec sleep 1000"], settleMs: 400 },
      check: (r) => {
        expect(names(r)[0]).toBe(pre.join(" ") + ` ${DASH} -c (sleep 0.1 &); exec sleep 1000`);
        expect(r.zombies).toEqual([]);
        expect(r.tree).toHaveLength(2);
        expect(r.exit).toEqual({ code: 143, signal: null });
      },
    });
  }
  add({
    id: `i-${name}-wrapper`, group: g, display: `${name} sh wrapper.sh (svc & then sleep 1000, no exec/wait)`, needs,
    title: `${name} + a wrapper shell that neither execs nor waits: the shell dies of TERM, ${base} exits 143 at once, the service never finishes its shutdown`,
    opts: { argv: [...pre, DASH!, S.wrapper], waitFor: "svc ready" },
    check: (r) => {
      expect(r.outcome).toBe("exited-after-signal");
      expect(r.exit).toEqual({ code: 143, signal: null });
      expect(r.stdout).not.toContain("svc clean exit");
      expect(r.elapsedMs!).toBeLessThan(250);
    },
  });
}
add({
  id: "i-noinit-reap", group: "zombies", display: "sh -c '(sleep 0.1 &); exec sleep 1000' (no init)", needs: [need("dash", DASH)],
  title: "without an init, the orphan `sleep 0.1` is re-parented to PID 1 (an exec'd sleep that never waits) and stays a zombie",
  opts: { argv: [DASH!, "-c", "(sleep 0.1 &); exec sleep 1000"], settleMs: 400 },
  check: (r) => {
    expect(r.pid1?.argv).toEqual(["sleep", "1000"]);
    expect(r.zombies).toHaveLength(1);
    expect(r.zombies[0]?.ppid).toBe(1);
  },
});
add({
  id: "i-dash-wait-reap", group: "zombies", display: "sh -c '(sleep 0.1 &); sleep 1000 & wait' (dash)", needs: [need("dash", DASH)],
  title: "dash as PID 1 blocked in `wait` reaps an orphan re-parented to it: no zombie",
  opts: { argv: [DASH!, "-c", "(sleep 0.1 &); sleep 1000 & wait"], settleMs: 400 },
  check: (r) => {
    expect(r.zombies).toEqual([]);
    expect(r.tree).toHaveLength(2);
  },
});

// ---- language runtimes
const NODE = prog("node");
add({
  id: "r-node-term", group: "runtimes", display: "node -e 'setInterval(()=>{},1000)' (TERM)", needs: [need("node", NODE)],
  title: "node 20 as PID 1 HAS a TERM and INT handler (SigCgt) but still survives TERM (its handler re-raises, which a namespace init ignores): killed after grace",
  opts: { argv: [NODE!, "-e", "setInterval(()=>{},1000)"], settleMs: 600 },
  check: (r) => {
    expect(r.dispositions?.caught).toEqual(expect.arrayContaining(["INT", "TERM", "USR1"]));
    expect(r.dispositions?.ignored).toEqual(expect.arrayContaining(["PIPE"]));
    expectTermDropped(r);
    // the handler was installed with SA_RESETHAND: after one TERM, node's TERM disposition is back to default
    expect(r.dispositionsAtGraceEnd?.caught).not.toContain("TERM");
  },
});
add({
  id: "r-node-int", group: "runtimes", display: "node -e 'setInterval(()=>{},1000)' (INT)", needs: [need("node", NODE)],
  title: "node 20 as PID 1 survives INT too (same re-raise; INT is no longer caught afterwards): killed after grace",
  opts: { argv: [NODE!, "-e", "setInterval(()=>{},1000)"], settleMs: 600, signal: "INT" },
  check: (r) => {
    expect(r.dispositions?.caught).toContain("INT");
    expect(r.outcome).toBe("killed-after-grace");
    expect(r.dispositionsAtGraceEnd?.caught).not.toContain("INT");
  },
});
add({
  id: "r-node-handler", group: "runtimes", display: "node -e 'process.on(\"SIGTERM\",()=>process.exit(0)); …'", needs: [need("node", NODE)],
  title: "node with process.on('SIGTERM', () => process.exit(0)) exits 0 at once on TERM",
  opts: { argv: [NODE!, "-e", "process.on('SIGTERM',()=>{console.log('bye');process.exit(0)});setInterval(()=>{},1000)"], settleMs: 600 },
  check: (r) => {
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.exit).toEqual({ code: 0, signal: null });
    expect(r.stdout).toBe("bye\n");
    expect(r.elapsedMs!).toBeLessThan(300);
  },
});
add({
  id: "r-python-term", group: "runtimes", display: "python3 -c 'import time; time.sleep(1000)' (TERM)", needs: [need("python3", PYTHON)],
  title: "python3 as PID 1 catches only INT (SigCgt): TERM is dropped, killed after grace",
  opts: { argv: [PYTHON!, "-c", "import time; time.sleep(1000)"], settleMs: 500 },
  check: (r) => {
    expect(r.dispositions?.caught).toEqual(["INT"]);
    expectTermDropped(r);
  },
});
add({
  id: "r-python-int", group: "runtimes", display: "python3 -c 'import time; time.sleep(1000)' (INT)", needs: [need("python3", PYTHON)],
  title: "python3 as PID 1 on INT: KeyboardInterrupt, exits 130 at once",
  opts: { argv: [PYTHON!, "-c", "import time; time.sleep(1000)"], settleMs: 500, signal: "INT" },
  check: (r) => {
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.exit).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain("KeyboardInterrupt");
  },
});

// ---- privilege droppers
const SU = prog("su");
const RUNUSER = prog("runuser");
const GOSU = prog("gosu");
add({
  id: "p-su", group: "privilege droppers", display: "su -c 'sleep 1000'", needs: [need("su", SU)],
  title: "util-linux su -c stays PID 1 with sleep as its child, catches TERM, forwards it, waits 2 s, then exits 143",
  opts: { argv: [SU!, "-c", "sleep 1000"], graceMs: 3000 },
  check: (r) => {
    expect(names(r)).toEqual([`${SU} -c sleep 1000`, "sleep 1000"]);
    expect(r.dispositions?.caught).toContain("TERM");
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.exit).toEqual({ code: 143, signal: null });
    expect(r.stderr).toContain("Session terminated, killing shell...");
    expect(r.elapsedMs!).toBeGreaterThanOrEqual(1900);
    expect(r.elapsedMs!).toBeLessThan(2600);
  },
});
add({
  id: "p-runuser", group: "privilege droppers", display: "runuser -u nobody -- sleep 1000", needs: [need("runuser", RUNUSER)],
  title: "runuser -u nobody -- sleep 1000 stays PID 1 (sleep runs as nobody), forwards TERM, waits 2 s, exits 143",
  opts: { argv: [RUNUSER!, "-u", "nobody", "--", "sleep", "1000"], graceMs: 3000 },
  check: (r) => {
    expect(r.pid1?.argv[0]).toBe(RUNUSER);
    expect(r.tree[1]?.argv).toEqual(["sleep", "1000"]);
    expect(r.tree[1]?.uid).toBe(65534);
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.exit).toEqual({ code: 143, signal: null });
    expect(r.elapsedMs!).toBeGreaterThanOrEqual(1900);
  },
});
// Which stop signals su/runuser act on, and what their child gets (util-linux login-utils/su-common.c:
// parent_setup_signals() catches TERM always, INT and QUIT only outside "same session", and leaves every
// other signal blocked; su_main() picks the same session for --session-command, for no -c command — which
// includes `runuser -u USER CMD` — and for a root target user; create_watching_parent() then sends the
// child SIGTERM whichever signal it caught).
// The child reports which signal reached it.
const SU_CHILD = `trap "echo child got TERM; exit 0" TERM; trap "echo child got QUIT; exit 0" QUIT; trap "echo child got INT; exit 0" INT; echo ready; sleep 1000 & wait`;
for (const sig of ["QUIT", "INT"] as const) {
  add({
    id: `p-su-user-${sig}`, group: "privilege droppers", display: `su -s /bin/sh nobody -c '<child that reports its signal>' (${sig})`, needs: [need("su", SU)],
    title: `su to a non-root user with -c catches ${sig} and sends its child SIGTERM (not ${sig}), waits 2 s, exits 128+${sig === "QUIT" ? 3 : 2}`,
    opts: { argv: [SU!, "-s", "/bin/sh", "nobody", "-c", SU_CHILD], signal: sig, waitFor: "ready", graceMs: 3000 },
    check: (r) => {
      expect(r.dispositions?.caught).toEqual(expect.arrayContaining(["INT", "QUIT", "TERM"]));
      expect(r.outcome).toBe("exited-after-signal");
      expect(r.stdout).toBe("ready\nchild got TERM\n");
      expect(r.stderr).toContain("Session terminated, killing shell...");
      expect(r.exit).toEqual({ code: sig === "QUIT" ? 131 : 130, signal: null });
      expect(r.elapsedMs!).toBeGreaterThanOrEqual(1900);
    },
  });
}
for (const [id, display, argv] of [
  ["p-su-root-QUIT", "su -s /bin/sh -c '<child that reports its signal>' (QUIT, target root)", [SU!, "-s", "/bin/sh", "-c", SU_CHILD]],
  ["p-runuser-u-QUIT", "runuser -u nobody -- sh -c '<child that reports its signal>' (QUIT)", [RUNUSER!, "-u", "nobody", "--", "sh", "-c", SU_CHILD]],
] as const) {
  const prog_ = id.startsWith("p-su") ? "su" : "runuser";
  add({
    id, group: "privilege droppers", display, needs: [need(prog_, prog_ === "su" ? SU : RUNUSER)],
    title: `${prog_ === "su" ? "su -c to root" : "runuser -u USER CMD"} catches only TERM and keeps QUIT blocked: QUIT does nothing, the child never hears of it, killed after grace`,
    opts: { argv: [...argv], signal: "QUIT", waitFor: "ready", graceMs: 3000 },
    check: (r) => {
      expect(r.dispositions?.caught).toEqual(["TERM"]);
      expect(r.dispositions?.blocked).toEqual(expect.arrayContaining(["INT", "QUIT", "HUP", "USR1"]));
      expect(r.outcome).toBe("killed-after-grace");
      expect(r.stdout).toBe("ready\n");
      expect(r.stderr).toBe("");
    },
  });
}
// runuser below PID 1: a bash at PID 1 starts it in the background, sends it TERM itself, and reports how it ended
// and how long that took (util-linux su-common.c's watching parent, not PID 1: its final re-raise of TERM ends it).
const RUNUSER_BELOW_CHILD = `trap "echo child got TERM; exit 0" TERM; sleep 1000 & wait`;
const RUNUSER_BELOW = `runuser -u nobody -- sh -c '${RUNUSER_BELOW_CHILD}' & p=$!; sleep 0.5; t0=$(date +%s%N); kill -TERM $p; wait $p; rc=$?; echo "runuser ended $rc after $(( ($(date +%s%N) - t0) / 1000000 )) ms"`;
add({
  id: "p-runuser-below-pid1", group: "privilege droppers", display: "bash -c 'runuser -u nobody -- sh -c \"<child>\" & kill -TERM $!; wait'", needs: [need("runuser", RUNUSER), need("bash")],
  title: "runuser -u USER CMD below PID 1 also forks and stays the parent: on TERM it passes TERM to its child, waits 2 s, and ends by TERM (143)",
  opts: { argv: [prog("bash")!, "-c", RUNUSER_BELOW], signal: null, hardTimeoutMs: 15000 },
  check: (r) => {
    expect(r.outcome).toBe("exited-before-signal");
    expect(r.stdout).toMatch(/child got TERM/);
    expect(r.stderr).toContain("Session terminated, killing shell...");
    const m = /runuser ended (\d+) after (\d+) ms/.exec(r.stdout);
    expect(m?.[1]).toBe("143");
    expect(Number(m?.[2])).toBeGreaterThanOrEqual(1900);
  },
});
// doas: Debian's package is OpenDoas built with PAM. It needs a rule that lets root run commands: /etc/doas.conf
// with `permit nopass root` (the measurement skips without one; it does not write /etc).
const DOAS = prog("doas");
const doasConfigured = (() => {
  try {
    return /^\s*permit\s+nopass\s+root\b/m.test(readFileSync("/etc/doas.conf", "utf8"));
  } catch {
    return false;
  }
})();
const DOAS_CHILD = `trap "echo child got TERM; exit 0" TERM; trap "echo child got INT; exit 0" INT; echo ready; sleep 1000 & wait`;
add({
  id: "p-doas", group: "privilege droppers", display: "doas -u nobody sh -c '<child that reports its signal>' (TERM)", needs: [need("doas (and /etc/doas.conf: permit nopass root)", doasConfigured ? DOAS : null)],
  title: "Debian's doas (PAM) stays PID 1 with the command as its child, catches only TERM, passes TERM on, waits 2 s, exits 143",
  opts: { argv: [DOAS!, "-u", "nobody", "sh", "-c", DOAS_CHILD], waitFor: "ready", graceMs: 4000 },
  check: (r) => {
    expect(r.pid1?.argv[0]).toBe(DOAS);
    expect(r.tree[1]?.uid).toBe(65534);
    expect(r.dispositions?.caught).toEqual(["TERM"]);
    expect(r.dispositions?.blocked).toEqual(expect.arrayContaining(["INT", "QUIT", "HUP"]));
    expect(r.outcome).toBe("exited-after-signal");
    expect(r.exit).toEqual({ code: 143, signal: null });
    expect(r.stdout).toBe("ready\nchild got TERM\n");
    expect(r.stderr).toContain("Session terminated, killing shell");
    expect(r.elapsedMs!).toBeGreaterThanOrEqual(1900);
  },
});
add({
  id: "p-doas-int", group: "privilege droppers", display: "doas -u nobody sh -c '<child that reports its signal>' (INT)", needs: [need("doas (and /etc/doas.conf: permit nopass root)", doasConfigured ? DOAS : null)],
  title: "Debian's doas (PAM) keeps INT blocked: nothing happens, the child never hears of it, killed after grace",
  opts: { argv: [DOAS!, "-u", "nobody", "sh", "-c", DOAS_CHILD], waitFor: "ready", signal: "INT", graceMs: 3000 },
  check: (r) => {
    expect(r.outcome).toBe("killed-after-grace");
    expect(r.stdout).toBe("ready\n");
  },
});
add({
  id: "p-gosu", group: "privilege droppers", display: "gosu nobody sleep 1000", needs: [need("gosu", GOSU)],
  title: "gosu nobody sleep 1000 execs in place: PID 1 is sleep running as nobody; TERM dropped",
  opts: { argv: [GOSU!, "nobody", "sleep", "1000"] },
  check: (r) => {
    expectExecd(r);
    expect(r.pid1?.uid).toBe(65534);
    expectTermDropped(r);
  },
});
// ---- command-line tools run as the ENTRYPOINT with no CMD: they end by themselves (stdin is /dev/null, as docker
// run without -i gives it)
add({
  id: "t-shellcheck-no-args", group: "tools", display: "shellcheck", needs: [need("shellcheck")],
  title: "shellcheck with no argument prints its usage and exits 3 at once",
  opts: { argv: [prog("shellcheck")!], signal: null, hardTimeoutMs: 10000 },
  check: (r) => {
    expect(r.outcome).toBe("exited-before-signal");
    expect(r.exit).toEqual({ code: 3, signal: null });
    expect(r.stdout + r.stderr).toMatch(/Usage: shellcheck/);
  },
});
add({
  id: "t-jq-no-args", group: "tools", display: "jq", needs: [need("jq")],
  title: "jq with no argument and stdin not a terminal exits at once",
  opts: { argv: [prog("jq")!], signal: null, hardTimeoutMs: 10000 },
  check: (r) => expect(r.outcome).toBe("exited-before-signal"),
});

// ---- measured for the engine tier's disagreements (sh-c-bash-trap-keeps-shell, sh-subshell, sh-pipeline-exec-tee)
for (const sh of SHELL_NAMES) {
  const path = SHELLS[sh];
  add({
    id: `exit-trap-${sh}`, group: "an EXIT trap and TERM", shell: sh, display: `sh -c 'trap "echo bye" EXIT; sleep 1000'`, needs: [need(sh, path)],
    title: sh === "bash"
      ? "bash with an EXIT trap catches TERM (and the other fatal signals) even while a foreground child runs: it runs the trap and exits 143 at once"
      : `${sh} with an EXIT trap still drops TERM at PID 1: killed after the grace period`,
    opts: { argv: [path ?? sh, "-c", 'trap "echo bye" EXIT; sleep 1000'] },
    check: (r) => {
      expectShellStays(r, path!);
      if (sh === "bash") {
        expect(r.dispositions?.caught).toEqual(expect.arrayContaining(["TERM", "INT", "HUP", "USR1", "USR2", "ALRM"]));
        expect(r.outcome).toBe("exited-after-signal");
        expect(r.exit.code).toBe(143);
        expect(r.elapsedMs).toBeLessThan(500);
      } else expectTermDropped(r);
    },
  });
  add({
    id: `subshell-last-${sh}`, group: "a subshell's last command", shell: sh, display: `sh -c '(cd /tmp && sleep 1000); echo after'`, needs: [need(sh, path)],
    title: sh === "mksh"
      ? "mksh keeps the subshell process: sh → sh → sleep"
      : `${sh} execs a subshell's last command in place: sh → sleep, no subshell process`,
    opts: { argv: [path ?? sh, "-c", "(cd /tmp && sleep 1000); echo after"] },
    check: (r) => {
      expect(argv0(r)).toBe(path);
      expect(r.tree.filter((p) => isSleep(p.argv))).toHaveLength(1);
      expect(r.tree).toHaveLength(sh === "mksh" ? 3 : 2);
      expectTermDropped(r);
    },
  });
  add({
    id: `subshell-tail-${sh}`, group: "a subshell's last command", shell: sh, display: `sh -c 'true; (sleep 1000)'`, needs: [need(sh, path)],
    title: sh === "busybox" || sh === "zsh"
      ? `${sh} runs a subshell at the end of a -c string in place and execs its command: PID 1 is sleep`
      : `${sh} forks the subshell at the end of a -c string, which execs its command: sh → sleep`,
    opts: { argv: [path ?? sh, "-c", "true; (sleep 1000)"] },
    check: (r) => {
      if (sh === "busybox" || sh === "zsh") expectExecd(r);
      else expectShellStays(r, path!);
    },
  });
  add({
    id: `pipe-reader-${sh}`, group: "a pipeline in a script", shell: sh, display: "sleep 1000 | cat (script)", needs: [need(sh, path)],
    title: `${sh}: in \`sleep 1000 | cat\` both parts stay, children of the shell at PID 1`,
    opts: { argv: [path ?? sh, script(`pipe-reader-${sh}.sh`, "sleep 1000 | cat\n")] },
    check: (r) => {
      expect(argv0(r)).toBe(path);
      expect(r.tree.filter((p) => p.ppid === 1).map((p) => p.argv[0]).sort()).toEqual(["cat", "sleep"]);
      expectTermDropped(r);
    },
  });
}

// ---- a list run with `&`: which process runs its command (exec/statements.ts background(), execsInPlace)
const BG_LISTS: [string, string, Record<ShellName, 1 | 2> | 1 | 2][] = [
  ["subshell", "( sleep 1000 ) &", 1],
  ["subshell-two", "( true; sleep 1000 ) &", { bash: 1, dash: 1, busybox: 1, mksh: 2, zsh: 1 } as Record<ShellName, 1 | 2>],
  ["group", "{ sleep 1000; } &", { bash: 2, dash: 1, busybox: 1, mksh: 2, zsh: 1 } as Record<ShellName, 1 | 2>],
  ["group-two", "{ true; sleep 1000; } &", { bash: 2, dash: 1, busybox: 1, mksh: 2, zsh: 1 } as Record<ShellName, 1 | 2>],
  ["function", "f() { sleep 1000; }\nf &", 2],
  ["while", "( while sleep 1000; do :; done ) &", 2],
];
for (const sh of SHELL_NAMES) {
  const path = SHELLS[sh];
  for (const [id, text, depths] of BG_LISTS) {
    const depth = typeof depths === "number" ? depths : depths[sh];
    add({
      id: `bg-${id}-${sh}`, group: "background lists", shell: sh, display: `${text.replace("\n", "; ")} (script, then wait)`, needs: [need(sh, path)],
      title: depth === 1 ? `${sh}: \`${text.replace("\n", "; ")}\` leaves only sleep, a child of the shell at PID 1 (its last command is exec'd)` : `${sh}: \`${text.replace("\n", "; ")}\` keeps a subshell process: sh → sh → sleep`,
      opts: { argv: [path ?? sh, script(`bg-${id}-${sh}.sh`, `${text.replace("\\n", "\n")}\nwait\n`)] },
      check: (r) => {
        expect(argv0(r)).toBe(path);
        const sleep = r.tree.find((p) => isSleep(p.argv));
        expect(sleep).toBeDefined();
        if (depth === 1) expect(sleep!.ppid).toBe(1);
        else {
          const mid = r.tree.find((p) => p.pid === sleep!.ppid);
          expect(mid?.ppid).toBe(1);
        }
      },
    });
  }
}

for (const s of specs) {
  s.opts.settleMs ??= SETTLE;
  s.opts.graceMs ??= GRACE;
}

// ------------------------------------------------------------------ run and assert

/** The programs a measurement needs that this machine lacks (named in the skipped test's title). */
const missingOf = (s: Spec) => s.needs.filter((n) => n.path === null).map((n) => n.name);
const runnable = (s: Spec) => missingOf(s).length === 0;
const results = new Map<string, NsRunResult>();

function versions(): Record<string, string> {
  const v: Record<string, string> = {};
  const dpkg = (pkg: string) => {
    try {
      return execFileSync("dpkg-query", ["-W", "-f", "${Version}", pkg], { encoding: "utf8" }).trim();
    } catch {
      return "not installed";
    }
  };
  for (const p of ["dash", "bash", "busybox-static", "mksh", "zsh", "tini", "dumb-init", "gosu", "util-linux", "python3.11"]) v[p] = dpkg(p);
  v.node = process.version;
  v.kernel = execFileSync("uname", ["-r"], { encoding: "utf8" }).trim();
  return v;
}

afterAll(() => {
  if (!unavailable) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(unavailable !== null)(`ground truth in a PID namespace${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`, () => {
  beforeAll(async () => {
    const todo = specs.filter(runnable);
    const rs = await nsrunAll(todo.map((s) => s.opts), 8);
    todo.forEach((s, i) => results.set(s.id, rs[i]!));
    const out = process.env.GT_MEASUREMENTS_JSON;
    if (out) {
      const rows = todo.map((s) => ({ id: s.id, group: s.group, title: s.title, display: s.display, shell: s.shell ?? null, opts: s.opts, result: results.get(s.id) }));
      writeFileSync(out, JSON.stringify({ versions: versions(), dir, rows }, null, 2));
    }
  }, 120_000);

  const groups = [...new Set(specs.map((s) => s.group))];
  for (const g of groups) {
    describe(g, () => {
      for (const s of specs.filter((x) => x.group === g)) {
        const missing = missingOf(s);
        it.skipIf(missing.length > 0)(`${s.title}${missing.length ? ` (SKIPPED: ${missing.join(", ")} not installed)` : ""}`, () =>
          checkMeasured(s.id, results.get(s.id), s.check));
      }
    });
  }

  it("every process the harness started is gone (no leaks)", () => {
    for (const r of results.values()) {
      for (const p of [...r.tree, ...(r.treeAtGraceEnd ?? [])]) {
        let alive = false;
        try {
          // /proc/<pid>/status may now belong to a reused pid: compare the start argv too
          const cmd = readFileSync(`/proc/${p.hostPid}/cmdline`, "utf8").split("\0").filter(Boolean);
          alive = cmd.join(" ") === p.argv.join(" ") && p.argv.length > 0;
        } catch {
          alive = false;
        }
        expect(alive, `host pid ${p.hostPid} (${p.argv.join(" ")}) still alive`).toBe(false);
      }
    }
  });
});
