#!/bin/bash
redis-server &
wait
