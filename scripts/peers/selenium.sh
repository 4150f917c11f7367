#!/usr/bin/env bash
# selenium (PyPI) for the console's browser test, driving Debian's headless chromium through
# chromium-driver (both installed by scripts/bootstrap.sh), in its own virtual environment:
# .build/peers/selenium (or $PAKLOG_PEERS/selenium). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${PAKLOG_PEERS:-.build/peers}/selenium
if "$venv/bin/python" -c "import selenium" 2>/dev/null; then exit 0; fi
echo "== setting up selenium in $venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q "selenium==4.51.0"
"$venv/bin/python" -c "import selenium"
