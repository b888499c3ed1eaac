#!/usr/bin/env bash
# engine/tier.sh — the engine tier for CI (.ci/run calls it).
#   1. installs Debian's docker.io when dockerd is missing (apt-get update first; engine/dockerd.sh does it),
#   2. starts the private daemon (vfs, no iptables, no bridge, own socket and data root under
#      $AUDIT_IMAGE_ENGINE_DIR, default /tmp/audit-image-engine),
#   3. runs the tier (node engine/tier.mjs: base images, every fixture of test-images/, summary line),
#   4. stops the daemon it started, and exits with the tier's exit code.
# Extra arguments go to tier.mjs (fixture names to run only those).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"

if [ "$(id -u)" != 0 ]; then
  # cannot install or start a daemon: tier.mjs uses DOCKER_HOST if it answers, else prints the skip line
  exec node "$HERE/tier.mjs" "$@"
fi
started=0
if ! "$HERE/dockerd.sh" status >/dev/null 2>&1; then started=1; fi
# start is idempotent; it installs docker.io (apt-get update + install) when dockerd is missing
if ! envline="$("$HERE/dockerd.sh" start)"; then
  echo "engine tier: could not start the private Docker daemon (see ${AUDIT_IMAGE_ENGINE_DIR:-/tmp/audit-image-engine}/dockerd.log)"
  exit 1
fi
eval "$envline"
stop_daemon() { [ "$started" = 1 ] && "$HERE/dockerd.sh" stop || true; }
trap 'stop_daemon; exit 130' INT
trap 'stop_daemon; exit 143' TERM

# the tier runs the compiled verify code: build when the repository has not been built yet
if [ ! -f "$ROOT/packages/cli/dist/verify/engine.js" ]; then
  (cd "$ROOT" && node scripts/build.mjs) || { stop_daemon; exit 1; }
fi
node "$HERE/tier.mjs" "$@"
rc=$?
# verify interrupted by SIGTERM / SIGHUP while building, running and stopping leaves nothing behind
if [ "$#" = 0 ] && [ -d "$ROOT/node_modules/vitest" ]; then
  echo "== verify's signal test (packages/cli/test/verify-signals.test.ts)"
  (cd "$ROOT" && AUDIT_IMAGE_ENGINE_TESTS=1 npx --yes pnpm@10 exec vitest run packages/cli/test/verify-signals.test.ts) || rc=1
fi
stop_daemon
exit "$rc"
