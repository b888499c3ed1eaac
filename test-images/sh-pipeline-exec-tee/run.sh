#!/bin/sh
exec redis-server 2>&1 | tee /tmp/log
