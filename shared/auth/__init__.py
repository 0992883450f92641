"""Authentication: API tokens (and, later, Telegram login verification)."""
