#!/bin/sh
redis-server &
memcached &
wait
