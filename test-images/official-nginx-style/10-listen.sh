#!/bin/sh
echo "listen on ${NGINX_PORT:-80}"
