#!/bin/sh
set -e
exec gosu redis "$@"
