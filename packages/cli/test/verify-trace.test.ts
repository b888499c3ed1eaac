// The kernel timeline of verify (src/verify/tracer.ts) and the comparison that names processes by what they
// exec'd (src/verify/compare.ts). The trace lines have the format tracefs printed on this machine (kernel
// 6.18, record-tgid on) for the engine tier's real-program fixtures (test-images/real-*).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { argvMatch, compare, toShape, treeMatch, type Expectation } from "../src/verify/compare.js";
import type { ObsNode, Observation } from "../src/verify/engine.js";
import { materialize, rewriteHeredocs } from "../src/verify/heredoc.js";
import { buildTimeline, describeTimeline, parseTrace, type ProcInfo } from "../src/verify/tracer.js";

const L = (comm: string, tid: number, tgid: number, t: number, body: string) =>
  `${`${comm}-${tid}`.padStart(24)}    (${String(tgid).padStart(7)}) [000] d..1. ${t.toFixed(6)}: ${body}`;
const HDR = "# tracer: nop\n#\n# entries-in-buffer/entries-written: 20/20   #P:2\n";
const MARK = L("node", 4000, 4000, 11, "tracing_mark_write: audit-image: docker stop");
const procs = (m: [number, number, string[], string][]) => new Map<number, ProcInfo>(m.map(([h, ns, argv, exe]) => [h, { nsPid: ns, argv, exe }]));

describe("parseTrace", () => {
  it("reads events, the tgid column, key=value fields and the exit_group syscall", () => {
    const ev = parseTrace(HDR + [
      L("runc:[2:INIT]", 9811, 9810, 10.5, "sched_process_fork: comm=runc:[2:INIT] pid=9810 child_comm=runc:[2:INIT] child_pid=9811"),
      L("redis-server", 9844, 9844, 10.6, "sys_exit_group(error_code: 0)"),
      L("run.sh", 9810, 9810, 10.4, "signal_generate: sig=15 errno=0 code=0 comm=redis-server pid=9844 grp=1 res=0"),
      "garbage line",
    ].join("\n"));
    expect(ev.map((e) => e.type)).toEqual(["signal_generate", "sched_process_fork", "sys_exit_group"]);
    expect(ev[1]!.comm).toBe("runc:[2:INIT]");
    expect(ev[1]!.tgid).toBe(9810);
    expect(ev[0]!.f).toMatchObject({ sig: "15", comm: "redis-server", pid: "9844", res: "0" });
    expect(ev[2]!.f.error_code).toBe("0");
  });
});

describe("buildTimeline", () => {
  it("abrupt: PID 1's trap exits 0 and the kernel SIGKILLs the background sleep when PID 1 exits", () => {
    const ev = parseTrace(HDR + [
      L("run.sh", 100, 100, 10.0, "sched_process_exec: filename=/run.sh pid=100 old_pid=100"),
      L("run.sh", 100, 100, 10.001, "sched_process_fork: comm=run.sh pid=100 child_comm=run.sh child_pid=101"),
      L("sleep", 101, 101, 10.002, "sched_process_exec: filename=/usr/bin/sleep pid=101 old_pid=101"),
      MARK,
      L("runc", 50, 50, 11.01, "signal_generate: sig=15 errno=0 code=0 comm=run.sh pid=100 grp=1 res=0"),
      L("run.sh", 100, 100, 11.011, "signal_deliver: sig=15 errno=0 code=0 sa_handler=5600aa sa_flags=4000000"),
      L("run.sh", 100, 100, 11.012, "sys_exit_group(error_code: 0)"),
      L("run.sh", 100, 100, 11.0121, "sched_process_exit: comm=run.sh pid=100 prio=120 group_dead=true"),
      L("run.sh", 100, 100, 11.0122, "signal_generate: sig=9 errno=0 code=128 comm=sleep pid=101 grp=1 res=0"),
      L("sleep", 101, 101, 11.013, "signal_deliver: sig=9 errno=0 code=128 sa_handler=0 sa_flags=0"),
      L("sleep", 101, 101, 11.0131, "sched_process_exit: comm=sleep pid=101 prio=120 group_dead=true"),
    ].join("\n"));
    const tl = buildTimeline(ev, 100, procs([[100, 1, ["/bin/sh", "/run.sh"], "dash"], [101, 7, ["sleep", "1000"], "sleep"]]), "SIGTERM");
    expect(tl.outcome).toBe("abrupt");
    expect(tl.pid1ExitAt).toBeCloseTo(0.012, 3);
    const sleep = tl.processes.find((p) => p.pid === 7)!;
    expect(sleep.program).toBe("/usr/bin/sleep");
    expect(sleep.exit).toMatchObject({ signal: "SIGKILL", by: "the kernel, when PID 1 exited" });
    expect(tl.processes.find((p) => p.pid === 1)!.exit).toMatchObject({ status: 0, signal: null });
    expect(tl.receivers.map((r) => r.program)).toEqual(["/run.sh"]);
    expect(tl.reason).toMatch(/SIGKILLed sleep \(pid 7\), which never got SIGTERM/);
    expect(describeTimeline(tl).join("\n")).toMatch(/PID 7 sleep: SIGKILL from the kernel, when PID 1 exited at \+0\.01 s \(default action\), died of SIGKILL/);
  });

  it("abrupt: the kernel's SIGKILL at PID 1's exit comes from a thread the container trace does not follow (only the signal trace has it)", () => {
    // memcached at PID 1: its last thread to exit is a worker made before the trace began, so "proc" lacks the
    // event; the system-wide "sig" instance has it (engine: sh-service-start-then-exec judged graceful 2 runs in 4)
    const ev = parseTrace(HDR + [
      L("memcached", 100, 100, 10.0, "sched_process_exec: filename=/usr/bin/memcached pid=100 old_pid=100"),
      MARK,
      L("runc", 50, 50, 11.01, "signal_generate: sig=15 errno=0 code=0 comm=memcached pid=100 grp=1 res=0"),
      L("memcached", 100, 100, 11.011, "signal_deliver: sig=15 errno=0 code=0 sa_handler=5600aa sa_flags=4000000"),
      L("memcached", 100, 100, 11.5, "sched_process_exit: comm=memcached pid=100 prio=120 group_dead=false"),
      L("memcached", 102, 100, 11.5001, "signal_generate: sig=9 errno=0 code=128 comm=cron pid=130 grp=1 res=0"),
      L("cron", 130, 130, 11.5002, "signal_deliver: sig=9 errno=0 code=128 sa_handler=0 sa_flags=0"),
      L("cron", 130, 130, 11.5003, "sched_process_exit: comm=cron pid=130 prio=120 group_dead=true"),
    ].join("\n")).map((e) => ({ ...e, src: e.type === "signal_generate" ? "sig" : "proc" }));
    // the same signal sent inside the container and seen by both instances is counted once
    const twice = parseTrace(HDR + L("memcached", 100, 100, 11.2, "signal_generate: sig=10 errno=0 code=0 comm=cron pid=130 grp=1 res=0"));
    const all = [...ev, ...twice.map((e) => ({ ...e, src: "proc" })), ...twice.map((e) => ({ ...e, src: "sig" }))].sort((a, b) => a.t - b.t);
    const tl = buildTimeline(all, 100, procs([[100, 1, ["memcached", "-u", "memcache"], "memcached"], [130, 30, ["/usr/sbin/cron"], "cron"]]), "SIGTERM");
    const cron = tl.processes.find((p) => p.pid === 30)!;
    expect(cron.exit).toMatchObject({ signal: "SIGKILL", by: "the kernel, when PID 1 exited" });
    expect(cron.signals.filter((x) => x.signal === "SIGUSR1")).toHaveLength(1);
    expect(tl.outcome).toBe("abrupt");
  });

  it("graceful: nginx's workers (forked, no exec) are folded into it; the other threads' SIGKILL at exec is not a signal to it", () => {
    const ev = parseTrace(HDR + [
      L("runc:[2:INIT]", 201, 200, 10.0, "signal_deliver: sig=9 errno=0 code=0 sa_handler=0 sa_flags=0"),
      L("nginx", 200, 200, 10.001, "sched_process_exec: filename=/usr/sbin/nginx pid=200 old_pid=200"),
      L("nginx", 200, 200, 10.01, "sched_process_fork: comm=nginx pid=200 child_comm=nginx child_pid=206"),
      L("nginx", 200, 200, 10.02, "sched_process_fork: comm=nginx pid=200 child_comm=nginx child_pid=207"),
      MARK,
      L("runc", 50, 50, 11.03, "signal_generate: sig=15 errno=0 code=0 comm=nginx pid=200 grp=1 res=0"),
      L("nginx", 200, 200, 11.031, "signal_deliver: sig=15 errno=0 code=0 sa_handler=55aa sa_flags=4000000"),
      L("nginx", 206, 206, 11.04, "sys_exit_group(error_code: 0)"),
      L("nginx", 206, 206, 11.041, "sched_process_exit: comm=nginx pid=206 prio=120 group_dead=true"),
      L("nginx", 207, 207, 11.042, "sched_process_exit: comm=nginx pid=207 prio=120 group_dead=true"),
      L("nginx", 200, 200, 11.05, "sys_exit_group(error_code: 0)"),
      L("nginx", 200, 200, 11.051, "sched_process_exit: comm=nginx pid=200 prio=120 group_dead=true"),
    ].join("\n"));
    const tl = buildTimeline(ev, 200, procs([[200, 1, ["nginx: master process nginx -g daemon off;"], "nginx"], [206, 6, ["nginx: worker process"], "nginx"], [207, 7, ["nginx: worker process"], "nginx"]]), "SIGTERM");
    expect(tl.outcome).toBe("graceful");
    expect(tl.processes.filter((p) => p.workerOf === 1).map((p) => p.pid)).toEqual([6, 7]);
    expect(tl.processes.find((p) => p.pid === 1)!.signals.map((s) => s.signal)).toEqual(["SIGTERM"]);
    expect(tl.receivers).toEqual([{ pid: 1, hostPid: 200, program: "/usr/sbin/nginx" }]);
  });

  it("killed: the stop signal is dropped at PID 1 (no handler) and the runtime's SIGKILL ends it", () => {
    const ev = parseTrace(HDR + [
      L("run.sh", 300, 300, 10.0, "sched_process_exec: filename=/run.sh pid=300 old_pid=300"),
      L("run.sh", 300, 300, 10.01, "sched_process_fork: comm=run.sh pid=300 child_comm=run.sh child_pid=307"),
      L("redis-server", 307, 307, 10.02, "sched_process_exec: filename=/usr/bin/redis-server pid=307 old_pid=307"),
      MARK,
      L("runc", 50, 50, 11.02, "signal_generate: sig=15 errno=0 code=0 comm=run.sh pid=300 grp=1 res=1"),
      L("runc", 51, 51, 14.04, "signal_generate: sig=9 errno=0 code=0 comm=run.sh pid=300 grp=1 res=0"),
      L("run.sh", 300, 300, 14.041, "signal_deliver: sig=9 errno=0 code=0 sa_handler=0 sa_flags=0"),
      L("run.sh", 300, 300, 14.042, "sched_process_exit: comm=run.sh pid=300 prio=120 group_dead=true"),
      L("run.sh", 300, 300, 14.043, "signal_generate: sig=9 errno=0 code=128 comm=redis-server pid=307 grp=1 res=0"),
      L("run.sh", 300, 300, 14.043, "signal_generate: sig=9 errno=0 code=128 comm=bio_close_file pid=308 grp=1 res=0"),
      L("bio_close_file", 308, 307, 14.0435, "sched_process_exit: comm=bio_close_file pid=308 prio=120 group_dead=false"),
      L("redis-server", 307, 307, 14.044, "signal_deliver: sig=9 errno=0 code=128 sa_handler=0 sa_flags=0"),
      L("redis-server", 307, 307, 14.045, "sched_process_exit: comm=redis-server pid=307 prio=120 group_dead=true"),
    ].join("\n"));
    const tl = buildTimeline(ev, 300, procs([[300, 1, ["/bin/sh", "/run.sh"], "dash"], [307, 7, ["redis-server *:6379"], "redis-check-rdb"]]), "SIGTERM");
    expect(tl.outcome).toBe("killed");
    const p1 = tl.processes.find((p) => p.pid === 1)!;
    expect(p1.signals[0]).toMatchObject({ signal: "SIGTERM", result: "ignored" });
    const redis = tl.processes.find((p) => p.pid === 7)!;
    expect(redis.signals.filter((s) => s.signal === "SIGKILL")).toHaveLength(1); // one per process, not per thread
    expect(redis.program).toBe("/usr/bin/redis-server");
    expect(tl.receivers).toEqual([]);
  });

  it("a process alive at the stop whose exit the trace does not hold leaves the outcome unknown, never graceful", () => {
    const ev = parseTrace(HDR + [
      L("run.sh", 400, 400, 10.0, "sched_process_exec: filename=/run.sh pid=400 old_pid=400"),
      L("run.sh", 400, 400, 10.01, "sched_process_fork: comm=run.sh pid=400 child_comm=run.sh child_pid=401"),
      MARK,
      L("runc", 50, 50, 11.02, "signal_generate: sig=15 errno=0 code=0 comm=run.sh pid=400 grp=1 res=0"),
      L("run.sh", 400, 400, 11.03, "sched_process_exit: comm=run.sh pid=400 prio=120 group_dead=true"),
    ].join("\n"));
    const tl = buildTimeline(ev, 400, procs([[400, 1, ["/bin/sh", "/run.sh"], "dash"], [401, 7, ["worker"], "worker"]]), "SIGTERM");
    expect(tl.outcome).toBe("unknown");
    expect(tl.reason).toMatch(/no exit of worker \(pid 7\)/);
    expect(tl.processes.find((p) => p.pid === 7)!.workerOf).toBe(null); // a shell's fork is a subshell, not a worker
  });
});

describe("naming processes by what they exec'd", () => {
  it("a #! script through its interpreter, a retitled service, and a real difference", () => {
    expect(argvMatch(["supervisord", "-n"], { argv: ["/usr/bin/python3", "/usr/bin/supervisord", "-n"], program: "/usr/bin/supervisord", exe: "python3.11" }).how).toBe("interpreter");
    expect(argvMatch(["nginx", "-g", "daemon off;"], { argv: ["nginx: master process nginx -g daemon off;"], program: "/usr/sbin/nginx", exe: "nginx" }).how).toBe("title");
    expect(argvMatch(["redis-server", "--save", ""], { argv: ["redis-server *:6379"], program: "/usr/bin/redis-server", exe: "redis-check-rdb" }).how).toBe("title");
    // the exec not traced (the program is the process's own name): the title that names it is enough
    expect(argvMatch(["redis-server", "--save", ""], { argv: ["redis-server *:6379", ""], program: "redis-check-rdb", exe: "redis-check-rdb" }).how).toBe("title");
    expect(argvMatch(["redis-server", "--save", ""], { argv: ["memcached -p 11211"], program: "memcached", exe: "memcached" }).ok).toBe(false);
    // the title starts with the program's name, but another program ran: no match
    expect(argvMatch(["redis-server"], { argv: ["redis-server *:6379"], program: "/usr/bin/memcached", exe: "memcached" }).ok).toBe(false);
    // npm retitles itself through process.title (the old argv area left as empty strings); npm 9 runs `sh -c`, predicted as /bin/sh
    expect(argvMatch(["npm", "start"], { argv: ["npm start", "", "", ""], program: "/usr/bin/npm", exe: "node" }).how).toBe("title");
    expect(argvMatch(["/bin/sh", "-c", "node server.js"], { argv: ["sh", "-c", "node server.js"], program: "/usr/bin/sh", exe: "dash" }).ok).toBe(true);
    // through `#!/usr/bin/env X` the last program exec'd is the interpreter; a title that is the predicted command line
    expect(argvMatch(["celery", "worker"], { argv: ["python3", "/usr/bin/celery", "worker"], program: "/usr/bin/python3.11", exe: "python3.11" }).ok).toBe(false);
    expect(argvMatch(["celery", "worker"], { argv: ["python3", "/usr/bin/celery", "worker"], program: "/usr/bin/python3", exe: "python3.11" }).how).toBe("interpreter");
    expect(argvMatch(["celery", "worker"], { argv: ["python3", "/usr/bin/celery", "beat"], program: "/usr/bin/python3", exe: "python3.11" }).ok).toBe(false);
    expect(argvMatch(["npm", "start"], { argv: ["npm start", "", ""], program: "/usr/bin/node", exe: "node" }).how).toBe("title");
    // Debian's php-fpm8.2 retitles itself with the family name: matched when php-fpm8.2 is what was exec'd
    expect(argvMatch(["php-fpm8.2", "-F"], { argv: ["php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)"], program: "/usr/sbin/php-fpm8.2", exe: "php-fpm8.2" }).how).toBe("title");
    expect(argvMatch(["php-fpm8.2", "-F"], { argv: ["php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)"], program: "/usr/sbin/php-fpm7.4", exe: "php-fpm7.4" }).ok).toBe(false);
    expect(argvMatch(["nginx-debug"], { argv: ["nginx: master process nginx-debug"], program: "/usr/sbin/nginx-debug", exe: "nginx-debug" }).ok).toBe(false);
    // without a trace, /proc/PID/exe names the program
    expect(argvMatch(["nginx", "-g", "daemon off;"], { argv: ["nginx: master process nginx -g daemon off;"], exe: "nginx" }).ok).toBe(true);
    expect(argvMatch(["python3", "app.py"], { argv: ["python3", "other.py"], exe: "python3.11" }).ok).toBe(false);
  });

  it("folds a service's workers, but not a child the prediction lacks that exec'd something else", () => {
    const pred = toShape([["nginx", "-g", "daemon off;"], "service", []])!;
    const node = (argv: string[], program: string, worker: boolean | undefined, children: ObsNode[] = [], pid = 1): ObsNode =>
      ({ argv, pid, zombie: false, exe: path.basename(program), program, ...(worker !== undefined ? { worker } : {}), children });
    const notes: string[] = [];
    const obs = node(["nginx: master process nginx -g daemon off;"], "/usr/sbin/nginx", false, [node(["nginx: worker process"], "/usr/sbin/nginx", true, [], 6), node(["nginx: worker process"], "/usr/sbin/nginx", true, [], 7)]);
    expect(treeMatch(pred, obs, notes)).toBe(true);
    expect(notes.join("\n")).toMatch(/forked 2 workers of its own \(pid 6, pid 7\): folded into it/);
    const other = node(["nginx: master process nginx -g daemon off;"], "/usr/sbin/nginx", false, [node(["sleep", "5"], "/usr/bin/sleep", false, [], 6)]);
    expect(treeMatch(pred, other, [])).toBe(false);
    // without a trace: a shell's same-executable child is not taken for a worker
    const sh = toShape([["/bin/sh", "/run.sh"], "shell", []])!;
    const shObs: ObsNode = { argv: ["/bin/sh", "/run.sh"], pid: 1, zombie: false, exe: "dash", children: [{ argv: ["/bin/sh", "/run.sh"], pid: 7, zombie: false, exe: "dash", children: [] }] };
    expect(treeMatch(sh, shObs, [])).toBe(false);
  });

  it("a reader of PID 1's output (process substitution) that the kernel SIGKILLs as PID 1 exits does not make the stop abrupt when the prediction says it ends with its writer", () => {
    const tree: ObsNode = {
      argv: ["redis-server *:6379"], pid: 1, hostPid: 100, zombie: false, exe: "redis-server", program: "/usr/bin/redis-server",
      children: [{ argv: ["cat"], pid: 7, hostPid: 107, zombie: false, exe: "cat", program: "/usr/bin/cat", children: [] }],
    };
    const cat = { pid: 7, hostPid: 107, program: "/usr/bin/cat", argv: ["cat"], startedAt: -1, workerOf: null, signals: [], exit: { t: 0.1, status: null, signal: "SIGKILL", by: "the kernel, when PID 1 exited" } };
    const obs = {
      image: "x", lifecycle: "runs", pid1: tree.argv, tree, zombies: 0, exitCode: 0, runError: null, logs: [], logsCut: false, standins: [], settleMs: 0,
      source: "proc", tracer: "kernel", notes: [],
      stop: { signal: "SIGTERM", seconds: 0.1, exitCode: 0, killed: false, outcome: "abrupt" },
      timeline: { stopAt: 0, pid1ExitAt: 0.1, processes: [cat], outcome: "abrupt", reason: "", notes: [], receivers: [] },
    } as unknown as Observation;
    const exp: Expectation = {
      lifecycle: "runs", pid1: ["redis-server"], tree: toShape([["redis-server"], "service", [[["cat"], "helper", []]]]),
      outcome: "graceful", exitCode: null, stopSignal: "SIGTERM",
    };
    expect(compare(exp, obs).agreement.stop).toBe(false);
    expect(compare({ ...exp, readers: ["cat"] }, obs).agreement.stop).toBe(true);
  });

  it("compares who received the stop signal, naming a traced process as the prediction does", () => {
    const tree: ObsNode = {
      argv: ["/bin/sh", "/run.sh"], pid: 1, hostPid: 100, zombie: false, exe: "dash", program: "/run.sh",
      children: [{ argv: ["redis-server *:6379"], pid: 7, hostPid: 107, zombie: false, exe: "redis-check-rdb", program: "/usr/bin/redis-server", children: [] }],
    };
    const obs = {
      image: "x", lifecycle: "runs", pid1: tree.argv, tree, zombies: 0, exitCode: 0, runError: null, logs: [], logsCut: false, standins: [], settleMs: 0,
      source: "proc", tracer: "kernel", notes: [],
      stop: { signal: "SIGTERM", seconds: 0.1, exitCode: 0, killed: false, outcome: "graceful" },
      timeline: { stopAt: 0, pid1ExitAt: 0.1, processes: [], outcome: "graceful", reason: "", notes: [], receivers: [{ pid: 1, hostPid: 100, program: "/run.sh" }, { pid: 7, hostPid: 107, program: "/usr/bin/redis-server" }] },
    } as Observation;
    const exp: Expectation = {
      lifecycle: "runs", pid1: ["/bin/sh", "/run.sh"], tree: toShape([["/bin/sh", "/run.sh"], "shell", [[["redis-server", "--save", ""], "helper", []]]]),
      outcome: "graceful", exitCode: null, stopSignal: "SIGTERM", receivers: ["/bin/sh", "redis-server"],
    };
    const ok = compare(exp, obs);
    expect(ok.agrees).toBe(true);
    expect(ok.agreement.receivers).toBe(true);
    const wrong = compare({ ...exp, receivers: ["/bin/sh"] }, obs);
    expect(wrong.agrees).toBe(false);
    expect(wrong.rows.find((r) => r.agrees === false)!.field).toBe("received");
    // a process predicted to ignore the signal is left out on both sides (SIG_IGN is discarded when sent; a
    // do-nothing handler catches it)
    const ign = { ...exp, receivers: ["/bin/sh", "redis-server"], receiversIgnoring: ["/bin/sh"] };
    expect(compare(ign, obs).agreement.receivers).toBe(true);
    const onlyRedis = { ...obs, timeline: { ...obs.timeline!, receivers: [obs.timeline!.receivers[1]!] } } as Observation;
    expect(compare(ign, onlyRedis).agreement.receivers).toBe(true);
    expect(compare({ ...exp, outcome: "unknown" }, obs).agreement.receivers).toBeUndefined();
    // a wrong outcome is named as such; an unknown observation is no disagreement, and never graceful
    const abrupt = compare(exp, { ...obs, stop: { ...obs.stop!, outcome: "abrupt" } });
    expect(abrupt.rows.filter((r) => r.agrees === false).map((r) => r.field)).toEqual(["stop"]);
    const unknown = compare(exp, { ...obs, timeline: null, stop: { ...obs.stop!, outcome: "unknown" } });
    expect(unknown.agreement.stop).toBe(null);
    expect(unknown.agrees).toBe(true);
  });
});

describe("the heredoc rewrite copies the context faithfully", () => {
  it("keeps relative links relative, applies .dockerignore, skips a FIFO with a note", () => {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), "ai-ctx-"));
    const dst = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ai-dst-")), "c");
    fs.mkdirSync(path.join(src, "bin"));
    fs.writeFileSync(path.join(src, "bin/run.sh"), "#!/bin/sh\n", { mode: 0o755 });
    fs.symlinkSync("bin/run.sh", path.join(src, "entry"));
    fs.writeFileSync(path.join(src, "secret.env"), "X=1\n");
    fs.writeFileSync(path.join(src, ".dockerignore"), "*.env\n");
    const fifo = spawnSync("mkfifo", [path.join(src, "pipe")]).status === 0;
    const notes: string[] = [];
    materialize(src, rewriteHeredocs("FROM debian\nCOPY <<E /x\nhi\nE\n"), dst, notes);
    expect(fs.readlinkSync(path.join(dst, "entry"))).toBe("bin/run.sh");
    expect(fs.statSync(path.join(dst, "bin/run.sh")).mode & 0o777).toBe(0o755);
    expect(fs.existsSync(path.join(dst, "secret.env"))).toBe(false);
    expect(notes.join("\n")).toMatch(/\.dockerignore excluded 1 path/);
    if (fifo) {
      expect(fs.existsSync(path.join(dst, "pipe"))).toBe(false);
      expect(notes.join("\n")).toMatch(/pipe \(a FIFO\) was not copied/);
    }
  });
});

describe("without the trace, a retitled process's program is confirmed through its files", () => {
  const nodeDir = path.dirname(process.execPath);
  it.skipIf(!["/usr/local/bin", "/usr/bin", "/bin"].includes(nodeDir))("a title whose first word is the file it runs", async () => {
    const { confirmPrograms } = await import("../src/verify/engine.js");
    const { spawn } = await import("node:child_process");
    // node retitles itself (process.title overwrites its argv, as nginx and redis do)
    const child = spawn(process.execPath, ["-e", "process.title = 'node: worker of something'; setTimeout(() => {}, 5000)"], { stdio: "ignore" });
    try {
      let argv: string[] = [];
      for (let i = 0; i < 50 && !/worker of/.test(argv[0] ?? ""); i++) {
        await new Promise((r) => setTimeout(r, 50));
        argv = fs.readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      }
      const n: ObsNode = { argv, pid: 7, hostPid: child.pid!, zombie: false, exe: path.basename(fs.readlinkSync(`/proc/${child.pid}/exe`)), children: [] };
      confirmPrograms(n);
      expect(n.program).toBe(`${nodeDir}/node`);
      // a title naming another program is not confirmed
      const other: ObsNode = { ...n, argv: ["python3: worker"], program: undefined } as ObsNode;
      delete (other as { program?: string }).program;
      confirmPrograms(other);
      expect(other.program).toBeUndefined();
    } finally {
      child.kill("SIGKILL");
    }
  });
});
