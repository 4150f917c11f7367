#!/usr/bin/env bash
# One command per goal on a fresh Debian 12 machine with the Swift 6 toolchain on PATH:
#   scripts/bootstrap.sh run    install what the daemon needs, build it, run it on the embedded default
#   scripts/bootstrap.sh test   install what the tests need (peers included), build, run every test
# .ci/run calls `scripts/bootstrap.sh test`, the same command README.md gives.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
case "$mode" in run|test) ;; *) echo "usage: $0 run|test" >&2; exit 64 ;; esac

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The five C libraries of the design card, SQLite for the event store, pkg-config for SwiftPM.
runtime_packages=(pkg-config libcurl4-openssl-dev libssl-dev libxml2-dev libssh2-1-dev libmosquitto-dev libsqlite3-dev zlib1g-dev ca-certificates)
# Real peers the tests start on loopback, and the tools they drive.
test_packages=(python3 python3-venv openssl curl nginx mosquitto mosquitto-clients openssh-server openssh-client wrk procps
               chromium chromium-driver)

packages=("${runtime_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The SFTP password-authentication test logs in to its loopback sshd as this account
# (Tests/SFTPTests/SFTPAuthenticationTests.swift); sshd checks passwords against real accounts.
if [ "$mode" = test ]; then
  id paklog-sftp-test >/dev/null 2>&1 || as_root useradd --create-home --shell /bin/sh paklog-sftp-test
  echo 'paklog-sftp-test:paklog-sftp-test-password' | as_root chpasswd
fi

if ! command -v swift >/dev/null; then
  for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do [ -x "$d/swift" ] && export PATH="$d:$PATH"; done
fi
command -v swift >/dev/null || { echo "Swift 6 toolchain not found on PATH (see swift.org/install)" >&2; exit 1; }

case "$mode" in
run)
  # PAKLOG_BINARY runs an already built binary (the quickstart test uses the one it tests).
  [ -n "${PAKLOG_BINARY:-}" ] && exec "$PAKLOG_BINARY" serve
  swift build -c release --product paklog
  echo "== paklog listens on http://127.0.0.1:8080 (try: curl -s localhost:8080/healthz)"
  exec "$(swift build -c release --show-bin-path)/paklog" serve
  ;;
test)
  # Foreign protocol peers from PyPI, each in its own virtual environment under .build/peers.
  scripts/peers/pyas2.sh
  scripts/peers/selenium.sh
  scripts/peers/openapi.sh
  swift build --build-tests
  # The X12 parser and validators under libFuzzer for a minute, seeded from the fixtures.
  scripts/fuzz-x12 60
  exec swift test --skip-build
  ;;
esac
