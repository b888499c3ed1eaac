#!/bin/sh
echo "args: $#"
exec "$@"
