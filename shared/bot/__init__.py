"""The Telegram bot: update handling and replies (the transport is the webhook)."""
