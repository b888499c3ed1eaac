#!/bin/sh
redis-server &
wait
