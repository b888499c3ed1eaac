#!/bin/sh
# Which script runs is only known when the container starts.
cd "$APP_HOME"
exec sh "./$APP_SCRIPT"
