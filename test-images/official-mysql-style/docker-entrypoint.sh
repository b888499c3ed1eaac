#!/bin/bash
set -eo pipefail
shopt -s nullglob

mysql_note() {
	echo "[Note] [Entrypoint]: $*"
}

_main() {
	if [ "${1:0:1}" = '-' ]; then
		set -- mysqld "$@"
	fi
	if [ "$1" = 'mysqld' ]; then
		mysql_note "Entrypoint script for MySQL Server started."
		if [ "$(id -u)" = "0" ]; then
			mysql_note "Switching to dedicated user 'mysql'"
			exec gosu nobody "$BASH_SOURCE" "$@"
		fi
	fi
	exec "$@"
}

_main "$@"
