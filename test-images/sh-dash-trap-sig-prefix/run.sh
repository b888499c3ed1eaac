#!/bin/sh
trap 'kill -TERM $pid; wait $pid' SIGTERM
redis-server &
pid=$!
wait $pid
