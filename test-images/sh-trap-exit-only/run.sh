#!/bin/sh
trap 'exit 0' TERM
redis-server &
wait
