"""Firebase custom tokens, so the web app can open Firestore listeners under security rules.

Only production mints them; ``firebase_admin`` is imported here, lazily, on first use, so it
never touches the api's cold start or the local system (which has no Firebase).
"""

from __future__ import annotations

import threading
from typing import Any

from shared.models import Role

_lock = threading.Lock()
_app: Any = None


def _firebase_app(project: str, credential: Any = None) -> Any:
    """The one Firebase app of this instance. In production ``credential`` is None: the
    runtime service account signs through IAM signBlob (infra grants it on itself)."""
    global _app
    with _lock:
        if _app is None:
            import firebase_admin  # production only: see functions/api/requirements.txt

            _app = firebase_admin.initialize_app(credential, options={"projectId": project},
                                                 name=f"chartgenius-{project}")
        return _app


def custom_token(project: str, user_id: str, role: Role, *, credential: Any = None) -> str:
    """A Firebase custom token for this user; the role travels as a custom claim."""
    from firebase_admin import auth

    app = _firebase_app(project, credential)
    token = auth.create_custom_token(user_id, {"role": role.value}, app=app)
    return token.decode() if isinstance(token, bytes) else str(token)
