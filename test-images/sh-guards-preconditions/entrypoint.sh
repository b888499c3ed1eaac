#!/bin/sh
# A server that refuses to start half-configured: two guards, then the service.
if [ "${1#-}" != "$1" ]; then
	set -- redis-server "$@"
fi
if [ -z "$REDIS_PASSWORD" ]; then
	if [ "$ALLOW_EMPTY_PASSWORD" != "yes" ]; then
		echo "error: set REDIS_PASSWORD, or ALLOW_EMPTY_PASSWORD=yes to run without one" >&2
		exit 1
	fi
fi
if [ -n "$REDIS_REPLICA_OF" ]; then
	if [ -z "$REDIS_PRIMARY_PORT" ]; then
		echo "error: REDIS_REPLICA_OF needs REDIS_PRIMARY_PORT" >&2
		exit 78
	fi
fi
exec "$@"
