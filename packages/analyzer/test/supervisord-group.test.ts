// supervisord's stopasgroup=true sends a program's stop signal to its whole process group (supervisord's
// configuration docs), so a service that a wrapper script started as its child gets it too.
import { expect, test } from "vitest";
import { buildModel, memoryFs } from "@audit-image/dockerfile";
import { analyze } from "../src/index.js";

const run = (extra: string) => {
  const conf = `[supervisord]\nnodaemon=true\n[program:web]\ncommand=/usr/local/bin/start-web\n${extra}`;
  const files = { "supervisord.conf": { content: conf, mode: 0o644 }, "start-web": { content: "#!/bin/sh\nredis-server --port 7000\n", mode: 0o755 } };
  const model = buildModel('FROM debian:12\nCOPY supervisord.conf /etc/supervisord.conf\nCOPY start-web /usr/local/bin/start-web\nCMD ["supervisord", "-c", "/etc/supervisord.conf"]\n', { context: memoryFs(files) });
  return analyze(model).prediction.stop;
};

test("stopasgroup=true: the script and the service it runs as its child both get the stop signal", () => {
  const stop = run("stopasgroup=true\n");
  expect(stop.deliveries.find((d) => d.argv0 === "redis-server")).toMatchObject({ receives: true, action: "graceful-stop" });
  expect(stop.outcome).toBe("graceful");
});

test("without it only the program's own process gets it: the service under the script is cut short", () => {
  const stop = run("");
  expect(stop.deliveries.find((d) => d.argv0 === "redis-server")).toMatchObject({ receives: false });
  expect(stop.outcome).toBe("abrupt");
});
