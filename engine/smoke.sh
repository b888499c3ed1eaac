#!/usr/bin/env bash
# engine/smoke.sh — proves the engine infrastructure end to end:
#   1. starts the private daemon (engine/dockerd.sh) and builds the bases
#   2. builds tiny images FROM the stand-in bases, runs them with
#      --network none, reads the process tree from the HOST side (no ps in the
#      image), runs `docker stop -t 3` and measures duration and exit code.
#
# Cases:
#   exec      debian, ENTRYPOINT ["/entrypoint.sh"] (exec "$@"), CMD ["nginx"]
#             -> nginx stand-in is PID 1, TERM = fast stop, exit 0 at once
#   noexec    same but the script runs "$@" without exec
#             -> dash stays PID 1, drops TERM, SIGKILL after 3 s, exit 137
#   node      alpine, CMD ["node","server.js"] (exec form)
#             -> node stand-in PID 1 re-raises TERM, kernel ignores it, 137
#   init      the noexec image with `docker run --init`
#             -> docker-init (tini) PID 1 forwards TERM to dash (not PID 1 any
#                more, so TERM kills it), tini exits 143
#
# Leaves the daemon running (engine/dockerd.sh stop to end it) unless
# SMOKE_STOP_DAEMON=1.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${AUDIT_IMAGE_ENGINE_DIR:-/tmp/audit-image-engine}"

t0=$(date +%s.%N)
eval "$("$HERE/dockerd.sh" start)"
t1=$(date +%s.%N)
"$HERE/base-images.sh"
t2=$(date +%s.%N)
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }
echo "daemon ready in $(secs "$t0" "$t1") s; base images in $(secs "$t1" "$t2") s"

# The docker 28 CLI has no buildx here and the 20.10 daemon answers with
# builder version 1, so `docker build` uses the legacy builder anyway;
# DOCKER_BUILDKIT=0 makes that explicit.
export DOCKER_BUILDKIT=0

CTX="$DIR/smoke"
rm -rf "$CTX"; mkdir -p "$CTX/exec" "$CTX/noexec" "$CTX/node"
printf '#!/bin/sh\necho "entrypoint: exec $*"\nexec "$@"\n' >"$CTX/exec/entrypoint.sh"
printf '#!/bin/sh\necho "entrypoint: run $* (no exec)"\n"$@"\n' >"$CTX/noexec/entrypoint.sh"
chmod +x "$CTX"/*/entrypoint.sh
for c in exec noexec; do
  printf 'FROM debian\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["nginx"]\n' >"$CTX/$c/Dockerfile"
done
printf 'FROM alpine\nWORKDIR /app\nCMD ["node","server.js"]\n' >"$CTX/node/Dockerfile"
for c in exec noexec node; do
  docker build -q -t "audit-image-smoke-$c" "$CTX/$c" 2>/dev/null >/dev/null
done

# process tree of a container, from the host: PPid links in /proc/*/status
# (this kernel has no /proc/<pid>/task/<tid>/children)
tree() {
  local pid="$1" indent="$2" nspid argv
  nspid=$(awk '$1=="NSpid:"{print $NF}' "/proc/$pid/status")
  argv=$(tr '\0' ' ' <"/proc/$pid/cmdline")
  printf '%shost %s  ns-pid %s  %s\n' "$indent" "$pid" "$nspid" "$argv"
  local s c
  for s in /proc/[0-9]*/status; do
    c=${s#/proc/}; c=${c%/status}
    [ "$(awk '$1=="PPid:"{print $2}' "$s" 2>/dev/null)" = "$pid" ] && tree "$c" "$indent  "
  done
  return 0
}

run_case() {
  local label="$1"; shift
  local name="audit-image-smoke-$label-$$"
  docker rm -f "$name" >/dev/null 2>&1 || true
  docker run -d --name "$name" --network none "$@" >/dev/null
  sleep 1
  local pid
  pid=$(docker inspect -f '{{.State.Pid}}' "$name")
  echo "---- case $label: docker run --network none $*"
  echo "process tree (host view):"
  tree "$pid" "  "
  # SigCgt alone is not enough: tini/dumb-init block signals and sigwait()
  # for them (SigCgt 0, SigBlk set); blocked signals are still delivered.
  echo "PID 1 signal masks: $(grep -E '^Sig(Blk|Ign|Cgt)' "/proc/$pid/status" | tr '\t\n' '  ')"
  echo "docker top:"
  docker top "$name" 2>&1 | sed 's/^/  /'
  local s e
  s=$(date +%s.%N)
  docker stop -t 3 "$name" >/dev/null
  e=$(date +%s.%N)
  local code
  code=$(docker inspect -f '{{.State.ExitCode}}' "$name")
  echo "docker stop -t 3: $(secs "$s" "$e") s, exit code $code"
  echo "container log:"
  docker logs "$name" 2>&1 | sed 's/^/  /'
  docker rm "$name" >/dev/null
  RESULTS+=("$label: stop $(secs "$s" "$e") s, exit $code")
}

RESULTS=()
run_case exec audit-image-smoke-exec
run_case noexec audit-image-smoke-noexec
run_case node audit-image-smoke-node
run_case init --init audit-image-smoke-noexec
echo "==== summary"
printf '%s\n' "${RESULTS[@]}"
if [ "${SMOKE_STOP_DAEMON:-0}" = 1 ]; then "$HERE/dockerd.sh" stop; fi
