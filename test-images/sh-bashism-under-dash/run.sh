#!/bin/sh
if [[ "$1" == redis* ]]; then
  exec "$@"
fi
