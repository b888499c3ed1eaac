#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): puts audit-image where the run step finds it and writes
# bin=PATH to $GITHUB_OUTPUT.
#   INPUT_VERSION set: `npm install audit-image@VERSION` into $RUNNER_TEMP (the published package), or a
#     tarball of `npm pack ./packages/cli` when it ends in .tgz;
#   empty: this action's own checkout ($ACTION_PATH), built with its lockfile unless already built there.
set -euo pipefail
: "${ACTION_PATH:?}" "${GITHUB_OUTPUT:?}"
node -e 'if (+process.versions.node.split(".")[0] < 20) { console.error(`audit-image needs Node.js 20 or later, this runner has ${process.version} (add actions/setup-node)`); process.exit(1); }'
if [ -n "${INPUT_VERSION:-}" ]; then
  prefix="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/audit-image-npm"
  # a version or tag of the registry's package, or a packed tarball (npm pack ./packages/cli)
  case "$INPUT_VERSION" in
    *.tgz) spec="$INPUT_VERSION" ;;
    *) spec="audit-image@${INPUT_VERSION}" ;;
  esac
  npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "$spec"
  bin="$prefix/node_modules/.bin/audit-image"
else
  bin="$ACTION_PATH/packages/cli/bin/audit-image.js"
  if [ ! -f "$ACTION_PATH/packages/cli/dist/bundle/audit-image.cjs" ] || [ ! -d "$ACTION_PATH/node_modules" ]; then
    echo "building audit-image from $ACTION_PATH"
    (cd "$ACTION_PATH" && npx --yes pnpm@10 install --frozen-lockfile)
  fi
fi
"$bin" --version
echo "bin=$bin" >> "$GITHUB_OUTPUT"
