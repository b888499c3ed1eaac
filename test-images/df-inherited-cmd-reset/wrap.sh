#!/bin/sh
echo "wrapping: $*"
exec "$@"
