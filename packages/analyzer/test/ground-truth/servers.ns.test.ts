/**
 * Ground truth for application servers and runners people put at PID 1 (Python ASGI/WSGI servers, Twisted, Celery,
 * Flask's development server, foreman, the Erlang VM, mysqld_safe): each runs as PID 1 of a fresh PID namespace
 * (nsrun.ts) and gets the stop signal from the host, as docker stop sends it. The catalog entries cite the cases.
 *
 * Needs root and util-linux unshare; a missing program is a visible skip. Install (Debian 12):
 *   apt-get install --no-install-recommends uvicorn python3-hypercorn daphne python3-twisted celery python3-flask \
 *     ruby-foreman erlang-base mariadb-server nodejs python3-waitress
 */
import { afterAll, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import catalog from "../../src/data/programs.json" with { type: "json" };
import { findProgram, nsrunUnavailable, type NsRunOptions, type NsRunResult } from "./nsrun.js";
import { describeMeasured, scratchDir, type MeasuredSpec } from "./measured.js";

const unavailable = nsrunUnavailable();
if (unavailable) console.warn(`[ground-truth] servers: namespace measurements SKIPPED: ${unavailable}`);
const { dir, file } = scratchDir("servers", unavailable);
const THIS = "packages/analyzer/test/ground-truth/servers.ns.test.ts";
const P = (n: string) => findProgram(n);
const PY = existsPython();
function existsPython(): string | null {
  // the Debian packages' python (not a pyenv shim)
  const p = "/usr/bin/python3";
  try {
    execFileSync(p, ["-c", "0"]);
    return p;
  } catch {
    return null;
  }
}
const pyHas = (mod: string): string | null => {
  if (!PY || unavailable) return null;
  try {
    execFileSync(PY, ["-c", `import ${mod}`], { stdio: "ignore" });
    return PY;
  } catch {
    return null;
  }
};

const py = join(dir, "py");
file(
  "py/asgi.py",
  `async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            m = await receive()
            if m["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif m["type"] == "lifespan.shutdown":
                print("app lifespan shutdown", flush=True)
                await send({"type": "lifespan.shutdown.complete"})
                return
    else:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
`,
);
file("py/tasks.py", 'from celery import Celery\napp = Celery("tasks", broker="memory://", backend="cache+memory://")\n\n@app.task\ndef add(x, y):\n    return x + y\n');
file("py/wsgi.py", 'def app(environ, start_response):\n    start_response("200 OK", [])\n    return [b"ok"]\n');
file("py/flaskapp.py", 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/")\ndef hi():\n    return "ok"\n');
// foreman: a Procfile whose process takes 1.5 s to stop after TERM
file(
  "fm/server.js",
  'console.log("server ready " + process.pid);\nprocess.on("SIGTERM", () => { console.log("server got SIGTERM"); setTimeout(() => { console.log("server done"); process.exit(0); }, 1500); });\nsetInterval(() => {}, 1000);\n',
);
file("fm/Procfile", `web: node ${join(dir, "fm", "server.js")}\n`);

// mysqld_safe: a datadir made once, owned by mysql
const myRoot = join(dir, "my");
const MYSQLD_SAFE = P("mysqld_safe") && P("mariadb-install-db") ? P("mysqld_safe") : null;
if (MYSQLD_SAFE && !unavailable) {
  mkdirSync(myRoot, { recursive: true });
  chmodSync(dir, 0o755);
  execFileSync("chown", ["mysql", myRoot]);
  execFileSync("mariadb-install-db", ["--user=mysql", `--datadir=${myRoot}/d`, "--auth-root-authentication-method=normal", "--skip-test-db"], { stdio: "ignore", timeout: 120000 });
}

const env = (extra: Record<string, string> = {}) => ({ PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: py, PYTHONUNBUFFERED: "1", ...extra });
let port = 21950;
const nextPort = () => String(port++);
const run = (argv: string[], o: Partial<NsRunOptions> & { signal: string }): NsRunOptions => ({ argv, env: env(), cwd: py, settleMs: 500, graceMs: 6000, hardTimeoutMs: 40000, ...o });
const out = (r: NsRunResult) => r.stdout + r.stderr;
const exitsWith = (code: number) => (r: NsRunResult) => {
  expect(r.outcome).toBe("exited-after-signal");
  expect(r.exit.code).toBe(code);
};
const killed = (r: NsRunResult) => expect(r.outcome).toBe("killed-after-grace");

const UVICORN = P("uvicorn");
const HYPERCORN = P("hypercorn");
const DAPHNE = P("daphne");
const TWISTD = P("twistd3") ?? P("twistd");
const TWIST = P("twist3") ?? P("twist");
const WAITRESS = P("waitress-serve");
const CELERY = P("celery");
const FLASK = pyHas("flask");
const FOREMAN = P("foreman");
const NODE = P("node");
const ERL = P("erl");

const specs: MeasuredSpec[] = [
  ...(["TERM", "INT"] as const).map((s): MeasuredSpec => ({
    id: `uvicorn-${s.toLowerCase()}`, group: "uvicorn", title: `uvicorn asgi:app (${s}): lifespan shutdown, exit 0`, needs: [UVICORN],
    opts: run(["uvicorn", "asgi:app", "--port", nextPort()], { waitFor: "Uvicorn running", signal: s }),
    check: (r) => { exitsWith(0)(r); expect(out(r)).toMatch(/app lifespan shutdown/); },
  })),
  {
    id: "uvicorn-quit", group: "uvicorn", title: "uvicorn asgi:app (QUIT): not caught, dropped at PID 1", needs: [UVICORN],
    opts: run(["uvicorn", "asgi:app", "--port", nextPort()], { waitFor: "Uvicorn running", signal: "QUIT", graceMs: 3000 }),
    check: (r) => { killed(r); expect(r.dispositions?.caught).not.toContain("QUIT"); expect(r.dispositions?.caught).not.toContain("HUP"); },
  },
  {
    id: "uvicorn-workers-term", group: "uvicorn", title: "uvicorn --workers 2 (TERM): the supervisor stops both workers, waits, exits 0", needs: [UVICORN],
    opts: run(["uvicorn", "asgi:app", "--port", nextPort(), "--workers", "2"], { waitFor: /Application startup complete[\s\S]*Application startup complete/, settleMs: 1000, signal: "TERM" }),
    check: (r) => {
      exitsWith(0)(r);
      expect(r.tree.length).toBeGreaterThanOrEqual(3);
      expect(out(r).match(/Finished server process/g)?.length).toBe(2);
    },
  },
  ...(["TERM", "INT"] as const).map((s): MeasuredSpec => ({
    id: `hypercorn-${s.toLowerCase()}`, group: "hypercorn", title: `hypercorn asgi:app (${s}): lifespan shutdown, exit 0`, needs: [HYPERCORN],
    opts: run(["hypercorn", "-b", `127.0.0.1:${nextPort()}`, "asgi:app"], { waitFor: "Running on", signal: s }),
    check: (r) => { exitsWith(0)(r); expect(out(r)).toMatch(/app lifespan shutdown/); },
  })),
  {
    id: "hypercorn-quit", group: "hypercorn", title: "hypercorn asgi:app (QUIT): not caught, dropped at PID 1", needs: [HYPERCORN],
    opts: run(["hypercorn", "-b", `127.0.0.1:${nextPort()}`, "asgi:app"], { waitFor: "Running on", signal: "QUIT", graceMs: 3000 }),
    check: killed,
  },
  ...(["TERM", "INT"] as const).map((s): MeasuredSpec => ({
    id: `daphne-${s.toLowerCase()}`, group: "daphne", title: `daphne asgi:app (${s}): exit 0`, needs: [DAPHNE],
    opts: run(["daphne", "-p", nextPort(), "asgi:app"], { waitFor: "Listening on", signal: s }),
    check: exitsWith(0),
  })),
  {
    id: "twistd-term", group: "twistd", title: "twistd -n web (TERM): \"Received SIGTERM, shutting down\", exit 0", needs: [TWISTD],
    opts: run([TWISTD ?? "twistd", "-n", "web", "--listen", `tcp:${nextPort()}`, "--path", py], { waitFor: "Starting factory", signal: "TERM" }),
    check: (r) => { exitsWith(0)(r); expect(out(r)).toMatch(/Received SIGTERM, shutting down/); expect(r.dispositions?.caught).toContain("INT"); },
  },
  {
    id: "twistd-no-n", group: "twistd", title: "twistd web without -n: daemonizes, its first process exits 0", needs: [TWISTD],
    opts: run([TWISTD ?? "twistd", "--pidfile", join(py, "twistd-daemon.pid"), "--logfile", join(py, "twistd-daemon.log"), "web", "--listen", `tcp:${nextPort()}`, "--path", py], { signal: null as unknown as string, hardTimeoutMs: 20000 }),
    check: (r) => { expect(r.outcome).toBe("exited-before-signal"); expect(r.exit.code).toBe(0); },
  },
  {
    id: "twist-term", group: "twistd", title: "twist web (TERM): exit 0", needs: [TWIST],
    opts: run([TWIST ?? "twist", "web", "--listen", `tcp:${nextPort()}`, "--path", py], { settleMs: 3000, signal: "TERM" }),
    check: (r) => { exitsWith(0)(r); expect(r.dispositions?.caught).toContain("INT"); },
  },
  {
    id: "waitress-serve-term", group: "waitress", title: "waitress-serve wsgi:app (TERM): no handler, dropped at PID 1", needs: [WAITRESS],
    opts: run(["waitress-serve", `--listen=127.0.0.1:${nextPort()}`, "wsgi:app"], { waitFor: "Serving on", signal: "TERM", graceMs: 3000 }),
    check: (r) => { killed(r); expect(r.dispositions?.caught).not.toContain("TERM"); expect(r.dispositions?.caught).toContain("INT"); },
  },
  {
    id: "celery-worker-term", group: "celery", title: "celery -A tasks worker --pool=solo (TERM): warm shutdown, exit 0", needs: [CELERY],
    opts: run(["celery", "-A", "tasks", "worker", "--pool=solo", "-l", "info"], { waitFor: "ready.", settleMs: 1000, signal: "TERM" }),
    check: (r) => { exitsWith(0)(r); expect(out(r)).toMatch(/Warm shutdown/); },
  },
  {
    id: "flask-run-term", group: "flask", title: "flask run (TERM): no handler, dropped at PID 1", needs: [FLASK],
    opts: run([FLASK ?? "python3", "-m", "flask", "--app", "flaskapp", "run", "--port", nextPort()], { waitFor: "Running on", signal: "TERM", graceMs: 3000 }),
    check: (r) => { killed(r); expect(r.dispositions?.caught).not.toContain("TERM"); expect(r.dispositions?.caught).toContain("INT"); },
  },
  {
    id: "flask-run-int", group: "flask", title: "flask run (INT): KeyboardInterrupt ends it", needs: [FLASK],
    opts: run([FLASK ?? "python3", "-m", "flask", "--app", "flaskapp", "run", "--port", nextPort()], { waitFor: "Running on", signal: "INT" }),
    check: (r) => expect(r.outcome).toBe("exited-after-signal"),
  },
  {
    id: "foreman-term", group: "foreman", title: "foreman start (TERM): TERM to every process, waits, exit 0", needs: [FOREMAN, NODE],
    opts: run(["foreman", "start"], { cwd: join(dir, "fm"), waitFor: "server ready", settleMs: 800, signal: "TERM" }),
    check: (r) => {
      exitsWith(0)(r);
      expect(out(r)).toMatch(/sending SIGTERM to all processes/);
      expect(out(r)).toMatch(/server done/);
    },
  },
  {
    id: "erl-term", group: "erlang", title: "erl -noshell (TERM): \"SIGTERM received - shutting down\", exit 0", needs: [ERL],
    opts: run(["erl", "-noshell"], { settleMs: 3000, signal: "TERM" }),
    check: (r) => { exitsWith(0)(r); expect(out(r)).toMatch(/SIGTERM received - shutting down/); expect(r.tree[0]?.comm).toMatch(/beam/); },
  },
  {
    id: "mysqld-safe-term", group: "mysqld_safe", title: "mysqld_safe (TERM): HUP, INT, QUIT and TERM ignored; killed", needs: [MYSQLD_SAFE],
    opts: run(["mysqld_safe", "--no-defaults", "--user=mysql", `--datadir=${myRoot}/d`, `--socket=${myRoot}/s.sock`, `--port=${nextPort()}`, `--pid-file=${myRoot}/p.pid`, `--log-error=${myRoot}/err.log`], { cwd: "/", settleMs: 4000, signal: "TERM", graceMs: 3000 }),
    check: (r) => {
      killed(r);
      expect(r.dispositions?.ignored).toEqual(expect.arrayContaining(["HUP", "INT", "QUIT", "TERM"]));
      expect(r.tree.some((q) => /mariadbd|mysqld/.test(q.comm) && q.pid !== 1)).toBe(true);
    },
  },
];

afterAll(() => {
  if (!unavailable) rmSync(dir, { recursive: true, force: true });
});

describeMeasured("application servers and runners as PID 1, stopped from the host", unavailable, specs, 3, () => {
  it("every case a catalog entry cites is one of these", () => {
    const progs = catalog.programs as { name: string; provenance?: { kind: string; test?: string }[] }[];
    const ids = new Set(specs.map((s) => s.id));
    const citing: string[] = [];
    for (const p of progs)
      for (const v of p.provenance ?? [])
        if (v.kind === "measured" && v.test?.includes(THIS)) {
          citing.push(p.name);
          for (const m of v.test.slice(v.test.indexOf(THIS)).matchAll(/`([a-z0-9-]+)`/g)) expect(ids.has(m[1]!), `${p.name} cites ${m[1]}`).toBe(true);
        }
    for (const name of ["uvicorn", "hypercorn", "daphne", "twistd", "celery", "flask", "foreman", "erl", "mysqld_safe", "twist", "waitress-serve"]) expect(citing).toContain(name);
  });
});
