#!/bin/sh
echo "starting nginx"
exec nginx -g 'daemon off;'
