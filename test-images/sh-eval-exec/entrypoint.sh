#!/bin/sh
# The command is kept as text and run with eval; its arguments are quoted with backslashes.
cmd='redis-server --port 6379'
dir=/var/lib/redis\ data
eval "exec $cmd --dir \"\$dir\" \"\$@\""
