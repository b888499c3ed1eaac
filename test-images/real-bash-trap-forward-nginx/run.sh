#!/bin/bash
trap 'kill -TERM "$pid"; wait "$pid"; exit 0' TERM
nginx -g 'daemon off;' &
pid=$!
wait "$pid"
