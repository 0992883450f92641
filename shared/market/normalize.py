"""Raw candle rows from any source into clean ``Candles``.

Rows are ``[open_time_ms, open, high, low, close, volume]`` in whatever order and with
whatever repeats a source sends. The result is sorted and de-duplicated (the later row for a
time wins: it is the fresher view of that candle); rows that are not a possible candle
(non-positive or non-finite prices, high below open/close, low above them) are dropped;
missing periods are reported as gaps; the last candle is marked unfinished while its
period is still running; and a live source whose newest candle is more than two periods old
is stale.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence

from shared.market.faults import BadResponse, EmptyResponse, StaleData
from shared.market.timeframes import duration_ms
from shared.models import Candles

log = logging.getLogger(__name__)
MAX_GAPS_REPORTED = 20
MAX_DROPPED_SHARE = 0.1


def _valid(row: Sequence[float]) -> bool:
    _, o, h, low, c, v = row
    if not all(math.isfinite(x) for x in row) or min(o, h, low, c) <= 0 or v < 0:
        return False
    return h >= max(o, c) and low <= min(o, c)


def _parse(source: str, rows: Iterable[Sequence[object]]) -> list[tuple[float, ...]]:
    parsed = []
    for row in rows:
        try:
            parsed.append(tuple(float(x) for x in list(row)[:6]))  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise BadResponse(f"{source} sent a candle that is not numbers: {row!r}") from exc
        if len(parsed[-1]) != 6:
            raise BadResponse(f"{source} sent a candle with {len(parsed[-1])} fields")
    return parsed


def gaps_in(timestamps: Sequence[int], timeframe: str) -> list[list[int]]:
    """``[first_missing_open, next_present_open]`` for each hole (at most 20 reported)."""
    step = duration_ms(timeframe)
    holes = [[a + step, b] for a, b in zip(timestamps, timestamps[1:], strict=False)
             if b - a > step and step < 604_800_000]  # weeks and months vary by exchange
    return holes[-MAX_GAPS_REPORTED:]


def build_candles(source: str, rows: Iterable[Sequence[object]], timeframe: str, now_ms: int,
                  *, live: bool = True) -> Candles:
    parsed = _parse(source, rows)
    if not parsed:
        raise EmptyResponse(f"{source} returned no candles")
    by_time = {int(row[0]): row for row in parsed}
    good = [by_time[ts] for ts in sorted(by_time) if _valid(by_time[ts])]
    dropped = len(by_time) - len(good)
    if dropped > MAX_DROPPED_SHARE * len(by_time):
        raise BadResponse(f"{source} sent {dropped} impossible candles of {len(by_time)}")
    if dropped:
        log.warning("dropped impossible candles", extra={"source": source, "count": dropped})
    if not good:
        raise EmptyResponse(f"{source} returned no usable candles")
    timestamps = [int(r[0]) for r in good]
    step = duration_ms(timeframe)
    if live and now_ms - timestamps[-1] > 2 * step:
        age_periods = (now_ms - timestamps[-1]) / step
        raise StaleData(f"{source}'s newest {timeframe} candle is {age_periods:.1f} periods old")
    return Candles(
        timestamps=timestamps,
        open=[r[1] for r in good], high=[r[2] for r in good], low=[r[3] for r in good],
        close=[r[4] for r in good], volume=[r[5] for r in good],
        unfinished_last=live and timestamps[-1] + step > now_ms,
        gaps=gaps_in(timestamps, timeframe), read_at_ms=now_ms if live else None,
    )
