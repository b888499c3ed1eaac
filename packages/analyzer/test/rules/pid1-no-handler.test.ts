import { expect } from "vitest";
import { rule } from "../../src/rules/pid1-no-handler.js";
import { RuleTester } from "../support/rule-tester.js";

const NODE_SERVER = 'const http = require("http");\nhttp.createServer((req, res) => res.end("ok")).listen(3000);\n';

new RuleTester().run(rule, {
  valid: [
    {
      name: "Good: the application handles SIGTERM (signal.signal in app.py): python stops, no finding",
      fromDoc: "good",
      check: (a) => {
        expect(a.prediction.stop.outcome).toBe("graceful");
        expect(a.prediction.processTree?.app).toMatchObject({ status: "seen", entry: "/app/app.py", handlers: [{ signal: "SIGTERM", file: "/app/app.py", line: 6 }] });
      },
    },
    {
      name: "tini in front of python without a handler: no finding",
      fromDoc: "bad",
      dockerfile: (d) => d.replace("COPY", "RUN apt-get update && apt-get install -y tini\nENTRYPOINT [\"tini\", \"--\"]\nCOPY"),
      check: (a) => expect(a.prediction.processTree).toMatchObject({ program: "tini", role: "init" }),
    },
    {
      name: "STOPSIGNAL SIGINT reaches python (it handles INT): no finding",
      fromDoc: "bad",
      dockerfile: (d) => d.replace("CMD", "STOPSIGNAL SIGINT\nCMD"),
    },
    {
      name: "node: the handler is in a file the entry requires (server.js → ./lib/shutdown)",
      dockerfile: 'FROM node:20-slim\nWORKDIR /srv\nCOPY . .\nCMD ["node", "server.js"]\n',
      files: {
        "server.js": 'require("./lib/shutdown");\n' + NODE_SERVER,
        "lib/shutdown.js": "// stop cleanly\nprocess.on('SIGTERM', () => process.exit(0));\n",
      },
      check: (a) => {
        expect(a.prediction.stop.outcome).toBe("graceful");
        expect(a.prediction.processTree?.app?.handlers).toEqual([{ signal: "SIGTERM", file: "/srv/lib/shutdown.js", line: 2, what: "process.on('SIGTERM')" }]);
      },
    },
    {
      name: "node: a loop over signal names (for (const s of ['SIGINT','SIGTERM']) process.on(s, …))",
      dockerfile: 'FROM node:20-slim\nWORKDIR /srv\nCOPY index.js package.json ./\nCMD ["node", "."]\n',
      files: {
        "package.json": '{"name":"x","main":"index.js"}',
        "index.js": NODE_SERVER + "for (const sig of ['SIGINT', 'SIGTERM']) {\n  process.on(sig, () => process.exit(0));\n}\n",
      },
      check: (a) => expect(a.prediction.stop.outcome).toBe("graceful"),
    },
    {
      name: "python -m uvicorn: uvicorn installs the handlers",
      dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY main.py .\nCMD ["python", "-m", "uvicorn", "main:app", "--host", "0.0.0.0"]\n',
      files: { "main.py": "async def app(scope, receive, send):\n    pass\n" },
      check: (a) => expect(a.prediction.stop).toMatchObject({ outcome: "graceful", deliveries: [{ action: "graceful-stop" }] }),
    },
    {
      name: "uvicorn.run() in the application's module (imported from a package)",
      dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "run.py"]\n',
      files: { "run.py": "from server import main\nmain.start()\n", "server/__init__.py": "", "server/main.py": "import uvicorn\n\ndef start():\n    uvicorn.run('server.api:app')\n" },
      check: (a) => expect(a.prediction.processTree?.app?.handlers[0]).toMatchObject({ signal: "SIGTERM", framework: "uvicorn", file: "/app/server/main.py", line: 4 }),
    },
    {
      name: "Twisted's reactor.run() installs SIGTERM and SIGINT handlers",
      dockerfile: 'FROM python:3.12-slim\nCOPY bot.py /bot.py\nCMD ["python3", "/bot.py"]\n',
      files: { "bot.py": "from twisted.internet import reactor\nreactor.listenTCP(8000, None)\nreactor.run()\n" },
      check: (a) => expect(a.prediction.stop.outcome).toBe("graceful"),
    },
  ],
  invalid: [
    {
      name: "Bad: fires on the CMD that makes python PID 1",
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 4, severity: "error", message: "PID 1 (python) has no handler for SIGTERM, and the application installs none (none in /app/app.py): docker stop waits 10 s and SIGKILLs it" }],
    },
    {
      name: "a commented-out handler is not one; express installs none",
      dockerfile: 'FROM node:20-slim\nWORKDIR /srv\nCOPY server.js .\nCMD ["node", "server.js"]\n',
      files: { "server.js": 'const express = require("express");\nconst app = express();\n// process.on("SIGTERM", () => process.exit(0));\napp.listen(3000);\n' },
      errors: [{ file: "Dockerfile", line: 4, severity: "error", message: "PID 1 (node) has no handler for SIGTERM, and the application installs none (none in /srv/server.js, nor in express): docker stop waits 10 s and SIGKILLs it" }],
    },
    {
      name: "NestJS without enableShutdownHooks(): no handler",
      dockerfile: 'FROM node:20-slim\nWORKDIR /srv\nCOPY dist ./dist\nCMD ["node", "dist/main.js"]\n',
      files: { "dist/main.js": 'const { NestFactory } = require("@nestjs/core");\nconst { AppModule } = require("./app.module");\nNestFactory.create(AppModule).then((app) => app.listen(3000));\n', "dist/app.module.js": "exports.AppModule = class {};\n" },
      errors: [{ file: "Dockerfile", line: 4, severity: "error", messageId: "appNoHandler" }],
    },
    {
      name: "the source is not in the build context (cloned by RUN): a warning that says so, not an error",
      dockerfile: 'FROM node:20-slim\nRUN git clone https://example.com/app.git /app\nWORKDIR /app\nCMD ["node", "index.js"]\n',
      errors: [
        {
          file: "Dockerfile", line: 4, severity: "warning",
          message: "PID 1 (node) stops on SIGTERM only if the application installs a handler, and whether /app/index.js does is not known (it is not copied from the build context: cloned by git at line 2, which may have put it there); without one, docker stop waits 10 s and SIGKILLs it",
        },
      ],
      check: (a) => expect(a.prediction.stop.outcome).toBe("unknown"),
    },
    {
      name: "a file the entry loads cannot be read (COPY --from an image): unknown, a warning",
      dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY main.py .\nCOPY --from=example/lib:1 /lib/helpers.py ./helpers.py\nCMD ["python", "main.py"]\n',
      files: { "main.py": "import helpers\nhelpers.serve()\n" },
      errors: [{ file: "Dockerfile", line: 5, severity: "warning", messageId: "appUnknown" }],
    },
    {
      name: "a stop signal the program ignores (redis-server and SIGHUP)",
      dockerfile: 'FROM redis:7.2\nSTOPSIGNAL SIGHUP\nCMD ["redis-server"]\n',
      errors: [{ file: "Dockerfile", line: 3, severity: "error", messageId: "ignores", data: { program: "redis-server", signal: "SIGHUP", grace: 10, when: "" } }],
    },
    {
      name: "a base image not in the catalog: its ENTRYPOINT may put an init in front, so a warning",
      dockerfile: 'FROM registry.example.com/team/node-base:3\nWORKDIR /app\nCOPY app.js .\nCMD ["node", "app.js"]\n',
      files: { "app.js": NODE_SERVER },
      errors: [
        {
          file: "Dockerfile", line: 4, severity: "warning",
          message: "PID 1 (node) has no handler for SIGTERM, unless the base image registry.example.com/team/node-base:3 (not in the catalog) has an ENTRYPOINT that runs it under an init; if it has none, docker stop waits 10 s and SIGKILLs it",
        },
      ],
    },
    {
      name: "sleep as PID 1 has no handler",
      dockerfile: 'FROM debian:bookworm-slim\nCMD ["sleep", "infinity"]\n',
      errors: [{ file: "Dockerfile", line: 2, severity: "error", messageId: "noHandler" }],
    },
  ],
});
