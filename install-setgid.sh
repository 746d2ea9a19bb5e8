#!/bin/sh
# install-setgid.sh GROUP BINARY: run by `meson install`. Makes the installed binary setgid
# to GROUP (mode 2755), creating GROUP as a system group if it is missing. Only as root and
# straight onto the system: under DESTDIR (packaging) it prints what the package must do.
set -eu
group=$1
bin=${DESTDIR:-}$2
if [ -n "${DESTDIR:-}" ] || [ "$(id -u)" -ne 0 ]; then
	echo "frontdoor: not made setgid (not root, or DESTDIR set): as root, run" >&2
	echo "  groupadd --system $group; chgrp $group $2; chmod 2755 $2" >&2
	exit 0
fi
if ! getent group "$group" >/dev/null; then
	groupadd --system "$group"
	echo "frontdoor: created the system group $group"
fi
chgrp "$group" "$bin"
chmod 2755 "$bin"
echo "frontdoor: $2 is setgid $group; now run 'frontdoor init' as root"
