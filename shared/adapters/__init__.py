"""Adapters: the embedded local ones and the Google Cloud ones, behind the same ports."""
