#!/bin/sh
site="$(command -v redis-site)"
if [ -z "$site" ]; then
  echo "redis-site is not installed" >&2
  exit 1
fi
exec "$site" --port 6379
