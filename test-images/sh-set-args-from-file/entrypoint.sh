#!/bin/sh
# The server's arguments are kept in a file of the image, one or more per line.
set -- $(cat /etc/redis.args)
exec redis-server "$@"
