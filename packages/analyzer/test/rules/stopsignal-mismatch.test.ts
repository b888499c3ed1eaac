import { rule } from "../../src/rules/stopsignal-mismatch.js";
import { RuleTester } from "../support/rule-tester.js";

new RuleTester().run(rule, {
  valid: [
    { fromDoc: "good" },
    { name: "docker run --stop-signal SIGQUIT (an analyze option) silences it", fromDoc: "bad", stopSignal: "SIGQUIT" },
    {
      name: "uwsgi with die-on-term in its ini file: SIGTERM is its graceful stop, so SIGINT (an immediate kill) is not advised",
      dockerfile: 'FROM python:3.12-slim\nCOPY app.ini /app/app.ini\nCMD ["uwsgi", "/app/app.ini"]\n',
      files: { "app.ini": { content: "[uwsgi]\nmaster\ndie-on-term\nhttp-socket = :8000\n" } },
    },
    {
      name: "supervisord stops nginx with stopsignal=QUIT: the container's SIGTERM is for supervisord, and nginx gets its graceful signal",
      dockerfile: 'FROM debian:12\nCOPY app.conf /etc/supervisor/conf.d/app.conf\nCOPY supervisord.conf /etc/supervisord.conf\nCMD ["supervisord", "-c", "/etc/supervisord.conf"]\n',
      files: { "supervisord.conf": { content: "[supervisord]\nnodaemon=true\n[program:web]\ncommand=nginx -g \"daemon off;\"\nstopsignal=QUIT\n" }, "app.conf": { content: "" } },
    },
    { name: "uwsgi --die-on-term on its command line", dockerfile: 'FROM python:3.12-slim\nCMD ["uwsgi", "--die-on-term", "--http-socket", ":8000"]\n' },
  ],
  invalid: [
    {
      name: "supervisord stops nginx with its default TERM: nginx's fast stop; the fix is in supervisord's config, not STOPSIGNAL",
      dockerfile: 'FROM debian:12\nCOPY supervisord.conf /etc/supervisord.conf\nCMD ["supervisord", "-c", "/etc/supervisord.conf"]\n',
      files: { "supervisord.conf": { content: "[supervisord]\nnodaemon=true\n[program:web]\ncommand=nginx -g \"daemon off;\"\n" } },
      errors: [{ file: "Dockerfile", line: 3, severity: "warning", message: /^supervisord stops nginx with a signal it does not stop gracefully on \(fast-stop\); nginx stops gracefully on SIGQUIT$/ }],
    },
    {
      name: "uwsgi whose ini file turns die-on-term off: TERM reloads it, and the advice stands",
      dockerfile: 'FROM python:3.12-slim\nCOPY app.ini /app/app.ini\nCMD ["uwsgi", "/app/app.ini"]\n',
      files: { "app.ini": { content: "[uwsgi]\nmaster\ndie-on-term = false\n" } },
      errors: [{ file: "Dockerfile", line: 3, severity: "warning", message: /^the stop signal is SIGTERM, but uwsgi stops gracefully on SIGINT$/ }],
    },
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 3, severity: "warning", message: /^the stop signal is SIGTERM, but nginx stops gracefully on SIGQUIT$/ }],
    },
  ],
});
