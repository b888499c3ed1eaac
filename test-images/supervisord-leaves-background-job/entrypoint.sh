#!/bin/sh
set -e
tail -f /dev/null &
exec "$@"
