"""The walk-forward backtester: the engine's signal replayed on history, each call scored at
stated horizons against baselines on the same candles, and the confidence calibrated on past
data only (``python -m shared.backtest.calibrate``). See docs/decisions/0080-walk-forward.md."""
