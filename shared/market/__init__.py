"""Market data: timeframes, candle handling and the sources behind the MarketSource port."""
