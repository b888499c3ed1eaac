#!/bin/sh
set -eu

# the application's own CLI lists what is enabled; the list goes through a few filters into a file
enabled_modules() {
    php /var/www/html/console modules:list | sed -n '/^Enabled:/,/^Disabled:/p' | sed '1d;$d' | sort
}

if [ -f /var/www/html/console ]; then
    enabled_modules > /tmp/modules.before
fi

exec "$@"
