#!/usr/bin/env bash
# engine/tier.sh — the engine tier for CI (.ci/run calls it).
#   1. installs Debian's docker.io when dockerd is missing (apt-get update first; engine/dockerd.sh does it),
#   2. starts the private daemon (vfs, no iptables, no bridge, own socket and data root under
#      $AUDIT_IMAGE_ENGINE_DIR, default /tmp/audit-image-engine),
#   2b. installs Debian's docker-compose when no Compose is there (best effort: the Compose fixtures need it),
#   3. runs the tier (node engine/tier.mjs: base images, every fixture of test-images/, summary line), then
#      engine/tool-image.mjs (the tool's own image, built from the root Dockerfile, run and stopped),
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

# the Compose fixtures (options.compose) need a Compose: Debian's docker-compose, best effort (without one,
# those fixtures are skipped, visibly)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose; } >/tmp/audit-image-compose-apt.log 2>&1 ||
    echo "engine tier: docker-compose could not be installed (see /tmp/audit-image-compose-apt.log): the Compose fixtures are skipped"
fi
# the tier runs the compiled verify code: build when the repository has not been built yet
if [ ! -f "$ROOT/packages/cli/dist/verify/engine.js" ]; then
  (cd "$ROOT" && node scripts/build.mjs) || { stop_daemon; exit 1; }
fi
node "$HERE/tier.mjs" "$@"
rc=$?
# the image of the tool itself (Dockerfile at the root), on the whole tier only
if [ "$#" = 0 ]; then
  node "$HERE/tool-image.mjs" || rc=1
fi
# verify interrupted by SIGTERM / SIGHUP while building, running and stopping leaves nothing behind
if [ "$#" = 0 ] && [ -d "$ROOT/node_modules/vitest" ]; then
  echo "== verify's signal test (packages/cli/test/verify-signals.test.ts)"
  (cd "$ROOT" && AUDIT_IMAGE_ENGINE_TESTS=1 npx --yes pnpm@10 exec vitest run packages/cli/test/verify-signals.test.ts) || rc=1
fi
stop_daemon
exit "$rc"
