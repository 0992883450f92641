"""``python -m shared.bot.set_webhook [URL]``: point Telegram at the webhook (deploy.sh runs it).

Calls ``setWebhook`` with the secret token (Telegram then sends it in
``X-Telegram-Bot-Api-Secret-Token``) and the update types the bot handles, then
``setMyCommands`` in English and Russian, and — when ``CHARTGENIUS_WEB_BASE_URL`` is set — the
default menu button (``setChatMenuButton`` with a ``web_app``) that opens the web app as a
Mini App, signed in through ``initData``. The URL comes from the argument or
``CHARTGENIUS_TELEGRAM_WEBHOOK_URL``; the token and the secret from the Secrets port; the Bot
API from ``CHARTGENIUS_TELEGRAM_API_BASE`` (api.telegram.org in production).
"""

from __future__ import annotations

import argparse
import logging
import sys

from shared import log
from shared.bootstrap import Container, container
from shared.bot.texts import say
from shared.bot.webhook import ALLOWED_UPDATES, SECRET_NAME
from shared.errors import ChartGeniusError

logger = logging.getLogger("shared.bot.set_webhook")
COMMANDS = {
    "en": [("analyze", "Technical analysis of a pair"), ("chart", "Chart of a pair"),
           ("price", "Latest price"), ("watch", "Watchlist: add, remove, list"),
           ("alerts", "Your alerts"), ("plan", "Your plan and quota"),
           ("lang", "Language: en or ru"), ("cancel", "Stop running analyses"),
           ("digest", "Daily digest: on, off, your hour"),
           ("help", "What the bot can do")],
    "ru": [("analyze", "Технический анализ пары"), ("chart", "График пары"),
           ("price", "Последняя цена"), ("watch", "Список наблюдения"),
           ("alerts", "Ваши оповещения"), ("plan", "Тариф и остаток"),
           ("lang", "Язык: en или ru"), ("cancel", "Остановить анализы"),
           ("digest", "Ежедневный дайджест: on, off, час"),
           ("help", "Что умеет бот")],
}


def set_webhook(ports: Container, url: str, *, drop_pending: bool = False) -> None:
    messenger = ports.messenger
    secret = ports.secrets.get(SECRET_NAME)
    if messenger is None or not secret:
        raise ChartGeniusError("no bot configured: TELEGRAM_BOT_TOKEN and "
                               "TELEGRAM_WEBHOOK_SECRET are needed (and a Bot API URL locally)")
    if not url.startswith("https://") and ports.settings.env == "production":
        raise ChartGeniusError("Telegram only calls https:// webhooks")
    messenger.call("setWebhook", {
        "url": url, "secret_token": secret, "allowed_updates": list(ALLOWED_UPDATES),
        "drop_pending_updates": drop_pending, "max_connections": 40,
    })
    for language, commands in COMMANDS.items():
        params: dict[str, object] = {
            "commands": [{"command": c, "description": d} for c, d in commands]}
        if language != "en":
            params["language_code"] = language
        messenger.call("setMyCommands", params)
    set_menu_button(ports)


def set_menu_button(ports: Container) -> bool:
    """The chat menu button opens the web app inside Telegram; False when none is set."""
    web = ports.settings.web_base_url
    if ports.messenger is None or not web:
        return False
    if not web.startswith("https://") and ports.settings.env == "production":
        raise ChartGeniusError("a Mini App must be served over https://")
    ports.messenger.call("setChatMenuButton", {"menu_button": {
        "type": "web_app", "text": say("en", "menu_button"), "web_app": {"url": web}}})
    return True


def main(argv: list[str] | None = None) -> int:
    log.setup()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="the webhook's public https URL")
    parser.add_argument("--drop-pending", action="store_true",
                        help="drop updates Telegram queued while no webhook answered")
    args = parser.parse_args(argv)
    ports = container()
    url = args.url or ports.settings.telegram_webhook_url
    if not url:
        parser.error("give the URL or set CHARTGENIUS_TELEGRAM_WEBHOOK_URL")
    try:
        set_webhook(ports, url, drop_pending=args.drop_pending)
    except ChartGeniusError as exc:
        logger.error("setWebhook failed", extra={"reason": exc.message})
        sys.stderr.write(f"setWebhook failed: {exc.message}\n")
        return 1
    logger.info("webhook set", extra={"url": url, "allowed_updates": list(ALLOWED_UPDATES)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
