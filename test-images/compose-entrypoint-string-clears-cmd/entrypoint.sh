#!/bin/sh
echo "setup"
"$@"
