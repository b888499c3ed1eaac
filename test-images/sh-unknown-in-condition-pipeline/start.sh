#!/bin/bash
set -e
# A function whose last command is an unknown program: in a pipeline part, bash runs it in a child that
# execs it. The script waits for the pipeline in the condition and goes on.
lookup() {
  storecheck --list "$@"
}
for entry in one two; do
  if lookup --verbose "$entry" | grep -q "$entry"; then
    echo "$entry already present"
  fi
done
exec redis-server
