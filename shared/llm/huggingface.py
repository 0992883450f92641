"""The HuggingFace Inference API, text-generation task (TGI): ``POST <base>/<model>`` with
``{"inputs", "parameters"}`` → ``[{"generated_text", "details": {"generated_tokens"}}]``.

HF does not report input tokens: they are estimated at four characters a token.
"""

from __future__ import annotations

from typing import Any

from shared.llm.faults import ProviderUnavailable, ReplyInvalid
from shared.llm.http import post_json
from shared.ports import LLMReply, LLMRequest


def estimate_tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


class HuggingFace:
    name = "huggingface"

    def __init__(self, *, base_url: str, model: str, api_key: str | None, timeout: float,
                 max_new_tokens: int = 1200) -> None:
        self.model = model
        self.url = f"{base_url.rstrip('/')}/{model}"
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout, self.max_new_tokens = timeout, max_new_tokens

    def payload(self, request: LLMRequest) -> dict[str, Any]:
        prompt = f"{request.system}\n\n{request.prompt}\n\nJSON:"
        return {"inputs": prompt, "parameters": {
            "max_new_tokens": self.max_new_tokens, "return_full_text": False,
            "temperature": 0.2, "details": True}, "options": {"wait_for_model": False}}

    def complete(self, request: LLMRequest) -> LLMReply:
        payload = self.payload(request)
        body = post_json(self.url, payload, headers=self.headers, timeout=self.timeout,
                         provider=self.name)
        if isinstance(body, dict) and "error" in body:  # e.g. a model that is still loading
            raise ProviderUnavailable(f"{self.name}: {str(body['error'])[:200]}")
        try:
            first = body[0] if isinstance(body, list) else body
            text = first["generated_text"]
        except (KeyError, IndexError, TypeError) as exc:
            raise ReplyInvalid(f"{self.name} reply has no generated_text") from exc
        details = first.get("details") or {}
        output = int(details.get("generated_tokens") or estimate_tokens(str(text)))
        input_tokens = estimate_tokens(payload["inputs"])
        if not isinstance(text, str) or not text.strip():
            raise ReplyInvalid(f"{self.name} reply is empty").with_usage(input_tokens, output)
        return LLMReply(text=text, provider=self.name, model=self.model,
                        input_tokens=input_tokens, output_tokens=output)
