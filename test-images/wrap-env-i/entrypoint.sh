#!/bin/sh
if [ "$MODE" = cache ]; then
  exec redis-server
fi
exec nginx -g 'daemon off;'
