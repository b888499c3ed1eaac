#!/bin/sh
set -e
case "$1" in
  -*) set -- redis-server "$@" ;;
esac
exec "$@"
