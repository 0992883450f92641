"""Live streams are capped per user on an instance: each holds a thread, so one user cannot
take them all; a closed stream (even before its first event) frees its slot."""

from __future__ import annotations

from shared.api.app import create_app
from shared.api.live import STREAMS, STREAMS_PER_USER
from shared.bootstrap import Container


def test_one_user_cannot_hold_more_than_the_cap(ports: Container) -> None:
    client = create_app().test_client()

    def signed_in(telegram_id: int) -> dict[str, str]:
        token = client.post("/api/auth/dev", json={"telegram_id": telegram_id}).json["token"]
        return {"Authorization": f"Bearer {token}"}

    mine, other = signed_in(31), signed_in(32)
    me = client.get("/api/me", headers=mine).json["user"]["id"]
    opened = [client.get("/api/notifications/events", headers=mine)
              for _ in range(STREAMS_PER_USER)]
    assert all(r.status_code == 200 for r in opened) and STREAMS.count(me) == STREAMS_PER_USER
    refused = client.get("/api/notifications/events", headers=mine)
    assert refused.status_code == 429 and "live streams open" in refused.json["error"]["message"]
    assert client.get("/api/notifications/events", headers=other).status_code == 200
    opened[0].close()  # never read: the client left before the first event
    again = client.get("/api/notifications/events", headers=mine)
    assert again.status_code == 200
    for response in [*opened[1:], again]:
        response.close()
    assert STREAMS.count(me) == 0
