import { expect } from "vitest";
import { rule } from "../../src/rules/service-daemonizes.js";
import { RuleTester } from "../support/rule-tester.js";

const SUP = "[supervisord]\nlogfile=/dev/null\n[include]\nfiles = conf.d/*.conf\n";

new RuleTester().run(rule, {
  valid: [
    { fromDoc: "good" },
    {
      name: "supervisord -c FILE: nodaemon=true in a file its [include] section names (relative to the main file) keeps it in the foreground, with the included file's programs",
      dockerfile: 'FROM alpine:3.20\nRUN apk add --no-cache supervisor\nCOPY supervisord.conf /etc/supervisor/supervisord.conf\nCOPY conf.d/ /etc/supervisor/conf.d/\nCMD ["supervisord", "-c", "/etc/supervisor/supervisord.conf"]\n',
      files: { "supervisord.conf": { content: SUP }, "conf.d/app.conf": { content: "[supervisord]\nnodaemon=true\n\n[program:web]\ncommand=nginx -g 'daemon off;'\n" } },
      check: (a) => {
        expect(a.prediction.lifecycle.state).toBe("runs");
        expect(a.prediction.processTree?.children.map((c) => c.argv[0])).toEqual(["nginx"]);
      },
    },
    {
      name: "php-fpm on the official fpm image: the image's zz-docker.conf (base catalog) says daemonize = no, and a COPYed pool file does not change it",
      dockerfile: 'FROM php:8.3-fpm\nCOPY pool.conf /usr/local/etc/php-fpm.d/www.conf\n',
      files: { "pool.conf": { content: "[www]\npm = static\npm.max_children = 2\n" } },
      check: (a) => expect(a.prediction.lifecycle.state).toBe("runs"),
    },
  ],
  invalid: [
    {
      fromDoc: "bad",
      errors: [{ file: "Dockerfile", line: 3, severity: "error", message: /nginx daemonizes/ }],
    },
    {
      name: "a run other than the headline daemonizes: reported as a warning (errors are for the headline run), naming its condition, and not a precondition of the headline",
      dockerfile: 'FROM debian:12\nCOPY e.sh nginx.conf /\nSTOPSIGNAL SIGQUIT\nENTRYPOINT ["/e.sh"]\n',
      files: { "e.sh": { content: '#!/bin/sh\nif [ "$MODE" = "legacy" ]; then exec nginx -c /nginx.conf; fi\nexec nginx -c /nginx.conf -g "daemon off;"\n', mode: 0o755 }, "nginx.conf": { content: "events {}\n" } },
      errors: [{ file: "Dockerfile", line: 4, severity: "warning", message: /^nginx daemonizes: .* \(when MODE is "legacy"\)$/ }],
      check: (a) => {
        expect(a.prediction.processTree?.argv).toEqual(["nginx", "-c", "/nginx.conf", "-g", "daemon off;"]);
        expect(a.prediction.headline?.preconditions).toEqual([]);
      },
    },
    {
      name: "php-fpm -D daemonizes even on the official fpm image, whose config says daemonize = no: the command line wins",
      dockerfile: 'FROM php:8.3-fpm\nCMD ["php-fpm", "-D"]\n',
      errors: [{ file: "Dockerfile", line: 2, severity: "error", message: /php-fpm daemonizes/ }],
    },
    {
      name: "nginx installed by a package: its nginx.conf is not in the build context, so whether it daemonizes is not known: a warning, and the lifecycle is unknown",
      dockerfile: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends nginx\nCMD ["nginx"]\n',
      errors: [{ file: "Dockerfile", line: 3, severity: "warning", message: /^whether nginx daemonizes depends on its config, which could not be read: .*\/etc\/nginx\/nginx\.conf.*Keep it in the foreground on its command line \(-g daemon off;\) to be sure\.$/ }],
      check: (a) => expect(a.prediction.lifecycle.state).toBe("unknown"),
    },
    {
      name: "below PID 1 with an unreadable config: its default (it daemonizes) is followed, the daemon's copy stays in the tree, and only a warning is reported",
      dockerfile: "FROM php:8.3-fpm-alpine\nRUN apk add --no-cache nginx\nCMD nginx && php-fpm\n",
      errors: [{ file: "Dockerfile", line: 3, severity: "warning", message: /^whether nginx daemonizes depends on its config, which could not be read/ }],
      check: (a) => {
        expect(a.prediction.processTree?.argv).toEqual(["php-fpm"]);
        expect(a.prediction.processTree?.children.map((c) => c.argv[0])).toEqual(["nginx"]);
        expect(a.prediction.stop.outcome).not.toBe("graceful");
      },
    },
  ],
});
