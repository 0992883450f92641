"""How a provider call can fail, as the chain sees it.

``ProviderUnavailable`` (timeout, 5xx, connection) and ``RateLimited`` are retried with
backoff; ``ReplyInvalid`` (malformed JSON, wrong shape) is retried once more on the same
provider; ``ReplyRefused`` and ``ProviderMisconfigured`` move straight to the next provider.
A fault carries the tokens the failed call still consumed, so they are accounted for.
"""

from __future__ import annotations

from typing import Self

from shared.errors import PermanentError, RateLimited, TransientError


class _Usage:
    input_tokens: int = 0
    output_tokens: int = 0

    def with_usage(self, input_tokens: int, output_tokens: int) -> Self:
        self.input_tokens, self.output_tokens = input_tokens, output_tokens
        return self


class ProviderUnavailable(TransientError, _Usage):
    code = "llm_unavailable"


class ProviderRateLimited(RateLimited, _Usage):
    code = "llm_rate_limited"


class ReplyInvalid(PermanentError, _Usage):
    code = "llm_reply_invalid"


class ReplyRefused(PermanentError, _Usage):
    code = "llm_refused"


class ProviderMisconfigured(PermanentError, _Usage):
    code = "llm_misconfigured"


RETRYABLE = (ProviderUnavailable, ProviderRateLimited, ReplyInvalid)
