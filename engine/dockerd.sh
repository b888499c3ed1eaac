#!/usr/bin/env bash
# engine/dockerd.sh start|stop|env|status
#
# A PRIVATE Docker daemon for audit-image's real-engine checks. It never touches
# /var/run/docker.sock or /var/lib/docker: everything lives under
#   $AUDIT_IMAGE_ENGINE_DIR   (default /tmp/audit-image-engine)
#     data/        --data-root   (images, containers; vfs storage driver)
#     exec/        --exec-root   (runtime state, managed containerd socket)
#     docker.sock  the API socket
#     dockerd.pid  the daemon's pid
#     dockerd.log  daemon stdout/stderr
#
#   start   install Debian's docker.io if dockerd is missing, start the daemon
#           (no-op when it is already up), wait up to $AUDIT_IMAGE_ENGINE_WAIT
#           seconds (default 30) for `docker info`, print the export line
#   stop    SIGTERM the daemon, wait up to 20 s, then SIGKILL (no-op when down)
#   env     print `export DOCKER_HOST=unix://…/docker.sock`
#   status  exit 0 when the daemon answers, 1 otherwise
#
# Usage:   eval "$(engine/dockerd.sh start)"   then plain `docker …` commands.
# Only the export line goes to stdout; progress goes to stderr.
set -euo pipefail

DIR="${AUDIT_IMAGE_ENGINE_DIR:-/tmp/audit-image-engine}"
SOCK="$DIR/docker.sock"
PIDFILE="$DIR/dockerd.pid"
LOG="$DIR/dockerd.log"
WAIT="${AUDIT_IMAGE_ENGINE_WAIT:-30}"
export DOCKER_HOST="unix://$SOCK"

log() { printf 'dockerd.sh: %s\n' "$*" >&2; }

print_env() { printf 'export DOCKER_HOST=unix://%s\n' "$SOCK"; }

# Any docker client answers `info`; the docker 28 CLI negotiates the API
# version down to the daemon's 1.41, so the first client on PATH is fine.
answers() { timeout 5 docker info >/dev/null 2>&1; }

daemon_pid() {
  [ -s "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # make sure the pid was not recycled by something else
  grep -q dockerd "/proc/$pid/comm" 2>/dev/null || return 1
  printf '%s\n' "$pid"
}

ensure_installed() {
  command -v dockerd >/dev/null 2>&1 && return 0
  log "dockerd not found: installing Debian's docker.io with apt-get"
  # Never let the package start the system-wide docker/containerd services.
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # --no-install-recommends: skip apparmor, git, cgroupfs-mount, xz-utils, ...
  apt-get install -y -qq --no-install-recommends docker.io >&2
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  command -v dockerd >/dev/null 2>&1 || { log "dockerd still missing after apt-get"; exit 1; }
}

start() {
  mkdir -p "$DIR/data" "$DIR/exec"
  if daemon_pid >/dev/null && answers; then
    log "already running (pid $(daemon_pid))"
    print_env
    return 0
  fi
  if daemon_pid >/dev/null; then
    # a daemon that is alive but does not answer: give it the normal wait below
    log "daemon pid $(daemon_pid) alive but not answering yet"
  else
    ensure_installed
    rm -f "$PIDFILE" "$SOCK"
    local t0 t1
    t0=$(date +%s.%N)
    # setsid: own session, so the daemon survives the shell that started it
    # and a Ctrl-C in that shell does not reach it.
    setsid dockerd \
      --storage-driver=vfs \
      --iptables=false --ip6tables=false --bridge=none \
      --data-root "$DIR/data" \
      --exec-root "$DIR/exec" \
      --pidfile "$PIDFILE" \
      -H "unix://$SOCK" \
      </dev/null >>"$LOG" 2>&1 &
    log "started dockerd (pid $!), log $LOG"
  fi
  local i=0
  while ! answers; do
    i=$((i + 1))
    if [ "$i" -gt $((WAIT * 5)) ]; then
      log "daemon did not answer within ${WAIT}s; last log lines:"
      tail -n 20 "$LOG" >&2 || true
      exit 1
    fi
    if [ "$i" -gt 10 ] && ! daemon_pid >/dev/null && ! pgrep -f -- "--pidfile $PIDFILE" >/dev/null; then
      log "dockerd died; last log lines:"
      tail -n 20 "$LOG" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  if [ -n "${t0:-}" ]; then
    t1=$(date +%s.%N)
    log "daemon answers after $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"
  fi
  print_env
}

stop() {
  local pid
  if ! pid="$(daemon_pid)"; then
    log "not running"
    rm -f "$PIDFILE"
    return 0
  fi
  # containers still running would hold the daemon up to their stop timeout
  kill -TERM "$pid"
  local i=0
  while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -gt 100 ]; then
      log "dockerd $pid still alive after 20 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  # the daemon-managed containerd normally exits with dockerd; make sure
  local cpid
  for f in "$DIR/exec/containerd/containerd.pid" "$DIR/data/containerd/daemon/containerd.pid"; do
    if [ -s "$f" ] && cpid="$(cat "$f")" && kill -0 "$cpid" 2>/dev/null \
       && grep -q containerd "/proc/$cpid/comm" 2>/dev/null; then
      kill -TERM "$cpid" 2>/dev/null || true
      sleep 1
      kill -KILL "$cpid" 2>/dev/null || true
    fi
  done
  rm -f "$PIDFILE"
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  status) daemon_pid >/dev/null && answers ;;
  *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
