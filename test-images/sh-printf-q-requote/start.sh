#!/bin/bash
set -e
# Drop to the service user; the inner bash gets the arguments back as one
# command string, each one requoted by printf %q, and execs them.
exec setpriv --reuid=redis --regid=redis --init-groups \
  /bin/bash -c "exec $(printf ' %q' "$@")"
