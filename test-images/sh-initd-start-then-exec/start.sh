#!/bin/sh
set -e
/etc/init.d/cron start
exec named -g -u bind
