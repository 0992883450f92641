"""/start, /help, /lang, /plan, /cancel, /price, /watch, /alerts — each a thin call into the
services the API uses (users, quotas, analyses, watchlist, notifications)."""

from __future__ import annotations

from pydantic import ValidationError

from shared.bot.analysis_commands import guess_symbol, start_payload
from shared.bot.conversation import Conversation, Reply
from shared.bot.html_parts import escape
from shared.bot.reports import number
from shared.bot.texts import TEXTS, raw, say
from shared.errors import InvalidInput, PermanentError
from shared.models import Language, Status, normalize_symbol
from shared.services import analyses, quotas, users, watchlist
from shared.services.alert_reasons import Reason, describe

CANCELLED = "cancelled by the user"
_RUNNING = [Status.queued.value, Status.fetching.value, Status.analyzing.value]


def start(conv: Conversation, args: list[str]) -> Reply:
    if args:
        started = start_payload(conv, args[0])
        if started is not None:
            return started
    welcome = say(conv.lang, "welcome", name=conv.first_name or "trader")
    return conv.html(welcome + TEXTS[conv.lang]["help"])


def help_(conv: Conversation, args: list[str]) -> Reply:
    return conv.html(TEXTS[conv.lang]["help"])


def lang(conv: Conversation, args: list[str]) -> Reply:
    if not args or args[0].lower() not in ("en", "ru"):
        return conv.say("lang_usage")
    chosen = Language(args[0].lower())
    conv.ports.store.update(users.COLLECTION, conv.user.id, {"language": chosen.value})
    return conv.html(TEXTS[chosen.value]["lang_set"])


def plan(conv: Conversation, args: list[str]) -> Reply:
    store = conv.ports.store
    limit = quotas.daily_limit(quotas.load_limits(store), conv.user)
    left = TEXTS[conv.lang]["unlimited"] if limit is None else \
        str(max(0, limit - quotas.used_today(store, conv.user.id)))
    return conv.say("plan", role=conv.user.role.value, left=left)


def cancel(conv: Conversation, args: list[str]) -> Reply:
    """Fail this user's running analyses; the notifier then tells the chat."""
    store, bus = conv.ports.store, conv.ports.bus
    running = store.query(analyses.COLLECTION, [("user_id", "==", conv.user.id),
                                                ("status", "in", _RUNNING)], limit=50)
    count = sum(1 for doc in running if analyses.fail(store, bus, doc["_id"], CANCELLED))
    return conv.say("cancelled", count=count) if count else conv.say("nothing_to_cancel")


def price(conv: Conversation, args: list[str]) -> Reply:
    """The latest price the product knows: the newest completed analysis of the pair."""
    if not args:
        return conv.say("ask_pair")
    symbol = guess_symbol(args[0]) or args[0]
    try:
        symbol = normalize_symbol(symbol)
    except InvalidInput as exc:
        return conv.say("refused", reason=exc.message)
    latest = conv.ports.store.query(
        analyses.COLLECTION, [("symbol", "==", symbol), ("status", "==", "completed")],
        order_by="updated_at", descending=True, limit=1)
    if not latest or not latest[0].get("result"):
        return conv.say("no_price", symbol=symbol)
    result = latest[0]["result"]
    return conv.say("price", symbol=symbol, price=number(float(result["price"])),
                    timeframe=latest[0]["timeframe"], as_of=str(result["as_of"])[:16])


def watch(conv: Conversation, args: list[str]) -> Reply:
    action = args[0].lower() if args else "list"
    store = conv.ports.store
    if action == "list":
        items = watchlist.list_items(store, conv.user)
        if not items:
            return conv.say("watch_empty")
        lines = "\n".join(f"• {escape(i.symbol)} {escape(i.timeframe)}" for i in items)
        return conv.html(raw(conv.lang, "watch_list", items=lines))
    if action not in ("add", "remove") or len(args) < 2:
        return conv.say("watch_usage")
    try:
        symbol = normalize_symbol(guess_symbol(args[1]) or args[1])
        if action == "add":
            timeframe = args[2] if len(args) > 2 else "4h"
            watchlist.add_item(store, conv.user,
                               watchlist.WatchInput(symbol=symbol, timeframe=timeframe))
            return conv.say("watch_added", symbol=symbol)
        for item in watchlist.list_items(store, conv.user):
            if item.symbol == symbol:
                watchlist.delete_item(store, conv.user, item.id)
        return conv.say("watch_removed", symbol=symbol)
    except ValidationError as exc:
        return conv.say("refused", reason=exc.errors()[0]["msg"])
    except PermanentError as exc:
        return conv.say("refused", reason=exc.message)


def alerts(conv: Conversation, args: list[str]) -> Reply:
    notes = conv.ports.store.query(
        "notifications", [("user_id", "==", conv.user.id), ("kind", "==", "alert.triggered")],
        order_by="created_at", descending=True, limit=10)
    if not notes:
        return conv.say("alerts_empty")
    lines = "\n".join(_alert_line(conv, n) for n in notes)
    return conv.html(raw(conv.lang, "alerts_list", items=lines))


def _alert_line(conv: Conversation, note: dict[str, object]) -> str:
    """One past alert in the user's language (from its reasons), or as it was recorded."""
    when = escape(str(note.get("created_at", ""))[:16])
    record = conv.ports.store.get("alerts", str(note.get("alert_id", ""))) or {}
    event = record.get("event") if isinstance(record, dict) else None
    if isinstance(event, dict) and event.get("reasons"):
        reasons = [Reason.load(r) for r in event["reasons"] if isinstance(r, dict)]
        text = f"{event.get('symbol')} {event.get('timeframe')}: {describe(reasons, conv.lang)}"
        return f"• {when} {escape(text)}"
    return (f"• {when} {escape(str(note.get('title', '')))}: "
            f"{escape(str(note.get('body', '')))}")
