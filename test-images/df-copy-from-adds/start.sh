#!/bin/sh
exec redis-server --port 7000
