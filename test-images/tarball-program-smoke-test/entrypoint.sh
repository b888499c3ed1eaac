#!/bin/sh
set -e
# refuse to start when the first word is not an installed program
if [ -z "$(command -v "$1")" ]; then
  echo "entrypoint: $1 is not installed" >&2
  exit 127
fi
exec "$@"
