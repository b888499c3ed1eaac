#!/bin/sh
(cd /tmp && redis-server)
