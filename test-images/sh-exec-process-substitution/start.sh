#!/bin/bash
# keep a copy of everything the container prints: the reader is a child of the shell, and of the service after exec
exec > >(cat >> /tmp/start.log) 2>&1
echo "starting $1"
exec "$@"
