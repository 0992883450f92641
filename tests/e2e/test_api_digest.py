"""``/api/digest``: the web's toggle reads and writes the same preference as ``/digest``."""

from __future__ import annotations

from shared.api.app import create_app
from shared.bootstrap import Container
from shared.services import digest


def test_the_digest_preference_round_trips_and_bad_input_is_400(ports: Container) -> None:
    client = create_app().test_client()
    token = client.post("/api/auth/dev", json={"telegram_id": 31}).json["token"]  # type: ignore
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/digest", headers=auth).json == {
        "enabled": False, "hour": 9, "utc_offset_minutes": 0}
    wanted = {"enabled": True, "hour": 7, "utc_offset_minutes": 330}
    assert client.put("/api/digest", json=wanted, headers=auth).json == wanted
    assert digest.load(ports.store, "31").model_dump() == wanted
    for bad in ({"hour": 24}, {"utc_offset_minutes": 900}, {"enabled": "yes please"},
                {"colour": "red"}):
        reply = client.put("/api/digest", json=bad, headers=auth)
        assert reply.status_code == 400 and reply.json["error"]["message"], bad  # type: ignore
    assert client.get("/api/digest").status_code == 401
