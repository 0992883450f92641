"""The admin API's gate: the admin role first (401/403), then ``FEATURE_ADMIN_PANEL``.

With the flag off every admin route answers 409 with the reason, except system health and
the flags themselves, so an admin can always see the system and switch the panel back on.
"""

from __future__ import annotations

from flask import request

from shared.api.requests import require_admin
from shared.bootstrap import container
from shared.errors import Conflict
from shared.services import features

ALWAYS_OPEN = ("/api/admin/features", "/api/admin/health")


def admin_gate() -> None:
    if request.method == "OPTIONS":
        return
    require_admin()
    if request.path in ALWAYS_OPEN:
        return
    if not features.enabled(container().store, "FEATURE_ADMIN_PANEL"):
        raise Conflict("the admin panel is switched off (FEATURE_ADMIN_PANEL); an admin can "
                       "switch it on under /api/admin/features")
