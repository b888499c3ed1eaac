#!/bin/sh
if [ -z "$PASSWORD" ]; then
  echo "PASSWORD must be set" >&2
  exit 1
fi
exec "$@"
