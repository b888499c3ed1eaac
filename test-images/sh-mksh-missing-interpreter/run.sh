#!/bin/mksh
print "starting"
redis-server
