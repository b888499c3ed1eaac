#!/bin/sh
if [ -n "$DEBUG" ]; then
  echo "debug mode"
  "$@"
else
  exec "$@"
fi
