"""The Firebase custom token the web uses to open Firestore listeners under security rules.

Signed offline with a generated service-account key (production signs through IAM signBlob
with the runtime service account; the token format is the same)."""

from __future__ import annotations

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from firebase_admin import credentials  # the api's production dependency (requirements-dev)

from shared.auth import firebase
from shared.models import Role

AUDIENCE = ("https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1."
            "IdentityToolkit")


def test_custom_token_names_the_user_and_carries_the_role() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    account = {"type": "service_account", "project_id": "cg-test", "private_key_id": "k1",
               "private_key": pem, "client_id": "1", "token_uri": "https://oauth2.invalid/token",
               "client_email": "api@cg-test.iam.gserviceaccount.com"}
    firebase._app = None
    try:
        token = firebase.custom_token("cg-test", "42", Role.vip,
                                      credential=credentials.Certificate(account))
    finally:
        firebase._app = None
    claims = jwt.decode(token, key.public_key(), algorithms=["RS256"], audience=AUDIENCE)
    assert claims["uid"] == "42"
    assert claims["claims"] == {"role": "vip"}
    assert claims["iss"] == claims["sub"] == account["client_email"]
    assert claims["exp"] - claims["iat"] <= 3600
