#!/bin/sh
exec >/tmp/log 2>&1
redis-server
