#!/bin/sh
exec redis-server
