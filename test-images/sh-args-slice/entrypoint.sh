#!/bin/bash
# usage: serve OPTIONS... PROGRAM -- the program comes last; its options come before it.
if [ "$1" = serve ]; then
  set -- "${@:2}"
  set -- "${@: -1}" "${@:1:$#-1}"
fi
exec "$@"
