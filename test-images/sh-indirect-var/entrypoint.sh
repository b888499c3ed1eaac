#!/bin/bash
# Settings read through variable names (file_env style); the program is the last argument (${!#}).
port_var=REDIS_PORT
level_var=LOGLEVEL
LOGLEVEL=warning
port="${!port_var:-6379}"
exec "${!#}" --port "$port" --loglevel "${!level_var}"
