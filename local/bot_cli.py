"""``python -m local.bot_cli "/analyze BTC/USDT 4h"``: talk to the local bot from a terminal.

Sends the text (or ``--press tf|a|BTC/USDT|4h`` for a button) through the local Telegram
sink of a running ``make run``, then prints every Bot API call the bot makes for
``--wait`` seconds (the inline reply at once, the analysis when the notifier sends it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import requests

from local.telegram_sink import TOKEN_FILE as SINK_TOKEN_FILE


def show(call: dict[str, object]) -> None:
    params = call.get("params")
    assert isinstance(params, dict)
    text = params.get("text") or params.get("caption") or ""
    sys.stdout.write(f"\n── {call['method']} → chat {params.get('chat_id', '')}\n{text}\n")
    markup = params.get("reply_markup")
    if isinstance(markup, dict):
        for row in markup.get("inline_keyboard", []):
            sys.stdout.write("  " + "  ".join(f"[{b['text']}: {_target(b)}]"
                                              for b in row) + "\n")


def _target(button: dict[str, Any]) -> str:
    """What a button does: its callback data, or the link or Mini App it opens."""
    web_app = button.get("web_app")
    return str(button.get("callback_data") or button.get("url")
               or (web_app.get("url") if isinstance(web_app, dict) else "") or "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Talk to the local ChartGenius bot.")
    parser.add_argument("text", nargs="?", help="what the user writes")
    parser.add_argument("--press", help="callback data of a button to press")
    parser.add_argument("--chat-id", type=int, help="a negative id sends from a group")
    parser.add_argument("--wait", type=float, default=10.0, help="seconds to print calls")
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('PORT', '8080')}")
    args = parser.parse_args(argv)
    if not args.text and not args.press:
        parser.error("give a text or --press DATA")
    sink = args.url.rstrip("/") + "/telegram-sink"
    calls = requests.get(f"{sink}/calls", timeout=5).json()["calls"]
    since = max((c["seq"] for c in calls), default=0)
    spec: dict[str, Any] = {"callback_data": args.press} if args.press else {"text": args.text}
    if args.chat_id:
        spec.update(chat_id=args.chat_id, chat_type="group" if args.chat_id < 0 else "private")
    token_file = Path(os.environ.get("CHARTGENIUS_DATA_DIR", ".data")) / SINK_TOKEN_FILE
    answer = requests.post(f"{sink}/send", json=spec, timeout=10,
                           headers={"X-Sink-Token": token_file.read_text().strip()}).json()
    sys.stdout.write(f"webhook answered {answer['status']}: {json.dumps(answer['reply'])[:200]}\n")
    deadline = time.monotonic() + args.wait
    while time.monotonic() < deadline:
        for call in requests.get(f"{sink}/calls", params={"since": since}, timeout=5)\
                .json()["calls"]:
            since = max(since, call["seq"])
            show(call)
        time.sleep(0.5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
