#!/bin/sh
set -e
. /opt/app/helper.sh
prepare
exec run-service
