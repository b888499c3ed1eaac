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

test("a loop that waits in a foreground sleep: its shell dies of the signal, the sleep the kernel kills as PID 1 exits cuts no service short", () => {
  const conf = `[supervisord]\nnodaemon=true\n[program:tick]\ncommand=/bin/bash -c "while true; do date; sleep 60; done"\n`;
  const model = buildModel('FROM debian:12\nCOPY supervisord.conf /etc/supervisord.conf\nCMD ["supervisord", "-c", "/etc/supervisord.conf"]\n', { context: memoryFs({ "supervisord.conf": { content: conf, mode: 0o644 } }) });
  const stop = analyze(model).prediction.stop;
  expect(stop.deliveries.find((d) => d.argv0 === "sleep")).toMatchObject({ receives: false, action: "killed" });
  expect(stop.outcome).toBe("graceful");
  // started in the background, the same sleep is a helper left running: abrupt (real-trap-exit-abrupt on the engine)
  const bg = buildModel('FROM debian:12\nCOPY run.sh /run.sh\nCMD ["/run.sh"]\n', { context: memoryFs({ "run.sh": { content: "#!/bin/sh\ntrap 'exit 0' TERM\nsleep 1000 &\nwait\n", mode: 0o755 } }) });
  expect(analyze(bg).prediction.stop.outcome).toBe("abrupt");
});
