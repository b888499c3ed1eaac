#!/bin/sh
# The last command is a subshell that changes directory and execs the service: the subshell's child
# becomes the service; the shell at PID 1 waits for it.
echo starting
( cd /srv/app && exec appserver infinity )
