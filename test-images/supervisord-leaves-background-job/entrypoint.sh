#!/bin/sh
set -e
memcached -u nobody &
exec "$@"
