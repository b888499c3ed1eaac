// grace-too-short: the catalog's stopTakes against the time between the signal and SIGKILL; squid's
// shutdown_lifetime read from the squid.conf the image has (config, stopTakes.fromConfig).
import { rule } from "../../src/rules/grace-too-short.js";
import { RuleTester } from "../support/rule-tester.js";

const SQUID = (cmd = '["squid", "-N"]', copy = "COPY squid.conf /etc/squid/squid.conf\n") =>
  `FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends squid && rm -rf /var/lib/apt/lists/*\n${copy}EXPOSE 3128\nCMD ${cmd}\n`;
const conf = (extra: string) => ({ "squid.conf": { content: `http_port 3128\nhttp_access deny all\n${extra}` } });
const squidData = (seconds: number, where: string) => ({ program: "squid", seconds, signal: "SIGTERM", where, left: 10, when: "" });

new RuleTester().run(rule, {
  valid: [
    { fromDoc: "good" },
    { name: "docker stop -t 40", fromDoc: "bad", stopTimeout: 40 },
    { name: "squid: shutdown_lifetime 5 seconds in the COPYed squid.conf (about 7 s) fits in 10 s", dockerfile: SQUID(), files: conf("shutdown_lifetime 5 seconds\n") },
    {
      name: "squid -f names another file, whose shutdown_lifetime is 3 seconds",
      dockerfile: SQUID('["squid", "-N", "-f", "/etc/squid/proxy.conf"]', "COPY squid.conf /etc/squid/squid.conf\nCOPY proxy.conf /etc/squid/proxy.conf\n"),
      files: { ...conf(""), "proxy.conf": { content: "http_port 3128\nshutdown_lifetime 3 seconds\n" } },
    },
    {
      name: "squid: a file COPYed into the package's conf.d (which its squid.conf includes) sets shutdown_lifetime 4 seconds",
      dockerfile: SQUID('["squid", "-N"]', "COPY stop.conf /etc/squid/conf.d/stop.conf\n"),
      files: { "stop.conf": { content: "shutdown_lifetime 4 seconds\n" } },
    },
    { name: "Kubernetes: 30 s is not shorter than 30 s", fromDoc: "bad", deployment: { kind: "kubernetes", file: "k8s.yaml", workload: "deployment/web", container: "web", line: 9, gracePeriod: { value: 30, line: null } } },
  ],
  invalid: [
    {
      name: "squid: its squid.conf does not set shutdown_lifetime: the default 30 s",
      dockerfile: SQUID(),
      files: conf(""),
      errors: [{ file: "Dockerfile", line: 5, severity: "warning", messageId: "tooShortConfigured", data: squidData(30, "shutdown_lifetime (squid.conf): not set in /etc/squid/squid.conf, so its default") }],
    },
    {
      name: "squid: shutdown_lifetime 1 minute",
      dockerfile: SQUID(),
      files: conf("shutdown_lifetime 1 minute\n"),
      errors: [{ file: "Dockerfile", line: 5, severity: "warning", messageId: "tooShortConfigured", data: squidData(62, "shutdown_lifetime 1 minute in /etc/squid/squid.conf:3") }],
    },
    {
      name: "squid: the last shutdown_lifetime, in a file squid.conf includes, wins",
      dockerfile: SQUID('["squid", "-N"]', "COPY squid.conf /etc/squid/squid.conf\nCOPY conf.d/ /etc/squid/conf.d/\n"),
      files: { ...conf("shutdown_lifetime 2 seconds\ninclude /etc/squid/conf.d/*.conf\n"), "conf.d/slow.conf": { content: "shutdown_lifetime 20 seconds\n" } },
      errors: [{ file: "Dockerfile", line: 6, severity: "warning", messageId: "tooShortConfigured", data: squidData(22, "shutdown_lifetime 20 seconds in /etc/squid/conf.d/slow.conf:1") }],
    },
    {
      name: "squid: Debian's package's squid.conf (the package table) sets no shutdown_lifetime: the default 30 s",
      dockerfile: SQUID('["squid", "-N"]', ""),
      errors: [{ file: "Dockerfile", line: 4, severity: "warning", messageId: "tooShortConfigured", data: squidData(30, "shutdown_lifetime (squid.conf): not set in /etc/squid/squid.conf, so its default") }],
    },
    {
      name: "squid from a download: its config is not known, the default's warning",
      dockerfile: "FROM debian:bookworm\nRUN curl -fsSL https://example.org/squid -o /usr/sbin/squid && chmod +x /usr/sbin/squid\nCMD [\"squid\", \"-N\"]\n",
      errors: [{ file: "Dockerfile", line: 3, severity: "warning", messageId: "tooShort", data: { program: "squid", seconds: 30, signal: "SIGTERM", setting: "shutdown_lifetime (squid.conf)", left: 10, when: "" } }],
    },
    {
      name: "squid: a number without its unit is not a value it takes (squid 5.7 refuses it): unknown, the default's warning",
      dockerfile: SQUID(),
      files: conf("shutdown_lifetime 3\n"),
      errors: [{ file: "Dockerfile", line: 5, severity: "warning", messageId: "tooShort", data: { program: "squid", seconds: 30, signal: "SIGTERM", setting: "shutdown_lifetime (squid.conf)", left: 10, when: "" } }],
    },
    { fromDoc: "bad", errors: [{ file: "Dockerfile", line: 5, severity: "warning", messageId: "tooShort", data: { program: "gunicorn", seconds: 30, signal: "SIGTERM", setting: "graceful_timeout (--graceful-timeout)", left: 10, when: "" } }] },
    {
      name: "a preStop sleep eats into Kubernetes' 30 s",
      fromDoc: "bad",
      deployment: { kind: "kubernetes", file: "k8s.yaml", workload: "deployment/web", container: "web", line: 9, gracePeriod: { value: 30, line: null }, preStop: { value: { kind: "sleep", what: "5 s", seconds: 5 }, line: 12 } },
      errors: [{ file: "k8s.yaml", line: 9, severity: "warning", messageId: "tooShort", data: { program: "gunicorn", seconds: 30, signal: "SIGTERM", setting: "graceful_timeout (--graceful-timeout)", left: 25, when: "" }, fix: { description: "terminationGracePeriodSeconds: 40" } }],
    },
  ],
});
