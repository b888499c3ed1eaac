#!/bin/bash
set -e
echo "starting notes on port ${PORT:-3000}"
npm start || {
  echo "notes server stopped with an error" >&2
  exit 1
}
