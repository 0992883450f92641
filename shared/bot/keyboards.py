"""The inline keyboards under a report and an alert, and what their buttons' data mean.

``callback_data`` is at most 64 bytes: ``ind|<analysis id>`` (show the indicator table),
``sn|<rule key>`` (snooze the rule one day), ``mu|<rule key>`` (mute it), ``um|<rule key>``
(unmute). A ``web_app`` button works only in a private chat with the bot, so a group gets a
plain ``url`` button to the same page (Telegram refuses ``web_app`` there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.bot.texts import say

Keyboard = dict[str, Any]
ACTIONS = ("ind", "sn", "mu", "um")


def analysis_url(web_base_url: str | None, analysis_id: str) -> str | None:
    return f"{web_base_url.rstrip('/')}/analysis/{analysis_id}" if web_base_url else None


def open_button(lang: str, url: str, *, private: bool) -> dict[str, Any]:
    target = {"web_app": {"url": url}} if private else {"url": url}
    return {"text": say(lang, "b_open"), **target}


def report_keyboard(lang: str, analysis_id: str, web_base_url: str | None, *,
                    private: bool, with_table_button: bool = True) -> Keyboard | None:
    """Under the report: the indicator table and the full analysis in the web app."""
    row: list[dict[str, Any]] = []
    if with_table_button:
        row.append({"text": say(lang, "b_indicators"), "callback_data": f"ind|{analysis_id}"})
    url = analysis_url(web_base_url, analysis_id)
    if url is not None:
        row.append(open_button(lang, url, private=private))
    return {"inline_keyboard": [row]} if row else None


def alert_keyboard(lang: str, rule_key: str) -> Keyboard:
    return {"inline_keyboard": [[
        {"text": say(lang, "b_snooze"), "callback_data": f"sn|{rule_key}"},
        {"text": say(lang, "b_mute"), "callback_data": f"mu|{rule_key}"},
    ]]}


def unmute_keyboard(lang: str, rule_key: str) -> Keyboard:
    return {"inline_keyboard": [[{"text": say(lang, "b_unmute"),
                                  "callback_data": f"um|{rule_key}"}]]}


@dataclass(frozen=True)
class Press:
    action: str  # one of ACTIONS
    target: str  # an analysis id or a rule key


def parse_press(data: str | None) -> Press | None:
    action, _, target = (data or "").partition("|")
    if action not in ACTIONS or not target or len((data or "").encode()) > 64 or "|" in target:
        return None
    return Press(action, target)
