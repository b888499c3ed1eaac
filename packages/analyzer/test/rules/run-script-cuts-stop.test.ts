import { expect } from "vitest";
import { rule } from "../../src/rules/run-script-cuts-stop.js";
import { RuleTester } from "../support/rule-tester.js";

const SERVER = 'const s = require("http").createServer((q, r) => r.end("ok")).listen(8080);\nprocess.on("SIGTERM", () => s.close(() => process.exit(0)));\n';
const pkg = (start: string) => ({ content: JSON.stringify({ name: "web", version: "1.0.0", scripts: { start } }), mode: 0o644 });

new RuleTester().run(rule, {
  valid: [
    { fromDoc: "good", check: (a) => expect(a.prediction.stop.outcome).toBe("graceful") },
    {
      name: "Alpine: BusyBox ash execs the lone command, npm waits for node",
      fromDoc: "bad",
      dockerfile: (d) => d.replace("node:20-bookworm-slim", "node:20-alpine"),
      check: (a) => expect(a.prediction.stop.outcome).toBe("graceful"),
    },
    { name: "node as PID 1: no package manager", fromDoc: "bad", dockerfile: (d) => d.replace('["npm", "start"]', '["node", "server.js"]') },
  ],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 4, severity: "warning", message: /^npm runs the script through \/bin\/sh, which stays as the parent of node: on SIGTERM the shell dies, npm exits, and node is killed without the signal$/ }],
    },
    {
      name: "pnpm through dash: node gets TERM, but pnpm exits when the shell is gone",
      dockerfile: 'FROM node:20-bookworm-slim\nWORKDIR /app\nCOPY . .\nCMD ["pnpm", "start"]\n',
      files: { "package.json": pkg("node server.js"), "server.js": { content: SERVER, mode: 0o644 } },
      errors: [{ file: "Dockerfile", line: 4, severity: "warning", message: /^pnpm runs the script through \/bin\/sh, .* node is killed before its shutdown is done$/ }],
    },
    {
      name: "yarn 1 on Alpine: TERM reaches node, yarn exits at once",
      dockerfile: 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["yarn", "start"]\n',
      files: { "package.json": pkg("node server.js"), "server.js": { content: SERVER, mode: 0o644 } },
      errors: [{ file: "Dockerfile", line: 4, severity: "warning", message: /^yarn passes SIGTERM to node and exits at once, without waiting/ }],
    },
  ],
});
