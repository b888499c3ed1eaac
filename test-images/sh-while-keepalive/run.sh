#!/bin/sh
redis-server &
while true; do
  sleep 3600
done
