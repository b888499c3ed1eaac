#!/bin/bash
# restart the command whenever it exits cleanly, in a background subshell the script waits for
( while "$@"; ret=$?; [[ $ret -eq 0 ]]; do echo "restarting $1"; done ) &
PID=$!

# on a stop, tell the loop; the loop's subshell has no handler for USR1 and dies, the command is never told
trap "kill -USR1 $PID" INT TERM
wait
