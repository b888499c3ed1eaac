#!/bin/sh
# the trap ends the script; the background sleep never gets the signal
trap 'echo stopping; exit 0' TERM
sleep 1000 &
wait
