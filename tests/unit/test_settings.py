"""Settings come from ``CHARTGENIUS_*`` environment variables; values given to ``Settings(...)``
win over the environment; compound values (lists, maps) are JSON; a bad value names its field."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.config import Settings


@pytest.fixture(autouse=True)
def _test_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARTGENIUS_ENV", "test")


def test_scalars_are_read_from_the_environment_and_converted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARTGENIUS_CANDLES_LIMIT", "750")
    monkeypatch.setenv("CHARTGENIUS_LLM_TIMEOUT_SECONDS", "7.5")
    monkeypatch.setenv("CHARTGENIUS_CHARTS_ENABLED", "false")
    monkeypatch.setenv("CHARTGENIUS_DEV_LOGIN", "1")
    monkeypatch.setenv("CHARTGENIUS_DATA_DIR", "/tmp/somewhere")
    settings = Settings.model_validate({})
    assert settings.env == "test"
    assert settings.candles_limit == 750 and settings.llm_timeout_seconds == 7.5
    assert settings.charts_enabled is False and settings.dev_login is True
    assert settings.data_dir == Path("/tmp/somewhere")


def test_compound_values_are_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARTGENIUS_MARKET_SOURCES", '["binance", "kraken"]')
    monkeypatch.setenv("CHARTGENIUS_MARKET_URLS", '{"binance": "http://127.0.0.1:9001"}')
    monkeypatch.setenv("CHARTGENIUS_LLM_PRICES", '{"m": [1, 2.5]}')
    settings = Settings.model_validate({})
    assert settings.market_sources == ["binance", "kraken"]
    assert settings.market_urls == {"binance": "http://127.0.0.1:9001"}
    assert settings.llm_prices == {"m": (1.0, 2.5)}
    assert "market_sources" in settings.model_fields_set  # set, not the default


def test_a_field_with_an_alias_reads_that_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "chartgenius-prod")
    assert Settings.model_validate({}).project == "chartgenius-prod"


def test_variable_names_are_not_case_sensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("chartgenius_screener_quote", "BTC")
    assert Settings.model_validate({}).screener_quote == "BTC"


def test_given_values_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARTGENIUS_SCREENER_SIZE", "5")
    monkeypatch.setenv("CHARTGENIUS_SCAN_SECONDS", "60")
    settings = Settings.model_validate({"screener_size": 7})
    assert settings.screener_size == 7 and settings.scan_seconds == 60


def test_unknown_variables_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARTGENIUS_NO_SUCH_SETTING", "x")
    assert not hasattr(Settings.model_validate({}), "no_such_setting")


@pytest.mark.parametrize(("name", "value", "field"), [
    ("CHARTGENIUS_MARKET_SOURCES", "binance", "market_sources"),  # not JSON
    ("CHARTGENIUS_MARKET_URLS", "", "market_urls"),
    ("CHARTGENIUS_CANDLES_LIMIT", "many", "candles_limit"),
    ("CHARTGENIUS_CANDLES_LIMIT", "10", "candles_limit"),  # below the minimum
    ("CHARTGENIUS_STORE", "postgres", "store"),
])
def test_a_bad_value_is_refused_naming_its_field(
        monkeypatch: pytest.MonkeyPatch, name: str, value: str, field: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises((ValidationError, ValueError), match=field):
        Settings.model_validate({})


def test_production_needs_the_google_adapters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARTGENIUS_ENV", "production")
    monkeypatch.delenv("CHARTGENIUS_STORE", raising=False)
    with pytest.raises(ValidationError, match="CHARTGENIUS_STORE=firestore"):
        Settings.model_validate({})
