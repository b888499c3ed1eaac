# One-off authoring helper: writes fixture directories (Dockerfile + context) under test-images/.
# Existing expected.json files are left alone. Not used by the tests.
import json, os, sys
ROOT = os.path.join(os.path.dirname(__file__), "..", "test-images")
X = 0o755
F = {}
def fx(name, desc, dockerfile, files=None, options=None, observed="engine"):
    F[name] = dict(desc=desc, dockerfile=dockerfile, files=files or {}, options=options, observed=observed)

# ---- Issue 2: the Dockerfile model ---------------------------------------------------------------
fx("df-exec-entrypoint-exec-cmd", "exec ENTRYPOINT + exec CMD: argv is Entrypoint then Cmd",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["redis-server", "--port", "6380"]\n',
   {"entrypoint.sh": ('#!/bin/sh\nexec "$@"\n', X)})
fx("df-shell-entrypoint-ignores-cmd", "shell-form ENTRYPOINT: CMD words become $0 of sh -c and are ignored",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT /entrypoint.sh\nCMD ["redis-server"]\n',
   {"entrypoint.sh": ('#!/bin/sh\necho "args: $#"\nexec "$@"\n', X)})
fx("df-shell-cmd-dash", "shell-form CMD on Debian: dash stays PID 1",
   'FROM debian:bookworm\nCMD redis-server --port 6379\n')
fx("df-shell-cmd-bash-fedora", "shell-form CMD where /bin/sh is bash: the command replaces the shell",
   'FROM fedora:40\nCMD redis-server --port 6379\n')
fx("df-shell-cmd-busybox-alpine", "shell-form CMD where /bin/sh is BusyBox ash: the command replaces the shell",
   'FROM alpine:3.20\nCMD redis-server --port 6379\n')
fx("df-exec-entrypoint-shell-cmd", "exec ENTRYPOINT + shell CMD: the CMD's sh -c words follow the entrypoint",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD redis-server\n',
   {"entrypoint.sh": ('#!/bin/sh\nexec "$@"\n', X)})
fx("df-json-single-quotes", "ENTRYPOINT ['/x.sh'] is not JSON: Docker runs it as a shell command string",
   "FROM debian:bookworm\nCOPY --chmod=755 x.sh /\nENTRYPOINT ['/x.sh']\n",
   {"x.sh": ("#!/bin/sh\nexec redis-server\n", X)})
fx("df-json-trailing-comma", "a trailing comma makes exec form fall back to shell form",
   'FROM debian:bookworm\nCMD ["redis-server", "--port", "6379",]\n')
fx("df-json-non-string", "a JSON array with a number is a build error",
   'FROM debian:bookworm\nCMD ["sleep", 1000]\n', options={"expectBuildFailure": True})
fx("df-literal-dollar-exec", "$HOME in exec form stays literal: the program is not found",
   'FROM debian:bookworm\nENV APP=/srv\nCMD ["$APP/run.sh"]\n')
fx("df-dead-instructions", "only the last ENTRYPOINT and CMD count",
   'FROM debian:bookworm\nCMD ["sleep", "1"]\nENTRYPOINT ["/nope"]\nCMD ["redis-server"]\nENTRYPOINT []\n')
fx("df-inherited-cmd-reset", "ENTRYPOINT in the child stage resets nginx's CMD: the wrapper gets no arguments",
   'FROM nginx:1.27\nCOPY --chmod=755 wrap.sh /wrap.sh\nENTRYPOINT ["/wrap.sh"]\n',
   {"wrap.sh": ('#!/bin/sh\necho "wrapping: $*"\nexec "$@"\n', X)})
fx("df-entrypoint-keeps-cmd-same-stage", "CMD set in the same stage before ENTRYPOINT is kept",
   'FROM nginx:1.27\nCMD ["nginx", "-g", "daemon off;"]\nCOPY --chmod=755 wrap.sh /wrap.sh\nENTRYPOINT ["/wrap.sh"]\n',
   {"wrap.sh": ('#!/bin/sh\nexec "$@"\n', X)})
fx("df-multistage-inherit", "FROM <stage> inherits that stage's ENTRYPOINT, CMD, SHELL and STOPSIGNAL",
   'FROM debian:bookworm AS base\nSHELL ["/bin/bash", "-c"]\nSTOPSIGNAL SIGINT\nCMD python3 -m http.server\n\nFROM base AS final\nENV PORT=8000\n')
fx("df-arg-before-from", "ARG before FROM picks the base image; the default is Alpine",
   'ARG BASE=alpine:3.20\nFROM ${BASE}\nCMD redis-server\n')
fx("df-target-stage", "--target selects a stage that is not the last",
   'FROM debian:bookworm AS app\nCMD ["redis-server"]\n\nFROM app AS debug\nCMD ["sleep", "1000"]\n', options={"target": "app"})
fx("df-escape-continuations", "escape directive, continuation lines, comments and empty lines inside them",
   '# escape=`\nFROM debian:bookworm\nCMD ["redis-server", `\n# the port\n\n     "--port", "6390"]\n')
fx("df-heredoc-entrypoint", "a COPY heredoc writes the entrypoint (quoted delimiter: no build-time expansion)",
   "# syntax=docker/dockerfile:1\nFROM debian:bookworm\nCOPY --chmod=755 <<'EOF' /entrypoint.sh\n#!/bin/sh\necho start\nexec \"$@\"\nEOF\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"redis-server\"]\n",
   options={"engineSkip": "heredocs need BuildKit's Dockerfile frontend 1.4+, which this engine lacks"})
fx("df-heredoc-chomp-two", "two heredocs in one COPY, one with <<- (leading tabs stripped)",
   "# syntax=docker/dockerfile:1\nFROM debian:bookworm\nCOPY --chmod=755 <<-EOT <<'LIB' /opt/\n\t#!/bin/sh\n\t. /opt/LIB\n\texec redis-server\n\tEOT\nlog() { echo \"$@\"; }\nLIB\nCMD [\"/opt/EOT\"]\n",
   options={"engineSkip": "heredocs need BuildKit's Dockerfile frontend 1.4+, which this engine lacks"})
fx("df-unknown-base", "a base image outside the catalog: its /bin/sh and config are unknown",
   'FROM example.com/team/base:1.0\nCMD redis-server\n')
fx("df-copy-chmod", "COPY --chmod=755 makes a 0644 context file executable",
   'FROM debian:bookworm\nCOPY --chmod=755 start.sh /start.sh\nCMD ["/start.sh"]\n',
   {"start.sh": ('#!/bin/sh\nexec redis-server\n', 0o644)})
fx("df-run-chmod", "RUN chmod +x after COPY makes the script executable",
   'FROM debian:bookworm\nCOPY start.sh /usr/local/bin/start.sh\nRUN chmod +x /usr/local/bin/start.sh\nCMD ["start.sh"]\n',
   {"start.sh": ('#!/bin/sh\nexec redis-server\n', 0o644)})
fx("df-no-exec-bit", "a script copied without its execute bit: permission denied",
   'FROM debian:bookworm\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n',
   {"start.sh": ('#!/bin/sh\nexec redis-server\n', 0o644)})
fx("df-dockerignore", ".dockerignore hides the real script; the copied directory has only the fallback",
   'FROM debian:bookworm\nCOPY --chmod=755 bin/ /app/bin/\nWORKDIR /app\nCMD ["bin/run.sh"]\n',
   {".dockerignore": "bin/run.sh\n", "bin/run.sh": ('#!/bin/sh\nexec redis-server\n', X), "bin/other.sh": ('#!/bin/sh\nexec sleep 1000\n', X)})
fx("df-copy-from-stage", "COPY --from a build stage brings the entrypoint from the context",
   'FROM debian:bookworm AS build\nCOPY --chmod=755 entrypoint.sh /out/entrypoint.sh\n\nFROM debian:bookworm\nCOPY --from=build /out/entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["redis-server"]\n',
   {"entrypoint.sh": ('#!/bin/sh\nexec "$@"\n', X)})
fx("df-workdir-relative", "a relative entrypoint is resolved against WORKDIR",
   'FROM debian:bookworm\nWORKDIR /srv/app\nCOPY --chmod=755 run.sh ./\nENTRYPOINT ["./run.sh"]\n',
   {"run.sh": ('#!/bin/sh\nexec redis-server\n', X)})
fx("df-path-lookup", "a bare entrypoint name is looked up through PATH",
   'FROM debian:bookworm\nCOPY --chmod=755 docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["redis-server"]\n',
   {"docker-entrypoint.sh": ('#!/bin/sh\nexec "$@"\n', X)})
fx("df-no-command", "scratch with no ENTRYPOINT or CMD: docker run fails",
   'FROM scratch\nCOPY README /README\n', {"README": "nothing to run\n"}, options={"expectRunFailure": True})
fx("df-shell-form-no-shell", "shell form on distroless: there is no /bin/sh",
   'FROM gcr.io/distroless/static-debian12\nCMD redis-server\n')
fx("df-stopsignal-inherited", "STOPSIGNAL SIGQUIT is inherited from the nginx image",
   'FROM nginx:1.27\nCOPY index.html /usr/share/nginx/html/\n', {"index.html": "<h1>hi</h1>\n"})
fx("df-crlf-script", "an entrypoint with CRLF line endings: /bin/sh\\r does not exist",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
   {"entrypoint.sh": ('#!/bin/sh\r\nexec redis-server\r\n', X)})
fx("df-no-shebang", "an entrypoint without #!: exec format error",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
   {"entrypoint.sh": ('exec redis-server\n', X)})
fx("df-missing-interpreter", "#!/bin/bash on Alpine: no such file or directory",
   'FROM alpine:3.20\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
   {"entrypoint.sh": ('#!/bin/bash\nexec redis-server\n', X)})
fx("df-env-path", "ENV PATH extends the inherited PATH and the command is found in the new directory",
   'FROM debian:bookworm\nENV PATH=/opt/app/bin:$PATH\nCOPY --chmod=755 serve /opt/app/bin/serve\nCMD ["serve"]\n',
   {"serve": ('#!/bin/sh\nexec redis-server\n', X)})

# ---- Issue 3: the seed story ---------------------------------------------------------------------
fx("seed-args-without-exec", "\"$@\" without exec: the shell stays PID 1 and nginx is SIGKILLed",
   'FROM nginx:1.27\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n',
   {"entrypoint.sh": ('#!/bin/sh\nset -e\necho "preparing"\n"$@"\n', X)}, options={"stopTimeout": 3})
fx("seed-exec-unquoted-args", "exec $@ re-splits \"daemon off;\": nginx rejects the stray word and exits",
   'FROM nginx:1.27\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n',
   {"entrypoint.sh": ('#!/bin/sh\nexec $@\n', X)})
fx("seed-phpfpm-background-nginx", "php-fpm & then exec nginx: php-fpm is orphaned under nginx and never signalled",
   'FROM nginx:1.27\nCOPY --chmod=755 start.sh /start.sh\nCMD ["/start.sh"]\n',
   {"start.sh": ('#!/bin/sh\nphp-fpm -F &\nexec nginx -g "daemon off;"\n', X)})
fx("seed-supervisord", "supervisord as PID 1 stops its programs on SIGTERM",
   'FROM debian:bookworm\nCOPY supervisord.conf /etc/supervisord.conf\nCMD ["supervisord", "-n", "-c", "/etc/supervisord.conf"]\n',
   {"supervisord.conf": "[supervisord]\nnodaemon=true\n\n[program:redis]\ncommand=redis-server\n"})
fx("seed-trap-usr1-pkill", "a trap forwards SIGUSR1 with pkill but leaves SIGTERM alone, then wait",
   'FROM nginx:1.27\nCOPY --chmod=755 run.sh /run.sh\nCMD ["/run.sh"]\n',
   {"run.sh": ("#!/bin/bash\ntrap 'pkill -USR1 nginx' USR1\nnginx -g 'daemon off;' &\nwait\n", X)}, options={"stopTimeout": 3})
fx("seed-node-no-handler", "an exec'd node app with no SIGTERM handler ignores docker stop at PID 1",
   'FROM node:20\nWORKDIR /app\nCOPY server.js .\nCMD ["node", "server.js"]\n',
   {"server.js": "require('http').createServer((q, s) => s.end('ok')).listen(3000);\n"}, options={"stopTimeout": 3})

# ---- Issue 3: constructs ----------------------------------------------------------------------------
fx("sh-exec-quoted-args", "exec \"$@\" keeps the arguments and makes nginx PID 1",
   'FROM nginx:1.27\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n',
   {"entrypoint.sh": ('#!/bin/sh\nset -e\nexec "$@"\n', X)})
fx("sh-trap-forward-no-wait", "the TERM trap forwards but does not wait: the service is killed mid-shutdown",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /run.sh\nCMD ["/run.sh"]\n',
   {"run.sh": ("#!/bin/sh\ntrap 'kill -TERM $pid' TERM\nredis-server &\npid=$!\nwait $pid\n", X)})
fx("sh-trap-forward-wait", "the TERM trap forwards, waits and exits with the service's status",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /run.sh\nCMD ["/run.sh"]\n',
   {"run.sh": ("#!/bin/sh\ntrap 'kill -TERM $pid; wait $pid; exit $?' TERM\nredis-server &\npid=$!\nwait $pid\n", X)})
fx("sh-trap-exit-only", "trap 'exit 0' TERM with app & wait: fast stop, but the service never sees TERM",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /run.sh\nCMD ["/run.sh"]\n',
   {"run.sh": ("#!/bin/sh\ntrap 'exit 0' TERM\nredis-server &\nwait\n", X)})
fx("sh-debug-scenario", "a branch on DEBUG, set only at run time: two scenarios",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["redis-server"]\n',
   {"entrypoint.sh": ('#!/bin/sh\nif [ -n "$DEBUG" ]; then\n  echo "debug mode"\n  "$@"\nelse\n  exec "$@"\nfi\n', X)})
fx("sh-case-first-arg", "case on $1 prepends the program when the first argument is an option",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["--port", "6379"]\n',
   {"entrypoint.sh": ('#!/bin/sh\nset -e\ncase "$1" in\n  -*) set -- redis-server "$@" ;;\nesac\nexec "$@"\n', X)})
fx("sh-function-main", "a _main function called with \"$@\" execs its arguments",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["redis-server"]\n',
   {"entrypoint.sh": ('#!/bin/bash\nset -euo pipefail\n_main() {\n  local first="$1"\n  if [ "${first:0:1}" = "-" ]; then\n    set -- redis-server "$@"\n  fi\n  exec "$@"\n}\n_main "$@"\n', X)})
fx("sh-shift-set", "shift drops a mode word; set -- rebuilds the argv",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["serve", "--port", "6379"]\n',
   {"entrypoint.sh": ('#!/bin/sh\nmode="$1"\nshift\nif [ "$mode" = serve ]; then\n  set -- redis-server "$@"\nfi\nexec "$@"\n', X)})
fx("sh-source-lib", "the entrypoint sources a library from the build context",
   'FROM debian:bookworm\nCOPY lib.sh /usr/local/lib/lib.sh\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
   {"lib.sh": 'start_service() {\n  exec redis-server "$@"\n}\n', "entrypoint.sh": ('#!/bin/sh\n. /usr/local/lib/lib.sh\nstart_service --port 6379\n', X)})
fx("sh-c-exec-form-dash", "exec form [\"sh\",\"-c\",\"…\"] on Debian: dash stays PID 1",
   'FROM debian:bookworm\nCMD ["sh", "-c", "echo starting; redis-server"]\n', options={"stopTimeout": 3})
fx("sh-c-exec-form-bash", "exec form [\"bash\",\"-c\",\"…\"]: bash execs the last command",
   'FROM debian:bookworm\nCMD ["bash", "-c", "echo starting; redis-server"]\n')
fx("sh-c-bash-trap-keeps-shell", "a trap with an action in bash -c keeps bash as PID 1",
   'FROM debian:bookworm\nCMD ["bash", "-c", "trap \'echo bye\' EXIT; redis-server"]\n', options={"stopTimeout": 3})
fx("sh-c-bash-redirect-keeps-shell", "bash -c does not exec a command with a redirection (measured)",
   'FROM debian:bookworm\nCMD ["bash", "-c", "redis-server >/proc/1/fd/1"]\n', options={"stopTimeout": 3})
fx("init-tini", "tini as ENTRYPOINT forwards SIGTERM to the app and reaps zombies",
   'FROM node:20\nWORKDIR /app\nCOPY server.js .\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["node", "server.js"]\n',
   {"server.js": "setInterval(() => {}, 1000);\n"})
fx("init-tini-no-dashdash", "tini without --: nginx's -g is taken by tini",
   'FROM nginx:1.27\nENTRYPOINT ["tini", "nginx", "-g", "daemon off;"]\n')
fx("init-dumb-init-shebang", "#!/usr/bin/dumb-init /bin/sh makes dumb-init the parent of the script",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["redis-server"]\n',
   {"entrypoint.sh": ('#!/usr/bin/dumb-init /bin/sh\nexec "$@"\n', X)})
fx("wrap-gosu-reexec", "exec gosu user \"$0\" \"$@\" re-runs the script as the user, which then execs the service",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["redis-server"]\n',
   {"entrypoint.sh": ('#!/bin/sh\nset -e\nif [ "$(id -u)" = "0" ]; then\n  exec gosu nobody "$0" "$@"\nfi\nexec "$@"\n', X)})
fx("wrap-su-c", "su -c stays as the parent and is PID 1",
   'FROM debian:bookworm\nCMD ["su", "-c", "exec redis-server", "nobody", "-s", "/bin/sh"]\n')
fx("sh-pipeline-exec-tee", "exec app | tee log: exec replaces only the pipeline's child",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n',
   {"run.sh": ('#!/bin/sh\nexec redis-server 2>&1 | tee /tmp/log\n', X)}, options={"stopTimeout": 3})
fx("sh-subshell", "a subshell that runs the service in the foreground",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n',
   {"run.sh": ('#!/bin/sh\n(cd /tmp && redis-server)\n', X)}, options={"stopTimeout": 3})
fx("svc-nginx-daemonizes", "nginx without daemon off forks into the background: the container exits",
   'FROM debian:bookworm\nCMD ["nginx"]\n')
fx("svc-script-ends", "a script that starts nothing long-running: PID 1 ends, the container exits",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n',
   {"run.sh": ('#!/bin/sh\necho "configured"\n', X)})
fx("svc-busybox-bare-sh", "CMD [\"sh\"] without -it reads nothing from stdin and exits",
   'FROM busybox\nCMD ["sh"]\n')
fx("svc-python-exec", "an exec'd python app: SIGTERM is dropped at PID 1",
   'FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\nCMD ["python3", "app.py"]\n',
   {"app.py": "import time\nwhile True:\n    time.sleep(1)\n"}, options={"stopTimeout": 3})
fx("svc-python-stopsignal-int", "STOPSIGNAL SIGINT reaches python's KeyboardInterrupt handler",
   'FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\nSTOPSIGNAL SIGINT\nCMD ["python3", "app.py"]\n',
   {"app.py": "import time\nwhile True:\n    time.sleep(1)\n"})
fx("sh-dash-trap-sig-prefix", "dash rejects trap ... SIGTERM: no trap is set, the stop ends in SIGKILL",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n',
   {"run.sh": ("#!/bin/sh\ntrap 'kill -TERM $pid; wait $pid' SIGTERM\nredis-server &\npid=$!\nwait $pid\n", X)}, options={"stopTimeout": 3})
fx("sh-bashism-under-dash", "bash-only syntax in a #!/bin/sh script on Debian",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh", "redis-server"]\n',
   {"run.sh": ('#!/bin/sh\nif [[ "$1" == redis* ]]; then\n  exec "$@"\nfi\n', X)})
fx("svc-two-services-wait", "two services started in the background, then wait: no supervisor",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n',
   {"run.sh": ('#!/bin/sh\nredis-server &\nmemcached &\nwait\n', X)}, options={"stopTimeout": 3})
fx("svc-stopsignal-mismatch-phpfpm", "php-fpm stops gracefully on SIGQUIT, but the image says SIGTERM",
   'FROM php:8.3-fpm\nSTOPSIGNAL SIGTERM\n')
fx("svc-httpd-foreground", "httpd: STOPSIGNAL SIGWINCH is inherited and reaches httpd",
   'FROM httpd:2.4\nCOPY index.html /usr/local/apache2/htdocs/\n', {"index.html": "<h1>hi</h1>\n"})
fx("sh-mksh-missing-interpreter", "#!/bin/mksh on Debian, where mksh is not installed",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n',
   {"run.sh": ('#!/bin/mksh\nprint "starting"\nredis-server\n', X)}, options={"stopTimeout": 3})
fx("sh-while-keepalive", "a keep-alive loop: the shell stays PID 1 forever",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n',
   {"run.sh": ('#!/bin/sh\nredis-server &\nwhile true; do\n  sleep 3600\ndone\n', X)}, options={"stopTimeout": 3})
fx("sh-for-loop-config", "a for loop over config files, then exec",
   'FROM debian:bookworm\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["redis-server"]\n',
   {"entrypoint.sh": ('#!/bin/sh\nfor f in a b c; do\n  echo "config $f"\ndone\nexec "$@"\n', X)})
fx("sh-env-default-param", "${PORT:-6379} default and an exported variable",
   'FROM debian:bookworm\nENV MODE=server\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
   {"entrypoint.sh": ('#!/bin/sh\n: "${PORT:=6379}"\nexport PORT\nif [ "$MODE" = server ]; then\n  exec redis-server --port "${PORT:-6379}"\nfi\nexec sleep 1000\n', X)})
fx("sh-exec-redirect-only", "exec >log 2>&1 only redirects; the service then runs in the foreground",
   'FROM debian:bookworm\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n',
   {"run.sh": ('#!/bin/sh\nexec >/tmp/log 2>&1\nredis-server\n', X)}, options={"stopTimeout": 3})
fx("sh-zombie-no-reaper", "a short background job before exec: it ends by itself; whether its zombie is reaped is up to the exec'd program",
   'FROM debian:bookworm\nCMD ["sh", "-c", "sleep 1 & exec redis-server"]\n')

# ---- Official-style entrypoints -----------------------------------------------------------------------
fx("official-nginx-style", "in the style of nginx's docker-entrypoint.sh: run /docker-entrypoint.d/*.sh, then exec",
   'FROM nginx:1.27\nCOPY --chmod=755 docker-entrypoint.sh /docker-entrypoint.sh\nCOPY --chmod=755 10-listen.sh /docker-entrypoint.d/\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["nginx", "-g", "daemon off;"]\n',
   {"docker-entrypoint.sh": ('#!/bin/sh\nset -e\n\nentrypoint_log() {\n    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then\n        echo "$@"\n    fi\n}\n\nif [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then\n    if /usr/bin/find "/docker-entrypoint.d/" -mindepth 1 -maxdepth 1 -type f -print -quit 2>/dev/null | read v; then\n        entrypoint_log "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"\n        find "/docker-entrypoint.d/" -follow -type f -print | sort -V | while read -r f; do\n            case "$f" in\n                *.sh)\n                    if [ -x "$f" ]; then\n                        entrypoint_log "$0: Launching $f";\n                        "$f"\n                    fi\n                    ;;\n                *) entrypoint_log "$0: Ignoring $f";;\n            esac\n        done\n        entrypoint_log "$0: Configuration complete; ready for start up"\n    fi\nfi\n\nexec "$@"\n', X),
    "10-listen.sh": ('#!/bin/sh\necho "listen on ${NGINX_PORT:-80}"\n', X)})
fx("official-redis-style", "in the style of redis's docker-entrypoint.sh: chown, drop privileges with gosu, exec",
   'FROM debian:bookworm\nWORKDIR /data\nCOPY --chmod=755 docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["redis-server"]\n',
   {"docker-entrypoint.sh": ('#!/bin/sh\nset -e\n\n# first arg is `-f` or `--some-option`\n# or first arg is `something.conf`\nif [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then\n\tset -- redis-server "$@"\nfi\n\n# allow the container to be started with `--user`\nif [ "$1" = \'redis-server\' -a "$(id -u)" = \'0\' ]; then\n\tfind . \\! -user nobody -exec chown nobody \'{}\' +\n\texec gosu nobody "$0" "$@"\nfi\n\numask 0077\n\nexec "$@"\n', X)})
fx("official-postgres-style", "in the style of postgres's docker-entrypoint.sh: _main, _is_sourced, gosu re-exec",
   'FROM postgres:16\nCOPY --chmod=755 docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["postgres"]\n',
   {"docker-entrypoint.sh": ('#!/usr/bin/env bash\nset -Eeo pipefail\n\n_is_sourced() {\n\t[ "${#FUNCNAME[@]}" -ge 2 ] \\\n\t\t&& [ "${FUNCNAME[0]}" = \'_is_sourced\' ] \\\n\t\t&& [ "${FUNCNAME[1]}" = \'source\' ]\n}\n\ndocker_setup_env() {\n\tdeclare -g DATABASE_ALREADY_EXISTS\n\tif [ -s "$PGDATA/PG_VERSION" ]; then\n\t\tDATABASE_ALREADY_EXISTS=\'true\'\n\tfi\n}\n\n_main() {\n\tif [ "${1:0:1}" = \'-\' ]; then\n\t\tset -- postgres "$@"\n\tfi\n\n\tif [ "$1" = \'postgres\' ] && ! _pg_want_help "$@"; then\n\t\tdocker_setup_env\n\t\tif [ "$(id -u)" = \'0\' ]; then\n\t\t\tmkdir -p "$PGDATA"\n\t\t\texec gosu postgres "$BASH_SOURCE" "$@"\n\t\tfi\n\t\tif [ -z "$DATABASE_ALREADY_EXISTS" ]; then\n\t\t\techo "initdb would run here"\n\t\tfi\n\tfi\n\n\texec "$@"\n}\n\n_pg_want_help() {\n\tlocal arg\n\tfor arg; do\n\t\tcase "$arg" in\n\t\t\t-\'?\'|--help|--describe-config|-V|--version)\n\t\t\t\treturn 0\n\t\t\t\t;;\n\t\tesac\n\tdone\n\treturn 1\n}\n\nif ! _is_sourced; then\n\t_main "$@"\nfi\n', X)})
fx("official-mysql-style", "in the style of mysql's docker-entrypoint.sh: _main with mysqld, gosu re-exec",
   'FROM debian:bookworm\nCOPY --chmod=755 docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["mysqld"]\n',
   {"docker-entrypoint.sh": ('#!/bin/bash\nset -eo pipefail\nshopt -s nullglob\n\nmysql_note() {\n\techo "[Note] [Entrypoint]: $*"\n}\n\n_main() {\n\tif [ "${1:0:1}" = \'-\' ]; then\n\t\tset -- mysqld "$@"\n\tfi\n\tif [ "$1" = \'mysqld\' ]; then\n\t\tmysql_note "Entrypoint script for MySQL Server started."\n\t\tif [ "$(id -u)" = "0" ]; then\n\t\t\tmysql_note "Switching to dedicated user \'mysql\'"\n\t\t\texec gosu nobody "$BASH_SOURCE" "$@"\n\t\tfi\n\tfi\n\texec "$@"\n}\n\n_main "$@"\n', X)})

def main():
    os.makedirs(ROOT, exist_ok=True)
    for name, f in F.items():
        d = os.path.join(ROOT, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "Dockerfile"), "w", newline="") as fh:
            fh.write(f["dockerfile"])
        for rel, v in f["files"].items():
            content, mode = (v, 0o644) if isinstance(v, str) else v
            p = os.path.join(d, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w", newline="") as fh:
                fh.write(content)
            os.chmod(p, mode)
        exp = os.path.join(d, "expected.json")
        if not os.path.exists(exp):
            obj = {"description": f["desc"], "observed": f["observed"]}
            if f["options"]:
                obj["options"] = f["options"]
            with open(exp, "w") as fh:
                fh.write(json.dumps(obj, indent=2) + "\n")
    print(len(F), "fixtures")
main()
