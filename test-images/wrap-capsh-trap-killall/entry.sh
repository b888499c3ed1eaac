#!/bin/bash
# The service runs under capsh (as the redis user, through bash -c), a log
# follower runs beside it. On TERM the handler stops the service by name and
# waits for the capsh job only: the follower is left to the kernel.
on_term() {
  killall -s TERM redis-server
  wait "$svc"
  exit 0
}
trap on_term TERM
capsh --user=redis -- -c "redis-server --save '' --appendonly no >/dev/null" &
svc=$!
tail -f /dev/null &
wait "$svc"
