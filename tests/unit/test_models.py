from __future__ import annotations

import pytest

from shared.errors import InvalidInput
from shared.models import check_timeframe, normalize_symbol


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("BTC/USDT", "BTC/USDT"), ("btc/usdt", "BTC/USDT"), ("eth-usdt", "ETH/USDT"),
     ("DOGEUSDT", "DOGE/USDT"), (" sol_usdc ", "SOL/USDC"), ("ETHBTC", "ETH/BTC")],
)
def test_symbols_are_normalised(raw: str, expected: str) -> None:
    assert normalize_symbol(raw) == expected


@pytest.mark.parametrize("raw", ["", "BTC", "BTC//USDT", "B/USDT", "BTC/US$", "ABCDEFG",
                                 "BTC/USDT/ETH", "x" * 40])
def test_malformed_symbols_are_refused_with_a_reason(raw: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize_symbol(raw)
    assert "BASE/QUOTE" in caught.value.message or "like BTC/USDT" in caught.value.message
    assert caught.value.details == {"field": "symbol"}


def test_timeframes() -> None:
    assert check_timeframe("4h") == "4h"
    with pytest.raises(InvalidInput, match="not one of"):
        check_timeframe("4H")
