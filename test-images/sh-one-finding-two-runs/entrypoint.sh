#!/bin/sh
# Without exec the shell stays PID 1, with or without the metrics sidecar: one finding for both runs.
if [ "$RUN_MODE" = "direct" ]; then
	exec "$@"
fi
if [ -n "$METRICS" ]; then
	sleep infinity &
fi
"$@"
