// npm-run-all's command line: which package.json scripts it runs, in order, and what is not followed.
import { describe, expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/analyze.js";
import { taskList } from "../src/exec/run-tasks.js";
import { findProgram } from "../src/programs.js";

const nra = findProgram("npm-run-all")!;

describe("npm-run-all: its tasks", () => {
  test("a sequence, with options before and between the tasks", () => {
    expect(taskList(nra, ["a", "b", "c"])).toEqual({ tasks: ["a", "b", "c"] });
    expect(taskList(nra, ["--silent", "-l", "a", "--max-parallel", "2", "b"])).toEqual({ tasks: ["a", "b"] });
    expect(taskList(nra, ["-s", "a", "b"])).toEqual({ tasks: ["a", "b"] });
    expect(taskList(nra, ["--board:port", "8080", "serve"])).toEqual({ tasks: ["serve"] });
    expect(findProgram("run-s")?.name).toBe("npm-run-all");
  });
  test("not followed: tasks at the same time, patterns, -- arguments, another runner, a run-time word", () => {
    expect(taskList(nra, ["-p", "a", "b"])).toHaveProperty("why");
    expect(taskList(nra, ["-pl", "a", "b"])).toHaveProperty("why");
    expect(taskList(nra, ["a", "--parallel", "b", "c"])).toHaveProperty("why");
    expect(taskList(nra, ["build:*"])).toHaveProperty("why");
    expect(taskList(nra, ["serve", "--", "--port=1"])).toHaveProperty("why");
    expect(taskList(nra, ["--npm-path", "/x/npm", "serve"])).toHaveProperty("why");
    expect(taskList(nra, ["serve", null])).toHaveProperty("why");
    // one task with -p runs alone
    expect(taskList(nra, ["-p", "serve"])).toEqual({ tasks: ["serve"] });
  });
  test("the last task runs through the manager that ran npm-run-all (pnpm here), else npm", () => {
    const ctx = memoryFs({ "package.json": JSON.stringify({ scripts: { start: "npm-run-all check serve", check: "node check.js", serve: "node server.js" } }), "server.js": "process.on('SIGTERM', () => process.exit(0));\n", "check.js": "\n" });
    const tree = (cmd: string) => {
      const a = analyze(buildModel(`FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ${cmd}\n`, { file: "Dockerfile", context: ctx }));
      const argvs: string[] = [];
      for (let n = a.prediction.processTree; n; n = n.children[0] ?? null) argvs.push(n.argv.join(" "));
      return argvs;
    };
    expect(tree('["pnpm", "start"]')).toEqual(["pnpm start", "/bin/sh -c npm-run-all check serve", "npm-run-all check serve", "pnpm run serve", "/bin/sh -c node server.js", "node server.js"]);
    expect(tree('["npm-run-all", "check", "serve"]').slice(0, 2)).toEqual(["npm-run-all check serve", "npm run serve"]);
  });
});
