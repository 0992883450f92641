"""A function instance starts with the cyclic garbage collector off (decision 0114).

Each entry module imports this module before the rest of ``shared`` (``import shared.startup``),
while functions-framework loads it inside its app's context. From then until the first answer
has been sent, the collector does not run: start-up imports about 1,500 modules and makes
objects that live as long as the instance, so its passes (full ones included) found nothing to
free and took 0.06-0.09 s of every cold start here. Reference counting frees everything else as
usual; only garbage cycles wait. The gunicorn worker inherits the switched-off state at the
fork; once the first response has been sent (``call_on_close``), the collector is switched back
on, so its first, larger pass is not part of anyone's wait. The gunicorn master, which only
watches its worker and allocates next to nothing, keeps it off.

Only a deployed instance does this (Cloud Run sets ``K_SERVICE``; the deploy rehearsal too):
the local host, which loads all five functions into one long-lived process, and any test or
script importing ``shared`` outside functions-framework's loading, keep the collector as it is.
"""

from __future__ import annotations

import gc
import os

from flask import Response, current_app, has_app_context

_waiting = False  # for the first answer, with the collector off


def _collect_once_sent(response: Response) -> Response:
    global _waiting
    if _waiting:
        _waiting = False
        response.call_on_close(gc.enable)
    return response


def _quiet_until_first_answer() -> None:
    global _waiting
    if not os.environ.get("K_SERVICE") or not has_app_context() or not gc.isenabled():
        return
    gc.disable()
    _waiting = True
    current_app.after_request(_collect_once_sent)


_quiet_until_first_answer()
