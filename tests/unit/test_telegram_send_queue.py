"""The send queue keeps Telegram's limits on virtual time, and honours retry_after."""

from __future__ import annotations

from collections import Counter

import pytest

from shared.bot.send_queue import Limits, SendQueue, VirtualClock
from shared.errors import RateLimited


def run(queue: SendQueue, chats: list[int]) -> list[tuple[float, int]]:
    sent: list[tuple[float, int]] = []
    for chat in chats:
        queue.send(chat, lambda c=chat: sent.append((queue.clock.now(), c)))
    return sent


def max_in_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_at_most_30_a_second_overall() -> None:
    queue = SendQueue(Limits(), VirtualClock())
    sent = run(queue, list(range(1, 301)))  # 300 different private chats
    times = [t for t, _ in sent]
    assert max_in_window(times, 1.0) == 30
    assert times[-1] - times[0] == pytest.approx(9 * 1.05)  # 300 in ~10 s: full speed


def test_at_most_one_a_second_per_chat() -> None:
    queue = SendQueue(Limits(), VirtualClock())
    sent = run(queue, [7] * 5 + [8] * 5)
    for chat in (7, 8):
        times = [t for t, c in sent if c == chat]
        assert all(b - a >= 1.0 for a, b in zip(times, times[1:], strict=False))


def test_at_most_20_a_minute_per_group() -> None:
    queue = SendQueue(Limits(), VirtualClock())
    sent = run(queue, [-100] * 45)
    times = [t for t, _ in sent]
    assert max_in_window(times, 60.0) == 20
    assert Counter(c for _, c in sent)[-100] == 45


def test_retry_after_is_honoured_then_it_succeeds() -> None:
    clock = VirtualClock()
    queue = SendQueue(Limits(), clock)
    answers: list[object] = [RateLimited("slow down", retry_after=5), "ok"]

    def call() -> object:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert queue.send(1, call) == "ok"
    assert sum(clock.sleeps) >= 5 and queue.rate_limited == 1


def test_a_wait_longer_than_the_budget_is_left_to_pubsub() -> None:
    queue = SendQueue(Limits(max_retry_wait=10), VirtualClock())

    def call() -> None:
        raise RateLimited("flood", retry_after=60)

    with pytest.raises(RateLimited):
        queue.send(1, call)
