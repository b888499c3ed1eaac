#!/bin/bash
# The server's options are built as an array: fixed ones, then the container's arguments.
opts=(--port 6379 --dir "/var/lib/redis data")
opts+=(--loglevel warning)
extra=("$@")
if [ "${#extra[@]}" -gt 0 ]; then
  opts+=("${extra[@]}")
fi
exec redis-server "${opts[@]}"
