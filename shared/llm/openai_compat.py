"""Any OpenAI-compatible ``/chat/completions`` endpoint: OpenAI, Ollama, vLLM, OpenRouter,
the HuggingFace router. The base URL includes the version path (``…/v1``)."""

from __future__ import annotations

from typing import Any

from shared.llm.faults import ReplyInvalid, ReplyRefused
from shared.llm.http import post_json
from shared.ports import LLMReply, LLMRequest


class OpenAICompatible:
    def __init__(self, *, base_url: str, model: str, api_key: str | None, timeout: float,
                 name: str = "openai", max_tokens: int = 1200) -> None:
        self.name, self.model = name, model
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout, self.max_tokens = timeout, max_tokens

    def payload(self, request: LLMRequest) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [{"role": "system", "content": request.system},
                         {"role": "user", "content": request.prompt}],
            "response_format": {"type": "json_object"},
            "temperature": 0.2,
            "max_tokens": self.max_tokens,
        }

    def complete(self, request: LLMRequest) -> LLMReply:
        body = post_json(self.url, self.payload(request), headers=self.headers,
                         timeout=self.timeout, provider=self.name)
        usage = body.get("usage") or {} if isinstance(body, dict) else {}
        tokens = (int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
        try:
            choice = body["choices"][0]
            message = choice["message"]
        except (KeyError, IndexError, TypeError) as exc:
            raise ReplyInvalid(f"{self.name} reply has no choices").with_usage(*tokens) from exc
        if message.get("refusal") or choice.get("finish_reason") == "content_filter":
            raise ReplyRefused(f"{self.name} refused: {message.get('refusal') or 'filtered'}")\
                .with_usage(*tokens)
        text = message.get("content")
        if not isinstance(text, str) or not text.strip():
            raise ReplyInvalid(f"{self.name} reply is empty").with_usage(*tokens)
        return LLMReply(text=text, provider=self.name, model=str(body.get("model") or self.model),
                        input_tokens=tokens[0], output_tokens=tokens[1])
