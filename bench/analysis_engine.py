"""Analysis engine figures: the indicator set on 1,000 candles (target < 1 ms per symbol and
timeframe), chart render (< 300 ms), the analyzer's cold import (< 800 ms), and tokens and
cost per analysis for each provider's prompt (prompt tokens counted at ~4 chars/token, the
reply at the rule-based report's size; prices from the settings' price table)."""

from __future__ import annotations

import json
import logging
import statistics
import sys
import time

from bench.cold_import import measure
from bench.local_system import ROOT
from shared.config import Settings
from shared.indicators.core import compute
from shared.indicators.technical import analyse
from shared.llm.huggingface import estimate_tokens
from shared.llm.pricing import cost
from shared.llm.rule_based import write_report
from shared.market.replay import ReplaySource
from shared.prompts.renderer import render
from shared.prompts.store import default_version
from shared.prompts.variables import context_of

log = logging.getLogger("bench")
PAIRS = [("BTC/USDT", "1d"), ("ETH/USDT", "2h"), ("DOGE/USDT", "2h")]


def timed(fn: object, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def indicators(source: ReplaySource) -> None:
    for symbol, timeframe in PAIRS:
        candles = source.candles(symbol, timeframe, 1000)
        core = timed(lambda c=candles: compute(c), 200)
        full = timed(lambda c=candles, t=timeframe: analyse(c, t), 200)
        print(f"indicators {symbol:9s} {timeframe:3s} 1,000 candles: core snapshot {core:.3f} ms; "
              f"full set (patterns, levels, pivots, Fibonacci) on the requested timeframe and "
              f"again on the higher one for confluence {full:.3f} ms = {full / 2:.3f} ms per "
              f"timeframe [target < 1 ms per symbol and timeframe]")


def chart(source: ReplaySource) -> None:
    from shared.charts.render import render_png

    candles = source.candles("BTC/USDT", "1d", 500)
    levels = analyse(candles, "1d").levels
    first = timed(lambda: render_png(candles, levels, title="BTC/USDT 1d"), 1)
    warm = timed(lambda: render_png(candles, levels, title="BTC/USDT 1d"), 5)
    print(f"chart render: first in process {first:.0f} ms (imports plotting), "
          f"then {warm:.0f} ms  [target < 300 ms]")


def tokens(source: ReplaySource, settings: Settings) -> None:
    models = {"gemini": settings.gemini_model, "openai": settings.openai_model,
              "huggingface": settings.huggingface_model}
    for language in ("en", "ru"):
        candles = source.candles("BTC/USDT", "1d", 500)
        ctx = context_of(analyse(candles, "1d"), "BTC/USDT", "1d", language)
        prompt = default_version(f"analysis-{language}")
        tokens_in = estimate_tokens(prompt.system + render(prompt.template, ctx))
        tokens_out = estimate_tokens(json.dumps(write_report(ctx, language), ensure_ascii=False))
        for provider, model in models.items():
            usd = cost(model, tokens_in, tokens_out, settings.llm_prices)
            print(f"tokens per analysis [{language}] {provider:11s} {model:26s} "
                  f"in ~{tokens_in} out ~{tokens_out}  cost ${usd:.6f}")


def main() -> None:
    source = ReplaySource(ROOT / "data" / "ohlcv")
    indicators(source)
    chart(source)
    print(f"cold import analyzer: {measure('analyzer', 5)[0]:.0f} ms  [target < 800 ms]")
    tokens(source, Settings(env="test"))


if __name__ == "__main__":
    main()
    sys.exit(0)
