"""The alert's buttons: snooze the rule one day, mute it, resume it.

The data names the alert (``sn|<alert id>``); the alert record says whose it is and which
rule (``rule_key``). The pressed message is edited to the alert plus what was done, with a
"resume" button while the rule is silenced — never the buttons that were just used.
"""

from __future__ import annotations

from datetime import timedelta

from shared.bot import numbers
from shared.bot.alert_messages import alert_text
from shared.bot.conversation import Conversation, Reply
from shared.bot.keyboards import Press, unmute_keyboard
from shared.bot.texts import say
from shared.events import AlertTriggered
from shared.models import utcnow
from shared.services import alert_state, alerts

SNOOZE = timedelta(days=1)


def pressed_alert(conv: Conversation, press: Press) -> tuple[Reply, str | None]:
    record = conv.ports.store.get(alerts.COLLECTION, press.target)
    if record is None or record.get("user_id") != conv.user.id or not record.get("event"):
        return conv.edit(say(conv.lang, "gone")), None
    event = AlertTriggered.model_validate(record["event"])
    key, store, user = str(record.get("rule_key") or ""), conv.ports.store, conv.user.id
    if press.action == "sn":
        until = utcnow() + SNOOZE
        alert_state.snooze(store, key, user, until)
        status = say(conv.lang, "a_snoozed", until=numbers.moment(until, conv.lang))
    elif press.action == "mu":
        alert_state.mute(store, key, user)
        status = say(conv.lang, "a_muted")
    else:
        alert_state.mute(store, key, user, False)
        alert_state.snooze(store, key, user, utcnow())
        status = say(conv.lang, "a_resumed")
    text = alert_text(event, conv.lang, record.get("note")) + "\n\n" + status
    keyboard = None if press.action == "um" else unmute_keyboard(conv.lang, press.target)
    return conv.edit(text, keyboard=keyboard), status
