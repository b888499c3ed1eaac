#!/bin/bash
set -euo pipefail
_main() {
  local first="$1"
  if [ "${first:0:1}" = "-" ]; then
    set -- redis-server "$@"
  fi
  exec "$@"
}
_main "$@"
