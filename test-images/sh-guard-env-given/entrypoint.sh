#!/bin/sh
# The service needs a token; `docker run -e API_TOKEN=…` (audit-image --env API_TOKEN=…) gives it.
if [ -z "$API_TOKEN" ]; then
	echo "API_TOKEN is required" >&2
	exit 1
fi
exec "$@"
