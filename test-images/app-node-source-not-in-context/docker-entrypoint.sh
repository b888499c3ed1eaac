#!/bin/sh
set -e
if [ "$(id -u)" = "0" ]; then
  chown -R node:node /srv/app/data
  exec gosu node "$0" "$@"
fi
exec "$@"
