#!/usr/bin/dumb-init /bin/sh
exec "$@"
