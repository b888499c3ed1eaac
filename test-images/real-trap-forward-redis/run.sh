#!/bin/sh
# forwards TERM to redis-server and waits for it
trap 'kill -TERM "$child"; wait "$child"; exit 0' TERM
redis-server --save "" --appendonly no &
child=$!
wait "$child"
