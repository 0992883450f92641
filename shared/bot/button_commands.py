"""Button presses: every press answers the callback and replaces the pressed message's
keyboard with the result (an edit), so no button stays under a message after it was used.

The edit is the webhook's inline reply (what the user sees); the callback answer, which
stops the button's spinner, goes through the Bot API when a bot is configured.
"""

from __future__ import annotations

import logging

from shared.bot import keyboards, replies, reports
from shared.bot.analysis_commands import pressed_timeframe
from shared.bot.conversation import Conversation, Reply
from shared.bot.send_queue import is_group
from shared.bot.texts import say
from shared.errors import ChartGeniusError, NotFound
from shared.services import analyses

log = logging.getLogger(__name__)


def pressed(conv: Conversation, callback_id: str, data: str | None) -> Reply:
    press = keyboards.parse_press(data)
    if press is None:
        edit, notice = pressed_timeframe(conv, data)
    elif press.action == "ind":
        edit, notice = show_indicators(conv, press.target), None
    else:
        from shared.bot.alert_buttons import pressed_alert  # alerts' buttons (snooze, mute)

        edit, notice = pressed_alert(conv, press)
    answered = _answer(conv, callback_id, notice)
    if edit is not None:
        return edit
    return None if answered else replies.callback_answer(callback_id, notice)


def show_indicators(conv: Conversation, analysis_id: str) -> Reply:
    """The report with the indicator table; the keyboard keeps only the web app button."""
    try:
        analysis = analyses.load(conv.ports.store, analysis_id)
    except (NotFound, ChartGeniusError):
        return conv.edit(say(conv.lang, "gone"))
    mine = analysis.user_id == conv.user.id or analysis.chat_id == conv.chat_id
    if not mine or analysis.result is None:
        return conv.edit(say(conv.lang, "gone"))
    keyboard = keyboards.report_keyboard(
        analysis.language.value, analysis.id, conv.ports.settings.web_base_url,
        private=not is_group(conv.chat_id), with_table_button=False)
    return conv.edit(reports.indicator_table(analysis, analysis.result), keyboard=keyboard)


def _answer(conv: Conversation, callback_id: str, notice: str | None) -> bool:
    """Answer the callback through the Bot API; False when no bot is configured."""
    messenger = conv.ports.messenger
    if messenger is None:
        return False
    params: dict[str, object] = {"callback_query_id": callback_id}
    if notice:
        params["text"] = notice[:200]
    try:
        messenger.call("answerCallbackQuery", params)
    except ChartGeniusError as exc:  # the spinner stops by itself; the edit is what matters
        log.warning("answerCallbackQuery failed", extra={"reason": exc.message})
    return True
