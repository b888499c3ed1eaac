#!/bin/sh
echo "setup"
exec "$@"
