"""Technical indicators: TA-Lib for what it computes, numpy for what it lacks."""
