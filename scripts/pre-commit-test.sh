#!/usr/bin/env bash
# scripts/pre-commit-test.sh: the hooks of .pre-commit-hooks.yaml run by pre-commit itself
# (`pre-commit try-repo`, which clones this repository as a user's pre-commit would, and builds the tool
# there on first use) against a fixture repository: services/api (an entrypoint that forgets exec: both
# hooks fail on it), services/web/Containerfile (graceful) and tools/lint.sh (no image runs it).
# Skipped, saying so, when pre-commit is not installed (Debian: apt-get install pre-commit). Exit 1 on a
# mismatch. The hook repository is this checkout (uncommitted changes included: pre-commit makes a shadow
# commit of tracked and staged files).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v pre-commit >/dev/null; then echo "pre-commit test: skipped: pre-commit is not installed"; exit 0; fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
repo="$tmp/repo"
mkdir -p "$repo/services/api" "$repo/services/web" "$repo/tools"
cp "$ROOT/test-images/seed-args-without-exec/Dockerfile" "$ROOT/test-images/seed-args-without-exec/entrypoint.sh" "$repo/services/api/"
printf 'FROM nginx:1.27\nCMD ["nginx", "-g", "daemon off;"]\n' > "$repo/services/web/Containerfile"
printf '#!/bin/sh\nexec shellcheck "$@"\n' > "$repo/tools/lint.sh"
chmod +x "$repo/services/api/entrypoint.sh" "$repo/tools/lint.sh"
cd "$repo"
git init -q . && git add -A && git -c user.email=ci@example.invalid -c user.name=ci commit -qm fixture
export PRE_COMMIT_HOME="$tmp/cache"
set +e
out="$(pre-commit try-repo "$ROOT" --all-files --color never 2>&1)"
code=$?
set -e
printf '%s\n' "$out" | sed 's/^/  | /'
fail=0
check() { if printf '%s\n' "$out" | grep -Eq "$1"; then echo "  ✓ $2"; else echo "  ✗ $2"; fail=1; fi; }
[ "$code" = 1 ] && echo "  ✓ pre-commit exits 1" || { echo "  ✗ pre-commit exited $code, not 1"; fail=1; }
check '^audit-image \(Dockerfiles\)\.+Failed$' "the Dockerfile hook fails"
check '^audit-image \(entrypoint scripts\)\.+Failed$' "the entrypoint-script hook fails"
check 'shell-stays-pid1 +services/api/entrypoint\.sh:4' "on shell-stays-pid1 at services/api/entrypoint.sh:4"
check '━━ services/web/Containerfile' "the Containerfile is audited"
[ "$(printf '%s\n' "$out" | grep -c '━━ services/api/Dockerfile')" = 2 ] && echo "  ✓ services/api/Dockerfile audited once by each hook" || { echo "  ✗ services/api/Dockerfile not audited once by each hook"; fail=1; }
[ "$fail" = 0 ] && echo "pre-commit test: the hooks work under pre-commit" || echo "pre-commit test: FAILED"
exit "$fail"
