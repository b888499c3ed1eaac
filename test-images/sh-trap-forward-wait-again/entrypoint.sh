#!/bin/bash
# forward the stop signal, then wait for the service a second time
trap 'kill -TERM "$child"' TERM
"$@" &
child=$!
wait "$child"
trap - TERM
wait "$child"
