"""What a browser may read (decision 0076): the services keep ``analyses_public/{id}`` and
``banned/{uid}`` in line with the server documents, and the security rules let a signed-in,
unbanned user read only their own public views, notifications and inbox.

There is no rules evaluator on this machine, so the rules are read as text here: each match
block's conditions, with the rule functions expanded, must reference ``request.auth.uid`` and
the ban marker; every write is refused; everything else is denied.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared.api.app import create_app
from shared.models import Role, Status
from shared.services import analyses, inbox, moderation, users
from shared.services.analysis_view import VIEWS, project
from shared.services.request_analysis import request_analysis
from tests.fakes import RecordingBus

RULES = Path(__file__).resolve().parents[2] / "infra" / "firestore.rules"
INTERNAL = {"chat_id", "moderation", "moderation_flagged", "deadline_at", "announced",
            "handed_on"}


def _requested(ports, user_id: str = "801", chat_id: int | None = 55) -> str:
    made, _ = request_analysis(ports.store, RecordingBus(), user_id=user_id, symbol="BTC/USDT",
                               timeframe="1d", deadline_seconds=600, chat_id=chat_id,
                               enforce_quota=False)
    return made.id


def _admin(ports):
    return users.ensure_user(ports.store, 1, role=Role.admin)


def test_the_public_view_follows_every_state_without_internal_fields(ports) -> None:
    analysis_id = _requested(ports)
    assert ports.store.get("analyses", analysis_id)["chat_id"] == 55
    view = ports.store.get(VIEWS, analysis_id)
    assert view["status"] == "queued" and view["user_id"] == "801"
    for status in (Status.fetching, Status.analyzing, Status.failed):
        analyses.transition(ports.store, analysis_id, status, error="x")
        view = ports.store.get(VIEWS, analysis_id)
        assert view["status"] == status.value and view["history"][-1]["status"] == status
    assert not INTERNAL & set(view)
    assert set(view) - {"_id"} == {"id", "user_id", "symbol", "timeframe", "language",
                                   "status", "progress", "created_at", "updated_at",
                                   "history", "result", "error", "source", "sources_tried"}


def test_hiding_removes_the_view_and_unhiding_brings_it_back(ports) -> None:
    analysis_id = _requested(ports)
    moderation.mark_analysis(ports.store, _admin(ports), analysis_id, "flag", "look")
    assert ports.store.get(VIEWS, analysis_id) is not None  # flagged is not hidden
    moderation.mark_analysis(ports.store, _admin(ports), analysis_id, "hide", "abuse")
    assert ports.store.get(VIEWS, analysis_id) is None
    analyses.transition(ports.store, analysis_id, Status.fetching)  # the pipeline goes on
    assert ports.store.get(VIEWS, analysis_id) is None
    moderation.mark_analysis(ports.store, _admin(ports), analysis_id, "unhide", "ok")
    assert ports.store.get(VIEWS, analysis_id)["status"] == "fetching"


def test_a_stale_writer_cannot_roll_the_view_back(ports) -> None:
    from shared.services.analysis_view import sync

    analysis_id = _requested(ports)
    old = dict(ports.store.get("analyses", analysis_id))
    analyses.transition(ports.store, analysis_id, Status.fetching)
    sync(ports.store, old)  # a writer that read the queued document before the move
    assert ports.store.get(VIEWS, analysis_id)["status"] == "fetching"


def test_a_repeat_repairs_a_missing_view(ports) -> None:
    analysis_id = _requested(ports)
    analyses.transition(ports.store, analysis_id, Status.failed, error="no source")
    ports.store.delete(VIEWS, analysis_id)  # as if the process died between the two writes
    assert analyses.transition(ports.store, analysis_id, Status.fetching) is False  # late
    assert ports.store.get(VIEWS, analysis_id)["status"] == "failed"


def test_project_hides_a_hidden_analysis(ports) -> None:
    doc = dict(ports.store.get("analyses", _requested(ports)))
    assert project({**doc, "moderation": {"hidden": True}}) is None
    assert project(doc)["user_id"] == "801"


def test_the_ban_marker_follows_bans_by_moderators_and_admins(ports) -> None:
    users.ensure_user(ports.store, 802)
    admin = _admin(ports)
    moderation.set_banned(ports.store, admin, "802", True, "spam")
    assert ports.store.get(users.BANNED, "802")["user_id"] == "802"
    moderation.set_banned(ports.store, admin, "802", False, None)
    assert ports.store.get(users.BANNED, "802") is None
    client = create_app().test_client()
    token = client.post("/api/auth/dev", json={"telegram_id": 1, "role": "admin"}).get_json()
    reply = client.patch("/api/admin/users/802", json={"banned": True, "reason": "again"},
                         headers={"Authorization": f"Bearer {token['token']}"})
    assert reply.status_code == 200 and ports.store.get(users.BANNED, "802") is not None


# -- the rules, read as text -----------------------------------------------------------------
def _rules() -> str:
    return re.sub(r"//[^\n]*", "", RULES.read_text())


def _functions(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(
        r"function\s+(\w+)\([^)]*\)\s*\{\s*return\s+(.*?);\s*\}", text, re.S)}


def _expanded(condition: str, functions: dict[str, str]) -> str:
    for _ in range(5):  # functions call functions; the rules nest them at most twice
        for name, body in functions.items():
            condition = re.sub(rf"\b{name}\([^()]*(?:\([^()]*\)[^()]*)*\)", f"({body})",
                               condition)
    return condition


def _blocks(text: str) -> dict[str, list[tuple[str, str]]]:
    """match path => [(methods, condition)] for the innermost match blocks."""
    blocks: dict[str, list[tuple[str, str]]] = {}
    for match in re.finditer(r"match\s+(/\S+)\s*\{([^{}]*)\}", text):
        allows = re.findall(r"allow\s+([\w, ]+):\s*if\s+(.*?);", match.group(2), re.S)
        blocks[match.group(1)] = [(m.strip(), c.strip()) for m, c in allows]
    return blocks


def test_rules_name_exactly_the_collections_the_browser_reads() -> None:
    blocks = _blocks(_rules())
    readable = {path.split("/")[1] for path, allows in blocks.items()
                if any(cond != "false" for _, cond in allows)}
    assert readable == {VIEWS, inbox.COLLECTION, inbox.INBOXES}
    assert "analyses" not in readable and users.BANNED not in readable
    assert blocks["/{document=**}"] == [("read, write", "false")]


@pytest.mark.parametrize("path", [f"/{VIEWS}/{{analysisId}}",
                                  f"/{inbox.COLLECTION}/{{notificationId}}",
                                  f"/{inbox.INBOXES}/{{userId}}"])
def test_every_read_checks_the_uid_and_the_ban_and_no_write_is_allowed(path: str) -> None:
    text = _rules()
    functions = _functions(text)
    allows = _blocks(text)[path]
    assert ("write", "false") in allows
    reads = [(methods, _expanded(cond, functions)) for methods, cond in allows
             if methods != "write"]
    assert {m for methods, _ in reads for m in methods.split(", ")} in ({"read"},
                                                                        {"get", "list"})
    for _, condition in reads:
        assert "request.auth != null" in condition
        assert "request.auth.uid ==" in condition
        assert f"!exists(/databases/$(database)/documents/{users.BANNED}/$(request.auth.uid))" \
            in condition
        assert "user_id" in condition or "userId" in condition
        assert " || " not in condition.replace("resource == null || ", "")
