#!/bin/sh
. /usr/local/lib/lib.sh
start_service --port 6379
