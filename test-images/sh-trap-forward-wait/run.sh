#!/bin/sh
trap 'kill -TERM $pid; wait $pid; exit $?' TERM
redis-server &
pid=$!
wait $pid
