"""``/digest on|off``, ``/digest 9`` (the local hour), ``/digest 9 +3`` (hour and UTC offset,
``+5:30`` also works): the same preferences the web's toggle sets (``/api/digest``)."""

from __future__ import annotations

import re

from shared.bot.conversation import Conversation, Reply
from shared.services import digest

_OFFSET = re.compile(r"^(?:utc)?([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def offset_minutes(text: str) -> int | None:
    """``+3`` → 180, ``-4:30`` → -270, ``UTC+5:45`` → 345; None when it is no offset."""
    match = _OFFSET.match(text.strip())
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    total = hours * 60 + minutes
    if minutes >= 60 or not -720 <= (-total if sign == "-" else total) <= 840:
        return None
    return -total if sign == "-" else total


def describe_offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}" + (f":{rest:02d}" if rest else "")


def digest_command(conv: Conversation, args: list[str]) -> Reply:
    store, user_id = conv.ports.store, conv.user.id
    prefs = digest.load(store, user_id)
    words = [a.lower() for a in args]
    if words and words[0] in ("on", "off"):
        prefs = prefs.model_copy(update={"enabled": words[0] == "on"})
    elif words and words[0].isdigit() and 0 <= int(words[0]) <= 23:
        change: dict[str, object] = {"hour": int(words[0]), "enabled": True}
        if len(words) > 1:
            offset = offset_minutes(words[1])
            if offset is None:
                return conv.say("d_usage")
            change["utc_offset_minutes"] = offset
        prefs = prefs.model_copy(update=change)
    elif words:
        return conv.say("d_usage")
    if words:
        digest.save(store, user_id, prefs)
    if not prefs.enabled:
        return conv.say("d_state_off")
    return conv.say("d_state_on", hour=prefs.hour,
                    offset=describe_offset(prefs.utc_offset_minutes))
