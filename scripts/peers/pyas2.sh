#!/usr/bin/env bash
# pyas2lib (PyPI) as the foreign AS2 partner of the tests and the AS2 benchmark, in its own
# virtual environment: .build/peers/pyas2 (or $PAKLOG_PEERS/pyas2). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${PAKLOG_PEERS:-.build/peers}/pyas2
if "$venv/bin/python" -c "import pyas2lib" 2>/dev/null; then exit 0; fi
echo "== setting up pyas2lib in $venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q "pyas2lib==1.4.4"
# oscrypto 1.3.0 (pyas2lib's dependency) cannot parse OpenSSL "3.0.NN" version strings and fails
# on import; its upstream fix widens one regex (see ../shared/TOOLCHAIN.md).
for f in "$venv"/lib/python3*/site-packages/oscrypto/_openssl/_libcrypto_c*.py; do
  sed -i 's/\\\\d\\\\.\\\\d\\\\.\\\\d\[a-z\]\*/\\\\d\\\\.\\\\d\\\\.\\\\d+[a-z]*/' "$f"
done
"$venv/bin/python" -c "import pyas2lib"
