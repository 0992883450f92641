"""The local host: the whole system on one machine, on the embedded adapters."""
