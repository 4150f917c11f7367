#!/usr/bin/env bash
# Installs paklog as a packaged daemon would be laid out (GNU/FHS conventions):
#   $DESTDIR$PREFIX/bin/paklog                          the binary
#   $DESTDIR$PREFIX/share/paklog/Mappings/              the shipped mappings, with their fixtures
#   $DESTDIR$PREFIX/share/doc/paklog/README.md
#   $DESTDIR$PREFIX/lib/systemd/system/paklog.service   the unit, its paths set to PREFIX/SYSCONFDIR
#   $DESTDIR$PREFIX/lib/sysusers.d/paklog.conf          the service account
#   $DESTDIR$PREFIX/lib/tmpfiles.d/paklog.conf          the configuration directory
#   $DESTDIR$SYSCONFDIR/paklog/paklog.yaml              an example configuration (kept if present)
#   $DESTDIR$SYSCONFDIR/paklog/secrets/                 a new webhook secret and API token (kept if present)
# systemd reads units, sysusers.d and tmpfiles.d from /usr/local/lib as well as /usr/lib.
#
# Usage: scripts/install.sh              (PREFIX=/usr/local SYSCONFDIR=/etc DESTDIR= PAKLOG_BINARY=…)
# Then, as root on the target:  systemd-sysusers && systemd-tmpfiles --create && systemctl daemon-reload
#                               && systemctl enable --now paklog
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX="${PREFIX:-/usr/local}"
SYSCONFDIR="${SYSCONFDIR:-/etc}"
DESTDIR="${DESTDIR:-}"

if [ -n "${PAKLOG_BINARY:-}" ]; then
  binary="$PAKLOG_BINARY"
else
  swift build -c release --product paklog
  binary="$(swift build -c release --show-bin-path)/paklog"
fi
[ -x "$binary" ] || { echo "install.sh: no executable at $binary" >&2; exit 1; }

root="$DESTDIR"
bindir="$PREFIX/bin"
sharedir="$PREFIX/share/paklog"
unitdir="$PREFIX/lib/systemd/system"
confdir="$SYSCONFDIR/paklog"

install -d -m 0755 "$root$bindir" "$root$sharedir" "$root$PREFIX/share/doc/paklog" "$root$unitdir" \
  "$root$PREFIX/lib/sysusers.d" "$root$PREFIX/lib/tmpfiles.d"
install -m 0755 "$binary" "$root$bindir/paklog"

# The shipped mappings: replaced whole, so a mapping removed upstream does not linger.
rm -rf "$root$sharedir/Mappings"
cp -R Mappings "$root$sharedir/Mappings"
find "$root$sharedir/Mappings" -type d -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +
install -m 0644 README.md "$root$PREFIX/share/doc/paklog/README.md"

# The unit names the binary, the configuration and the documentation by path: set them to this layout.
sed -e "s|/usr/local/bin/paklog|$bindir/paklog|g" \
    -e "s|/etc/paklog/|$confdir/|g" \
    -e "s|file:///usr/share/doc/paklog/|file://$PREFIX/share/doc/paklog/|g" \
    systemd/paklog.service > "$root$unitdir/paklog.service"
chmod 0644 "$root$unitdir/paklog.service"
install -m 0644 systemd/paklog.sysusers "$root$PREFIX/lib/sysusers.d/paklog.conf"
sed -e "s|/etc/paklog|$confdir|g" systemd/paklog.tmpfiles > "$root$PREFIX/lib/tmpfiles.d/paklog.conf"
chmod 0644 "$root$PREFIX/lib/tmpfiles.d/paklog.conf"

# Configuration and secrets belong to the operator: written once, never overwritten.
install -d -m 0750 "$root$confdir" "$root$confdir/secrets"
if [ ! -e "$root$confdir/paklog.yaml" ]; then
  install -m 0640 systemd/paklog.yaml "$root$confdir/paklog.yaml"
fi
umask 0027
if [ ! -e "$root$confdir/secrets/orders-webhook.secret" ]; then
  "$root$bindir/paklog" webhook secret > "$root$confdir/secrets/orders-webhook.secret"
fi
if [ ! -e "$root$confdir/secrets/api-token" ]; then
  head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$root$confdir/secrets/api-token"
  echo >> "$root$confdir/secrets/api-token"
fi
# The service account reads them (the unit runs as paklog, the files stay root's).
if [ "$(id -u)" -eq 0 ] && [ -z "$DESTDIR" ] && getent group paklog >/dev/null; then
  chgrp -R paklog "$confdir"
fi

echo "installed paklog into ${DESTDIR:-/} (prefix $PREFIX, configuration $confdir)"
echo "check the configuration:  $bindir/paklog config check $confdir/paklog.yaml"
