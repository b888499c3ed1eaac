// "Findings people can trust" (docs/rules/README.md): an error only when the tool is sure. Each case leaves one
// thing unknown (the application's source, a file it loads, the base image, the program) and checks that no
// rule reports an error, and that the finding that remains says what is unknown; the last cases check that
// the same image with everything known does give the error.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";

type Files = Record<string, string>;
const run = (dockerfile: string, files: Files = {}) =>
  analyze(buildModel(dockerfile, { context: memoryFs(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { content: v, mode: 0o755 }]))) }));
const errors = (a: ReturnType<typeof run>) => a.findings.filter((f) => f.severity === "error").map((f) => `${f.ruleId}: ${f.message}`);
const SERVER = 'const http = require("http");\nhttp.createServer((q, s) => s.end()).listen(3000);\n';

describe("an unknown is never an error", () => {
  test("the application's source is not in the build context (cloned by RUN)", () => {
    const a = run('FROM node:20-slim\nRUN git clone https://example.com/app.git /app\nWORKDIR /app\nCMD ["node", "server.js"]\n');
    expect(errors(a)).toEqual([]);
    expect(a.prediction.stop.outcome).toBe("unknown");
    expect(a.findings.find((f) => f.ruleId === "pid1-no-handler")).toMatchObject({ severity: "warning", messageId: "appUnknown" });
  });

  test("the analysis was cut short (more run-time paths than it follows): what it found is a warning", () => {
    const guards = Array.from({ length: 7 }, (_, i) => `if [ -n "$V${i}" ]; then sleep 10${i} & fi\n`).join("");
    const script = `#!/bin/sh\n${guards}redis-server\n`;
    const a = run('FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n', { "e.sh": script });
    expect(a.prediction.truncated).not.toBeNull();
    expect(errors(a)).toEqual([]);
    expect(a.findings.find((f) => f.ruleId === "shell-stays-pid1")?.severity).toBe("warning");
    // the same script with fewer run-time paths: the error stands
    const b = run('FROM debian:bookworm\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n', { "e.sh": "#!/bin/sh\nredis-server\n" });
    expect(b.findings.find((f) => f.ruleId === "shell-stays-pid1")?.severity).toBe("error");
  });

  test("python flags glued to their value (-Wonce, -Ximporttime) are not read as -c or -m", () => {
    const app = "import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *a: sys.exit(0))\nwhile True: time.sleep(1)\n";
    for (const flag of ["-Wonce", "-Ximporttime", "-uWignore"]) {
      const a = run(`FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\nCMD ["python", "${flag}", "app.py"]\n`, { "app.py": app });
      expect(errors(a), flag).toEqual([]);
      expect(a.prediction.stop.outcome, flag).toBe("graceful");
    }
  });

  test("an imported package the catalog does not know may install the handler (aiohttp's run_app does): a warning", () => {
    const app = "from aiohttp import web\napp = web.Application()\nweb.run_app(app)\n";
    const a = run('FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\nCMD ["python", "app.py"]\n', { "app.py": app });
    expect(errors(a)).toEqual([]);
    expect(a.prediction.stop.outcome).toBe("unknown");
    expect(a.findings.find((f) => f.ruleId === "pid1-no-handler")?.message).toMatch(/aiohttp/);
  });

  test("the entry is looked up where the script's cd went, not in the WORKDIR", () => {
    const handler = "process.on('SIGTERM', () => process.exit(0));\n" + SERVER;
    const a = run('FROM node:20-slim\nWORKDIR /app\nCOPY index.js /srv/index.js\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n', { "index.js": handler, "start.sh": "#!/bin/sh\ncd /srv\nexec node index.js\n" });
    expect(errors(a)).toEqual([]);
    expect(a.prediction.stop.outcome).toBe("graceful");
  });

  test("the application comes from another image (COPY --from an image)", () => {
    const a = run('FROM python:3.12-slim\nCOPY --from=example/app:1 /app /app\nWORKDIR /app\nCMD ["python", "main.py"]\n');
    expect(errors(a)).toEqual([]);
    expect(a.prediction.stop.outcome).toBe("unknown");
  });

  test("a file the entry requires is not in the build context", () => {
    const a = run('FROM node:20-slim\nWORKDIR /srv\nCOPY server.js .\nRUN npm run build\nCMD ["node", "server.js"]\n', { "server.js": 'require("./dist/shutdown");\n' + SERVER });
    expect(errors(a)).toEqual([]);
    expect(a.prediction.processTree?.app).toMatchObject({ status: "partial" });
  });

  test("what the interpreter runs is only known at run time", () => {
    const a = run('FROM python:3.12-slim\nCOPY run.sh /run.sh\nCMD ["sh", "/run.sh"]\n', { "run.sh": 'exec python "$APP_MODULE"\n' });
    expect(errors(a)).toEqual([]);
  });

  test("the base image is not in the catalog (its ENTRYPOINT may be an init)", () => {
    const a = run('FROM registry.example.com/team/node-base:3\nWORKDIR /app\nCOPY app.js .\nCMD ["node", "app.js"]\n', { "app.js": SERVER });
    expect(errors(a)).toEqual([]);
    expect(a.findings.find((f) => f.ruleId === "pid1-no-handler")).toMatchObject({ severity: "warning", messageId: "baseUnknown" });
  });

  test("the program is not in the catalog", () => {
    const a = run('FROM debian:bookworm-slim\nCOPY myserver /usr/local/bin/myserver\nCMD ["myserver"]\n', { myserver: "\u007fELF" });
    expect(errors(a)).toEqual([]);
  });
});

describe("the same images with everything known are errors", () => {
  test("the application's source is read and installs no handler", () => {
    const a = run('FROM node:20-slim\nWORKDIR /app\nCOPY app.js .\nCMD ["node", "app.js"]\n', { "app.js": SERVER });
    expect(errors(a)).toEqual(["pid1-no-handler: PID 1 (node) has no handler for SIGTERM, and the application installs none (none in /app/app.js): docker stop waits 10 s and SIGKILLs it"]);
  });

  test("a catalogued program with no handler, in a catalogued base image", () => {
    const a = run('FROM debian:bookworm-slim\nCMD ["sleep", "infinity"]\n');
    expect(errors(a)).toEqual(["pid1-no-handler: PID 1 (sleep) has no handler for SIGTERM: docker stop waits 10 s and SIGKILLs it"]);
  });
});
