// Inits and wrappers as measured (test/ground-truth/inits.ns.test.ts): tini -g/-s, dumb-init --rewrite and
// --single-child, BusyBox su and timeout, setsid, env -i, exec -a, runsvdir, and what shells do with a STOPSIGNAL
// other than TERM. Each test runs the analyzer on a small image and checks the prediction against the measurement.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";
import { findProgram, wrapperTarget } from "../src/programs.js";
import type { ProcessNode } from "../src/types.js";

type Files = Record<string, string>;
const run = (dockerfile: string, files: Files = {}) =>
  analyze(buildModel(dockerfile, { context: memoryFs(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { content: v, mode: 0o755 }]))) }));
const tree = (n: ProcessNode | null | undefined): unknown => (n ? [n.argv.join(" "), ...n.children.map(tree)] : null);
const delivery = (a: ReturnType<typeof run>, argv0: string) => a.prediction.stop.deliveries.find((d) => d.argv0 === argv0);
const SVC2 = "#!/bin/sh\nredis-server &\nnginx -g 'daemon off;'\n";

describe("tini -g and TINI_KILL_PROCESS_GROUP: the child's process group gets the signal", () => {
  test("without -g only the child (the script) gets TERM; with -g the services it started get it too", () => {
    const plain = run('FROM debian:bookworm\nCOPY run.sh /\nENTRYPOINT ["tini", "--", "/run.sh"]\n', { "run.sh": SVC2 });
    expect(delivery(plain, "redis-server")).toMatchObject({ receives: false });
    const g = run('FROM debian:bookworm\nCOPY run.sh /\nENTRYPOINT ["tini", "-g", "--", "/run.sh"]\n', { "run.sh": SVC2 });
    expect(delivery(g, "redis-server")).toMatchObject({ receives: true, action: "graceful-stop" });
    expect(delivery(g, "nginx")).toMatchObject({ receives: true, action: "fast-stop" });
    const env = run('FROM debian:bookworm\nENV TINI_KILL_PROCESS_GROUP=1\nCOPY run.sh /\nENTRYPOINT ["tini", "--", "/run.sh"]\n', { "run.sh": SVC2 });
    expect(delivery(env, "redis-server")).toMatchObject({ receives: true });
    // -g after "--" is the program's
    const after = run('FROM debian:bookworm\nCOPY run.sh /\nENTRYPOINT ["tini", "--", "/run.sh", "-g"]\n', { "run.sh": SVC2 });
    expect(delivery(after, "redis-server")).toMatchObject({ receives: false });
  });
  test("a service the signal ends by its default action dies on delivery: tini exiting then cuts nothing short", () => {
    // the busybox image: httpd is BusyBox's applet (-f: foreground, no TERM handler, measured in programs.ns)
    const bb = run('FROM busybox\nCOPY serve.sh /\nENTRYPOINT ["/usr/bin/tini", "-g", "--"]\nCMD ["ash", "/serve.sh"]\n', { "serve.sh": "httpd -f -p 8080 -h /www\n" });
    expect(bb.prediction.processTree?.children[0]?.children[0]?.argv[0]).toBe("httpd");
    expect(delivery(bb, "httpd")).toMatchObject({ receives: true, action: "terminate" });
    expect(bb.prediction.stop.outcome).toBe("graceful");
    // where /bin/sh is BusyBox but the image is not the busybox image, httpd is still Apache's (httpd:alpine)
    const apache = run('FROM httpd:2.4-alpine\n');
    expect(apache.prediction.processTree?.program).not.toBe("busybox-httpd");
  });
  test("tini exits when its child (the script) dies, so the services are still cut short: abrupt", () => {
    const g = run('FROM debian:bookworm\nCOPY run.sh /\nENTRYPOINT ["tini", "-g", "--", "/run.sh"]\n', { "run.sh": SVC2 });
    expect(g.prediction.stop.outcome).toBe("abrupt");
  });
});

describe("a trap that waits ends only once what it waits for has stopped", () => {
  const script = "#!/bin/sh\ntrap 'wait; exit 0' TERM\nredis-server &\nwait\n";
  const df = (entry: string) => `FROM debian:bookworm\nCOPY run.sh /\nENTRYPOINT ${entry}\n`;
  test("at PID 1, or under tini, nothing sends TERM on: the handler waits for ever, killed", () => {
    expect(run(df('["/run.sh"]'), { "run.sh": script }).prediction.stop.outcome).toBe("killed");
    const t = run(df('["tini", "--", "/run.sh"]'), { "run.sh": script });
    expect(t.prediction.stop.outcome).toBe("killed");
  });
  test("under tini -g the service gets TERM, stops, and the handler's wait returns: graceful", () => {
    expect(run(df('["tini", "-g", "--", "/run.sh"]'), { "run.sh": script }).prediction.stop.outcome).toBe("graceful");
  });
});

describe("tini -s: a subreaper below PID 1", () => {
  test("a daemon's forked process goes to the nearest subreaper, not to PID 1", () => {
    // nginx.conf is copied, so that nginx is known to daemonize (it does not say "daemon off;")
    const df = 'FROM debian:bookworm\nCOPY run.sh app.sh nginx.conf /\nENTRYPOINT ["/run.sh"]\n';
    const app = { "app.sh": "#!/bin/sh\nnginx -c /nginx.conf\nexec redis-server\n", "nginx.conf": "events {}\n" };
    const withS = run(df, { "run.sh": "#!/bin/sh\ntini -s -- /app.sh\n", ...app });
    expect(tree(withS.prediction.processTree)).toEqual(["/bin/sh /run.sh", ["tini -s -- /app.sh", ["redis-server"], ["nginx -c /nginx.conf"]]]);
    const without = run(df, { "run.sh": "#!/bin/sh\ntini -- /app.sh\n", ...app });
    expect(tree(without.prediction.processTree)).toEqual(["/bin/sh /run.sh", ["tini -- /app.sh", ["redis-server"]], ["nginx -c /nginx.conf"]]);
  });
});

describe("dumb-init --single-child and --rewrite", () => {
  test("by default the group gets TERM, with --single-child (or DUMB_INIT_SETSID=0) only the child", () => {
    const group = run('FROM debian:bookworm\nCOPY run.sh /\nENTRYPOINT ["dumb-init", "/run.sh"]\n', { "run.sh": SVC2 });
    expect(delivery(group, "redis-server")).toMatchObject({ receives: true });
    const single = run('FROM debian:bookworm\nCOPY run.sh /\nENTRYPOINT ["dumb-init", "--single-child", "/run.sh"]\n', { "run.sh": SVC2 });
    expect(delivery(single, "redis-server")).toMatchObject({ receives: false });
    const env = run('FROM debian:bookworm\nENV DUMB_INIT_SETSID=0\nCOPY run.sh /\nENTRYPOINT ["dumb-init", "/run.sh"]\n', { "run.sh": SVC2 });
    expect(delivery(env, "redis-server")).toMatchObject({ receives: false });
  });
  test("--rewrite 15:3 sends QUIT for TERM (nginx's graceful stop); 15:0 drops TERM", () => {
    const q = run('FROM nginx:1.27\nSTOPSIGNAL SIGTERM\nENTRYPOINT ["dumb-init", "--rewrite", "15:3", "nginx", "-g", "daemon off;"]\n');
    expect(delivery(q, "nginx")).toMatchObject({ receives: true, action: "graceful-stop" });
    expect(q.prediction.stop.outcome).toBe("graceful");
    const short = run('FROM nginx:1.27\nSTOPSIGNAL SIGTERM\nENTRYPOINT ["dumb-init", "-r", "15:3", "nginx", "-g", "daemon off;"]\n');
    expect(delivery(short, "nginx")).toMatchObject({ action: "graceful-stop" });
    const drop = run('FROM nginx:1.27\nSTOPSIGNAL SIGTERM\nENTRYPOINT ["dumb-init", "--rewrite", "15:0", "nginx", "-g", "daemon off;"]\n');
    const plain = run('FROM nginx:1.27\nSTOPSIGNAL SIGTERM\nENTRYPOINT ["dumb-init", "nginx", "-g", "daemon off;"]\n');
    expect(delivery(plain, "nginx")).toMatchObject({ receives: true, action: "fast-stop" });
    expect(drop.prediction.stop.outcome).toBe("killed");
    expect(delivery(drop, "nginx")).toMatchObject({ receives: false });
  });
});

describe("BusyBox su and timeout: the applets of an image whose /bin/sh is BusyBox", () => {
  test("su -c on Alpine execs the shell, which execs the command: no su process remains", () => {
    const a = run('FROM alpine:3.20\nCMD ["su", "nobody", "-s", "/bin/sh", "-c", "redis-server"]\n');
    expect(tree(a.prediction.processTree)).toEqual(["redis-server"]);
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("util-linux su on Debian stays as the parent; `busybox su` there is the applet", () => {
    const d = run('FROM debian:bookworm\nCMD ["su", "nobody", "-s", "/bin/sh", "-c", "exec redis-server"]\n');
    expect(tree(d.prediction.processTree)).toEqual(["su nobody -s /bin/sh -c exec redis-server", ["redis-server"]]);
    const bb = run('FROM debian:bookworm\nRUN apt-get install -y busybox\nCMD ["busybox", "su", "nobody", "-s", "/bin/sh", "-c", "exec redis-server"]\n');
    expect(tree(bb.prediction.processTree)).toEqual(["redis-server"]);
  });
  test("su - user -c: the lone dash is su's option, not the user", () => {
    const a = run('FROM alpine:3.20\nCMD ["su", "-", "nobody", "-c", "redis-server"]\n');
    expect(tree(a.prediction.processTree)).toEqual(["redis-server"]);
  });
  test("coreutils timeout stays the parent and forwards TERM; BusyBox timeout execs the command and leaves a watcher", () => {
    const d = run('FROM debian:bookworm\nCMD ["timeout", "3600", "redis-server"]\n');
    expect(tree(d.prediction.processTree)).toEqual(["timeout 3600 redis-server", ["redis-server"]]);
    expect(d.prediction.stop.outcome).toBe("graceful");
    const a = run('FROM alpine:3.20\nCMD ["timeout", "3600", "redis-server"]\n');
    expect(tree(a.prediction.processTree)).toEqual(["redis-server", ["timeout 3600 redis-server"]]);
    expect(a.prediction.processTree!.children[0]!.role).toBe("tool");
    expect(a.findings.map((f) => f.ruleId)).not.toContain("multiple-services");
    expect(a.prediction.stop.outcome).toBe("graceful");
    // a service without a TERM handler: coreutils timeout still forwards it; with BusyBox's, PID 1 drops it
    // (app.py is read, and installs no handler: its handler is not unknown)
    const py = run('FROM alpine:3.20\nCOPY app.py /\nCMD ["timeout", "3600", "python3", "app.py"]\n', { "app.py": "import time\nwhile True:\n    time.sleep(1)\n" });
    expect(py.prediction.stop.outcome).toBe("killed");
  });
  test("timeout with a short duration is a step of the setup (duration under 300 s): the script goes on", () => {
    const a = run('FROM debian:bookworm\nCOPY run.sh /\nCMD ["/run.sh"]\n', {
      "run.sh": "#!/bin/bash\ntimeout 30 tail -F /log\nexec redis-server\n",
    });
    expect(tree(a.prediction.processTree)).toEqual(["redis-server"]);
    const pid1 = run('FROM debian:bookworm\nCMD ["timeout", "1m", "redis-server"]\n');
    expect(pid1.prediction.lifecycle.state).toBe("exits");
  });
  test("timeout --foreground sends to the command only", () => {
    const d = run('FROM debian:bookworm\nCOPY run.sh /\nCMD ["timeout", "--foreground", "3600", "/run.sh"]\n', { "run.sh": SVC2 });
    expect(delivery(d, "redis-server")).toMatchObject({ receives: false });
    const g = run('FROM debian:bookworm\nCOPY run.sh /\nCMD ["timeout", "3600", "/run.sh"]\n', { "run.sh": SVC2 });
    expect(delivery(g, "redis-server")).toMatchObject({ receives: true });
  });
});

describe("setsid forks when its process leads a process group", () => {
  test("as PID 1 (a session leader under runc) it forks and exits: the container stops at once", () => {
    const a = run('FROM debian:bookworm\nCMD ["setsid", "redis-server"]\n');
    expect(a.prediction.lifecycle.state).toBe("exits");
    expect(a.prediction.lifecycle.reason).toMatch(/setsid forks redis-server because PID 1 leads its own session/);
  });
  test("`exec setsid` in an entrypoint at PID 1 does the same", () => {
    const a = run('FROM debian:bookworm\nCOPY run.sh /\nCMD ["/run.sh"]\n', { "run.sh": "#!/bin/sh\nexec setsid redis-server\n" });
    expect(a.prediction.lifecycle.state).toBe("exits");
  });
  test("setsid -w stays as the waiting parent, without a TERM handler: killed", () => {
    const a = run('FROM debian:bookworm\nCMD ["setsid", "-w", "redis-server"]\n');
    expect(tree(a.prediction.processTree)).toEqual(["setsid -w redis-server", ["redis-server"]]);
    expect(a.prediction.stop.outcome).toBe("killed");
  });
  test("under tini (its child leads a group) setsid forks, and tini exits; under dumb-init -c it execs", () => {
    const t = run('FROM debian:bookworm\nCMD ["tini", "--", "setsid", "redis-server"]\n');
    expect(t.prediction.lifecycle.state).toBe("exits");
    const c = run('FROM debian:bookworm\nCMD ["dumb-init", "-c", "setsid", "redis-server"]\n');
    expect(tree(c.prediction.processTree)).toEqual(["dumb-init -c setsid redis-server", ["redis-server"]]);
  });
  test("a shell's child leads nothing: setsid execs in place", () => {
    const a = run('FROM debian:bookworm\nCOPY run.sh /\nCMD ["tini", "--", "/run.sh"]\n', { "run.sh": "#!/bin/sh\nsetsid redis-server\n" });
    expect(tree(a.prediction.processTree)).toEqual(["tini -- /run.sh", ["/bin/sh /run.sh", ["redis-server"]]]);
  });
});

describe("env -i, env NAME=VALUE, nohup", () => {
  const script = '#!/bin/sh\nif [ "$MODE" = cache ]; then exec redis-server; fi\nexec nginx -g "daemon off;"\n';
  test("env -i: the script does not see the image's ENV", () => {
    const keep = run('FROM debian:bookworm\nENV MODE=cache\nCOPY run.sh /\nCMD ["env", "/run.sh"]\n', { "run.sh": script });
    expect(tree(keep.prediction.processTree)).toEqual(["redis-server"]);
    const clear = run('FROM debian:bookworm\nENV MODE=cache\nCOPY run.sh /\nCMD ["env", "-i", "/run.sh"]\n', { "run.sh": script });
    expect(tree(clear.prediction.processTree)).toEqual(["nginx -g daemon off;"]);
  });
  test("env NAME=VALUE sets the variable for the command", () => {
    const a = run('FROM debian:bookworm\nCOPY run.sh /\nCMD ["env", "-i", "MODE=cache", "/run.sh"]\n', { "run.sh": script });
    expect(tree(a.prediction.processTree)).toEqual(["redis-server"]);
  });
  test("nohup execs its command in place", () => {
    expect(tree(run('FROM debian:bookworm\nCMD ["nohup", "redis-server"]\n').prediction.processTree)).toEqual(["redis-server"]);
  });
});

describe("exec -a", () => {
  test("bash: argv[0] is the name, the program is the command", () => {
    const t = run('FROM debian:bookworm\nCOPY run.sh /\nCMD ["/run.sh"]\n', { "run.sh": "#!/bin/bash\nexec -a cache redis-server\n" }).prediction.processTree!;
    expect(t.argv).toEqual(["cache"]);
    expect(t.program).toBe("redis-server");
  });
  test("dash: exec has no -a; the exec fails", () => {
    const a = run('FROM debian:bookworm\nCOPY run.sh /\nCMD ["/run.sh"]\n', { "run.sh": "#!/bin/sh\nexec -a cache redis-server\n" });
    expect(a.prediction.lifecycle.state).toBe("exits");
  });
});

describe("runsvdir: its services, and TERM", () => {
  test("services only known at run time: a placeholder runsv; TERM makes runsvdir exit without stopping them: abrupt", () => {
    const a = run('FROM alpine:3.20\nCMD ["tini", "--", "runsvdir", "/etc/service"]\n');
    expect(tree(a.prediction.processTree)).toEqual(["tini -- runsvdir /etc/service", ["runsvdir /etc/service", ["runsv …"]]]);
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
  test("services whose run files the build context puts there: one runsv each, running ./run", () => {
    const a = run('FROM debian:bookworm\nCOPY cache.sh /etc/service/cache/run\nCOPY web.sh /etc/service/web/run\nCMD ["runsvdir", "/etc/service"]\n', {
      "cache.sh": "#!/bin/sh\nexec redis-server\n",
      "web.sh": "#!/bin/sh\nexec nginx -g 'daemon off;'\n",
    });
    expect(tree(a.prediction.processTree)).toEqual(["runsvdir /etc/service", ["runsv cache", ["redis-server"]], ["runsv web", ["nginx -g daemon off;"]]]);
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
  test("a whole service directory copied (COPY service /etc/service): its subdirectories with a run file", () => {
    const a = run('FROM debian:bookworm\nCOPY service /etc/service\nCMD ["runsvdir", "/etc/service"]\n', {
      "service/cache/run": "#!/bin/sh\nexec redis-server\n",
      "service/notes/README": "not a service\n",
    });
    expect(tree(a.prediction.processTree)).toEqual(["runsvdir /etc/service", ["runsv cache", ["redis-server"]]]);
  });
});

describe("a STOPSIGNAL other than TERM reaching a shell (shellSignals, measured)", () => {
  const fgScript = "#!/bin/sh\nredis-server\n";
  const waitScript = "#!/bin/sh\nredis-server &\nwait\n";
  test("dash as PID 1 catches INT but acts only once its foreground command ends: killed", () => {
    const a = run('FROM debian:bookworm\nSTOPSIGNAL SIGINT\nCOPY run.sh /\nCMD ["/run.sh"]\n', { "run.sh": fgScript });
    expect(a.prediction.stop.deliveries[0]).toMatchObject({ receives: true, action: "deferred" });
    expect(a.prediction.stop.outcome).toBe("killed");
  });
  test("dash as PID 1 in `wait` exits on INT at once, leaving its background service to the kernel: abrupt", () => {
    const a = run('FROM debian:bookworm\nSTOPSIGNAL SIGINT\nCOPY run.sh /\nCMD ["/run.sh"]\n', { "run.sh": waitScript });
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
  test("bash as PID 1 catches INT and does nothing with it: killed", () => {
    const a = run('FROM debian:bookworm\nSTOPSIGNAL SIGINT\nCOPY run.sh /\nCMD ["/run.sh"]\n', { "run.sh": "#!/bin/bash\nredis-server &\nwait\n" });
    expect(a.prediction.stop.deliveries[0]).toMatchObject({ receives: true, action: "ignore" });
    expect(a.prediction.stop.outcome).toBe("killed");
  });
  test("QUIT and WINCH change nothing for a dash PID 1 (dropped)", () => {
    for (const sig of ["SIGQUIT", "SIGWINCH"]) {
      const a = run(`FROM debian:bookworm\nSTOPSIGNAL ${sig}\nCOPY run.sh /\nCMD ["/run.sh"]\n`, { "run.sh": waitScript });
      expect(a.prediction.stop.deliveries[0]).toMatchObject({ receives: false, action: "dropped" });
    }
  });
  test("dumb-init and INT: the service in the shell's foreground stops on it, and then the shell exits too: graceful", () => {
    const a = run('FROM debian:bookworm\nSTOPSIGNAL SIGINT\nCOPY run.sh /\nCMD ["dumb-init", "/run.sh"]\n', { "run.sh": fgScript });
    expect(a.prediction.stop.outcome).toBe("graceful");
  });
  test("a command the shell started in the background has INT ignored: python keeps it so", () => {
    const a = run('FROM python:3.12\nSTOPSIGNAL SIGINT\nCOPY run.sh /\nCMD ["dumb-init", "/run.sh"]\n', { "run.sh": "#!/bin/sh\npython app.py &\nwait\n" });
    expect(delivery(a, "python")).toMatchObject({ receives: true, action: "ignore" });
    expect(a.prediction.stop.outcome).toBe("abrupt");
  });
});

describe("short options grouped behind one dash, as getopt reads them (POSIX Utility Syntax Guideline 5)", () => {
  test("sudo -HEu git cmd: -u ends the group and takes the next word; the command is cmd, run as git", () => {
    const sudo = findProgram("sudo")!;
    expect(wrapperTarget(sudo, ["-HEu", "git", "envsubst", "A B"])).toEqual({ argv: ["envsubst", "A B"], shellCommand: null });
    expect(wrapperTarget(sudo, ["-HEugit", "redis-server"])).toEqual({ argv: ["redis-server"], shellCommand: null });
    const a = run('FROM debian:bookworm\nRUN apt-get update && apt-get install -y sudo\nCMD ["sudo", "-HEu", "redis", "redis-server"]\n');
    expect(tree(a.prediction.processTree)).toEqual(["sudo -HEu redis redis-server", ["redis-server"]]);
  });
  test("su -lc 'cmd' user: -c in a group takes the next word as the command string", () => {
    const su = findProgram("su")!;
    expect(wrapperTarget(su, ["-lc", "exec redis-server", "redis"])).toEqual({ argv: [], shellCommand: "exec redis-server" });
  });
});

describe("capsh: `--` execs a shell with the words after it (inits.ns: capsh-dashdash, capsh-shell)", () => {
  const capsh = findProgram("capsh")!;
  test("the words after -- are the shell's arguments, not a command", () => {
    expect(wrapperTarget(capsh, ["--user=nobody", "--keep=1", "--", "-c", "sleep 1000"])).toEqual({ argv: ["-c", "sleep 1000"], shellCommand: null, shellArgs: true });
    // without -- (or with nothing after it) capsh runs no command
    expect(wrapperTarget(capsh, ["--print"])).toBeNull();
    expect(wrapperTarget(capsh, ["--user=nobody", "--"])).toBeNull();
  });
  test("PID 1 is /bin/bash -c, or the shell --shell names; --user is the user the shell runs as", () => {
    const a = run('FROM debian:bookworm\nCMD ["capsh", "--user=nobody", "--keep=1", "--", "-c", "sleep 1000 >/dev/null"]\n');
    expect(tree(a.prediction.processTree)).toEqual(["/bin/bash -c sleep 1000 >/dev/null", ["sleep 1000"]]);
    const d = run('FROM debian:bookworm\nCMD ["capsh", "--shell=/bin/dash", "--", "-c", "exec sleep 1000"]\n');
    expect(tree(d.prediction.processTree)).toEqual(["sleep 1000"]);
    const p = run('FROM debian:bookworm\nCMD ["capsh", "--print"]\n');
    expect(p.prediction.lifecycle.state).toBe("exits");
  });
});
