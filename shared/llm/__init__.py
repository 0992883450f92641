"""LLM providers behind the LLM port, and the rule-based analyst."""
