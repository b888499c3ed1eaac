#!/bin/sh
php-fpm -F &
exec nginx -g "daemon off;"
