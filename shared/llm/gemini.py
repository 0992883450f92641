"""Gemini on Vertex AI through ``google-genai`` (Vertex mode), JSON constrained by a schema.

``google.genai`` (≈ 0.4 s to import) is imported when the provider is first used, and the
client is created once per instance. Tests point ``base_url`` at a local fake and pass a
static-token credential (see NOTES: anonymous credentials cannot be refreshed).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from shared.llm.faults import (
    ProviderMisconfigured,
    ProviderRateLimited,
    ProviderUnavailable,
    ReplyInvalid,
    ReplyRefused,
)
from shared.llm.report import json_schema
from shared.ports import LLMReply, LLMRequest

log = logging.getLogger(__name__)
_REFUSED = {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION"}
_TRANSPORTS = ("httpx", "httpx2", "httpcore", "httpcore2", "aiohttp")


class Gemini:
    name = "gemini"

    def __init__(self, *, project: str, location: str, model: str, timeout: float,
                 base_url: str | None = None, credentials: Any = None) -> None:
        self.project, self.location, self.model = project, location, model
        self.timeout, self.base_url, self.credentials = timeout, base_url, credentials
        self._client: Any = None
        self._lock = threading.Lock()

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                from google import genai
                from google.genai import types

                options = types.HttpOptions(timeout=int(self.timeout * 1000),
                                            base_url=self.base_url)
                self._client = genai.Client(vertexai=True, project=self.project,
                                            location=self.location, http_options=options,
                                            credentials=self.credentials)
            return self._client

    def _generate(self, request: LLMRequest) -> Any:
        from google.genai import errors, types

        config = types.GenerateContentConfig(
            system_instruction=request.system, temperature=0.2, max_output_tokens=1500,
            response_mime_type="application/json", response_json_schema=json_schema())
        try:
            return self.client().models.generate_content(
                model=self.model, contents=request.prompt, config=config)
        except errors.APIError as exc:
            raise _fault(exc) from exc
        except Exception as exc:  # the transport's own errors: timeouts, resets
            if type(exc).__module__.split(".")[0] in _TRANSPORTS:
                raise ProviderUnavailable(f"gemini unreachable: {type(exc).__name__}") from exc
            raise

    def complete(self, request: LLMRequest) -> LLMReply:
        response = self._generate(request)
        usage = response.usage_metadata
        tokens = (int(getattr(usage, "prompt_token_count", 0) or 0),
                  int(getattr(usage, "candidates_token_count", 0) or 0))
        candidates = response.candidates or []
        reason = str(getattr(candidates[0].finish_reason, "value", "")) if candidates else ""
        blocked = getattr(response.prompt_feedback, "block_reason", None)
        if blocked or reason in _REFUSED:
            raise ReplyRefused(f"gemini refused: {blocked or reason}").with_usage(*tokens)
        text = response.text if candidates else None
        if not text or not text.strip():
            raise ReplyInvalid(f"gemini reply is empty ({reason or 'no candidates'})")\
                .with_usage(*tokens)
        return LLMReply(text=text, provider=self.name,
                        model=str(response.model_version or self.model),
                        input_tokens=tokens[0], output_tokens=tokens[1])


def _fault(exc: Any) -> Exception:
    code = int(getattr(exc, "code", 0) or 0)
    message = f"gemini answered {code}: {str(getattr(exc, 'message', '') or '')[:200]}"
    if code == 429:
        return ProviderRateLimited(message)
    if code >= 500 or code in (408, 0):
        return ProviderUnavailable(message)
    log.warning("gemini refused the call", extra={"status": code})
    return ProviderMisconfigured(message)
