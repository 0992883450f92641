"""Send slots shared through the store keep Telegram's limits on SQLite and on Firestore's
emulator alike: 1 s apart in a chat, 20 a minute in a group, at most 30 in any second."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from shared.bot.send_slots import StoreSendSlots
from shared.ports import DocumentStore
from tests.contract.emulators import FIRESTORE_GAPS

Col = Callable[[str], str]
START = 1_800_000_000.0  # epoch seconds: slots are wall time


def slots(store: DocumentStore, col: Col) -> StoreSendSlots:
    return StoreSendSlots(store, chats=col("send_slots"), budget=col("send_budget"))


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_a_chat_is_booked_one_second_apart(store: DocumentStore, col: Col) -> None:
    booking = slots(store, col)
    waits = [booking.reserve(7, START) for _ in range(4)]
    assert waits[0] < 1.05 / 30  # the next free slot of the budget's grid
    gaps = [b - a for a, b in zip(waits, waits[1:], strict=False)]
    assert all(1.0 <= gap <= 1.0 + 1.05 / 30 for gap in gaps), gaps
    assert booking.reserve(7, START + 10) < 1.05 / 30  # idle since: the next free slot


def test_a_group_gets_at_most_20_a_minute(store: DocumentStore, col: Col) -> None:
    booking = slots(store, col)
    times = [START + booking.reserve(-100, START) for _ in range(25)]
    assert max_in_window(times, 60.0) == 20
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 3.0


def test_many_chats_share_30_a_second(store: DocumentStore, col: Col) -> None:
    booking = slots(store, col)
    times = [START + booking.reserve(chat, START) for chat in range(1, 91)]
    assert 28 <= max_in_window(times, 1.0) <= 30  # full speed: 30 slots per 1.05 s
    assert max(times) - START < 4 * 1.05  # three buckets' worth, the first one partly past


@pytest.mark.skip_on("firestore", FIRESTORE_GAPS.no_conflicts)
def test_concurrent_bookings_never_share_a_slot(store: DocumentStore, col: Col) -> None:
    """Three instances booking at once, some for the same chats."""
    booking = slots(store, col)
    chats = [chat for chat in range(1, 31) for _ in range(3)] + [-5] * 6

    def book(chat: int) -> tuple[int, float]:
        return chat, START + booking.reserve(chat, START)

    with ThreadPoolExecutor(3) as pool:
        booked = list(pool.map(book, chats))
    assert max_in_window([t for _, t in booked], 1.0) <= 30
    for chat in set(chats):
        times = sorted(t for c, t in booked if c == chat)
        gap = 3.0 if chat < 0 else 1.0
        assert all(b - a >= gap - 1e-6 for a, b in zip(times, times[1:], strict=False)), chat
