#!/usr/bin/env bash
# The pre-commit hooks' entry (.pre-commit-hooks.yaml, language: script): runs this checkout's audit-image
# with the hook's arguments and the files pre-commit passes. pre-commit clones the hook repository into its
# cache; the first run there builds the tool (pnpm through npx, as the README's set-up), once, under a lock.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/packages/cli/bin/audit-image.js"
if [ ! -f "$root/packages/cli/dist/bundle/audit-image.cjs" ] || [ ! -d "$root/node_modules" ]; then
  lock="$root/.audit-image-build.lock"
  until mkdir "$lock" 2>/dev/null; do sleep 1; done
  trap 'rmdir "$lock"' EXIT
  if [ ! -f "$root/packages/cli/dist/bundle/audit-image.cjs" ] || [ ! -d "$root/node_modules" ]; then
    echo "audit-image: building the tool in $root (first run of the hook)" >&2
    (cd "$root" && npx --yes pnpm@10 install --frozen-lockfile >&2)
  fi
  rmdir "$lock"
  trap - EXIT
fi
exec node "$bin" "$@"
