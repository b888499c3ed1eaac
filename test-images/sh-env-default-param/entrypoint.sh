#!/bin/sh
: "${PORT:=6379}"
export PORT
if [ "$MODE" = server ]; then
  exec redis-server --port "${PORT:-6379}"
fi
exec sleep 1000
