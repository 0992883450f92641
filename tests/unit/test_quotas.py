"""Quotas: atomic under concurrency, per role, with a user override; rate limits."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from shared.adapters.sqlite_store import SqliteDocumentStore
from shared.api.ratelimit import TokenBuckets
from shared.errors import RateLimited
from shared.models import Role
from shared.services import quotas
from shared.services.request_analysis import request_analysis
from shared.services.users import change_user, ensure_user
from tests.fakes import RecordingBus


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = SqliteDocumentStore(tmp_path / "store.sqlite3")
    yield store
    store.close()


def test_twenty_concurrent_requests_against_a_quota_of_five_accept_exactly_five(
        store: SqliteDocumentStore) -> None:
    ensure_user(store, 7)
    change_user(store, "7", daily_quota=5)
    bus, outcomes, start = RecordingBus(), [], threading.Barrier(20)

    def ask() -> None:
        start.wait()
        try:
            request_analysis(store, bus, user_id="7", symbol="BTC/USDT", timeframe="1d",
                             deadline_seconds=60)
            outcomes.append("accepted")
        except RateLimited as exc:
            assert exc.retry_after and exc.retry_after > 0
            outcomes.append("refused")

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("accepted") == 5 and outcomes.count("refused") == 15
    assert len(bus.published) == 5 and quotas.used_today(store, "7") == 5


def test_each_role_gets_its_limit_from_the_settings_document(
        store: SqliteDocumentStore) -> None:
    limits = quotas.Limits(premium=quotas.RoleLimits(daily_analyses=2))
    quotas.save_limits(store, limits, actor="admin")
    ensure_user(store, 8, role=Role.premium)
    for _ in range(2):
        quotas.charge_analysis(store, "8")
    with pytest.raises(RateLimited):
        quotas.charge_analysis(store, "8")


def test_admin_has_no_daily_limit_by_default(store: SqliteDocumentStore) -> None:
    ensure_user(store, 9, role=Role.admin)
    for _ in range(30):
        quotas.charge_analysis(store, "9")
    assert quotas.used_today(store, "9") == 30


def test_a_repeated_idempotency_key_does_not_spend_quota(store: SqliteDocumentStore) -> None:
    ensure_user(store, 10)
    for _ in range(3):
        request_analysis(store, RecordingBus(), user_id="10", symbol="BTC/USDT",
                         timeframe="1d", deadline_seconds=60, idempotency_key="same")
    assert quotas.used_today(store, "10") == 1


def test_a_failed_publish_gives_the_quota_back(store: SqliteDocumentStore) -> None:
    class BrokenBus:
        def publish(self, event: object) -> str:
            raise ConnectionError("down")

    ensure_user(store, 11)
    with pytest.raises(Exception, match="could not be queued"):
        request_analysis(store, BrokenBus(), user_id="11", symbol="BTC/USDT",  # type: ignore
                         timeframe="1d", deadline_seconds=60)
    assert quotas.used_today(store, "11") == 0


def test_token_bucket_refuses_past_the_burst_and_refills() -> None:
    buckets = TokenBuckets()
    for _ in range(3):
        buckets.take("u", 3, now=100.0)
    with pytest.raises(RateLimited) as refused:
        buckets.take("u", 3, now=100.0)
    assert refused.value.retry_after == pytest.approx(20.0)
    buckets.take("u", 3, now=121.0)
