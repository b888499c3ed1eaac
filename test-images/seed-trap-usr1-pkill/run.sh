#!/bin/bash
trap 'pkill -USR1 nginx' USR1
nginx -g 'daemon off;' &
wait
