#!/bin/sh
# Stop when the service stops; the service is not sent anything from here.
trap 'wait; exit 0' TERM
redis-server &
wait
