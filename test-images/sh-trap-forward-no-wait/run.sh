#!/bin/sh
trap 'kill -TERM $pid' TERM
redis-server &
pid=$!
wait $pid
