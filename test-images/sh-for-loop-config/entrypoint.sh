#!/bin/sh
for f in a b c; do
  echo "config $f"
done
exec "$@"
