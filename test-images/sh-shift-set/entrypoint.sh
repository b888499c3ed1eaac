#!/bin/sh
mode="$1"
shift
if [ "$mode" = serve ]; then
  set -- redis-server "$@"
fi
exec "$@"
