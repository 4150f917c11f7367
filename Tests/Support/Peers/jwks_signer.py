"""A foreign JWT issuer for the JWKS test (Tests/IntegrationTests/JWTTests.swift), written with
the `cryptography` package only: it makes an RSA 2048 and an EC P-256 key pair, writes their
public halves as a JSON Web Key Set (RFC 7517 §5; RSA n/e and EC crv/x/y per RFC 7518 §6), and
signs the tokens the test asks for (JWS compact serialization, RFC 7515 §7.1).

    python jwks_signer.py DIRECTORY JOBS > tokens.json

JOBS, a JSON file: [{"alg": "RS256"|"ES256", "kid": "...", "claims": {...}}, ...]; tokens.json: the
tokens in the same order. DIRECTORY/jwks.json is the key set; DIRECTORY/other.jwks.json holds
keys of the same kids that signed nothing (a key set that must not verify the tokens).
"""
import base64
import json
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def integer(value: int, size: int = 0) -> str:
    length = max(size, (value.bit_length() + 7) // 8)
    return b64url(value.to_bytes(length, "big"))


def jwk_set(rsa_key, ec_key) -> dict:
    rsa_numbers = rsa_key.public_key().public_numbers()
    ec_numbers = ec_key.public_key().public_numbers()
    return {"keys": [
        {"kty": "RSA", "kid": "rsa-jwks", "use": "sig", "alg": "RS256", "n": integer(rsa_numbers.n), "e": integer(rsa_numbers.e)},
        {"kty": "EC", "kid": "ec-jwks", "use": "sig", "crv": "P-256", "x": integer(ec_numbers.x, 32), "y": integer(ec_numbers.y, 32)},
        # An encryption key: a verifier skips it (RFC 7517 §4.2).
        {"kty": "RSA", "kid": "rsa-enc", "use": "enc", "n": integer(rsa_numbers.n), "e": integer(rsa_numbers.e)},
    ]}


def sign(job: dict, rsa_key, ec_key) -> str:
    header = {"alg": job["alg"], "typ": "JWT", "kid": job["kid"]}
    signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(job["claims"]).encode())).encode("ascii")
    if job["alg"] == "RS256":
        signature = rsa_key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    else:
        r, s = decode_dss_signature(ec_key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")  # RFC 7518 §3.4: r ‖ s
    return signing_input.decode("ascii") + "." + b64url(signature)


def main() -> None:
    directory = sys.argv[1]
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    with open(f"{directory}/jwks.json", "w") as f:
        json.dump(jwk_set(rsa_key, ec_key), f)
    with open(f"{directory}/other.jwks.json", "w") as f:
        json.dump(jwk_set(rsa.generate_private_key(public_exponent=65537, key_size=2048), ec.generate_private_key(ec.SECP256R1())), f)
    with open(sys.argv[2]) as f:
        jobs = json.load(f)
    json.dump([sign(job, rsa_key, ec_key) for job in jobs], sys.stdout)


if __name__ == "__main__":
    main()
