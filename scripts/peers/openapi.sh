#!/usr/bin/env bash
# The OpenAPI document's foreign checkers and the JWKS writer of the tests, in their own virtual
# environment: .build/peers/openapi (or $PAKLOG_PEERS/openapi). Idempotent.
# - openapi-spec-validator: is /api/v1/openapi.json a valid OpenAPI 3.1 document;
# - schemathesis: does the live daemon answer as the document says (no 5xx, no schema break);
# - cryptography: a foreign JWK writer and JWT signer for the JWKS test.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${PAKLOG_PEERS:-.build/peers}/openapi
pins=("openapi-spec-validator==0.9.0" "schemathesis==4.32.5" "cryptography==50.0.2")
if [ -x "$venv/bin/schemathesis" ] && "$venv/bin/python" -c "import openapi_spec_validator, cryptography" 2>/dev/null \
   && [ "$(cat "$venv/.pins" 2>/dev/null)" = "${pins[*]}" ]; then exit 0; fi
echo "== setting up ${pins[*]} in $venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q "${pins[@]}"
echo "${pins[*]}" > "$venv/.pins"
"$venv/bin/python" -c "import openapi_spec_validator, cryptography"
"$venv/bin/schemathesis" --version
