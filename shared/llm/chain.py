"""The provider chain: each provider in turn, with retries and backoff, ending in the
rule-based analyst, and an account of every attempt (tokens, cost, latency)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from shared.errors import ChartGeniusError, PermanentError, RateLimited
from shared.llm import pricing
from shared.llm.faults import RETRYABLE, ReplyInvalid
from shared.llm.rule_based import RuleBasedAnalyst
from shared.ports import LLM, LLMReply, LLMRequest

log = logging.getLogger(__name__)
MAX_DELAY = 8.0


@dataclass(frozen=True)
class Attempt:
    provider: str
    model: str
    outcome: str  # "ok" or the fault's code
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0


@dataclass
class ChainReply:
    reply: LLMReply
    attempts: list[Attempt] = field(default_factory=list)


class ProviderChain:
    name = "chain"

    def __init__(self, providers: Sequence[LLM], *, retries: int = 2, backoff: float = 0.5,
                 budget: float = 60.0, prices: Mapping[str, tuple[float, float]] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        tail: list[LLM] = [] if providers and isinstance(providers[-1], RuleBasedAnalyst) \
            else [RuleBasedAnalyst()]
        self.providers = [*providers, *tail]
        self.retries, self.backoff, self.budget = retries, backoff, budget
        self.prices = prices or {}
        self.sleep, self.clock = sleep, clock

    def complete(self, request: LLMRequest) -> LLMReply:
        return self.run(request).reply

    def run(self, request: LLMRequest) -> ChainReply:
        """The first provider that answers; the rule-based analyst when none does."""
        attempts: list[Attempt] = []
        start = self.clock()
        for provider in self.providers:
            last = provider is self.providers[-1]
            if not last and self.clock() - start > self.budget:
                attempts.append(Attempt(provider.name, _model(provider), "skipped_budget"))
                continue
            reply = self._try(provider, request, attempts)
            if reply is not None:
                return ChainReply(reply, attempts)
        raise PermanentError("no LLM provider produced a report")

    def _delay(self, attempt: int, exc: Exception) -> float:
        wait = self.backoff * 2**attempt
        if isinstance(exc, RateLimited) and exc.retry_after:
            wait = max(wait, exc.retry_after)
        return min(wait, MAX_DELAY)

    def _try(self, provider: LLM, request: LLMRequest, attempts: list[Attempt]) -> LLMReply | None:
        invalid = 0
        for attempt in range(self.retries + 1):
            began = self.clock()
            try:
                reply = provider.complete(request)
            except ChartGeniusError as exc:
                attempts.append(self._account(provider, exc.code, exc, began))
                log.warning("llm attempt failed", extra={
                    "provider": provider.name, "outcome": exc.code, "reason": exc.message})
                invalid += isinstance(exc, ReplyInvalid)
                if not isinstance(exc, RETRYABLE) or invalid > 1 or attempt == self.retries:
                    return None
                self.sleep(self._delay(attempt, exc))
                continue
            except Exception:  # an SDK's own bug must not cost the user the analysis
                log.exception("llm provider raised unexpectedly", extra={
                    "provider": provider.name})
                attempts.append(Attempt(provider.name, _model(provider), "error"))
                return None
            attempts.append(self._account(provider, "ok", reply, began))
            return reply
        return None

    def _account(self, provider: LLM, outcome: str, source: object, began: float) -> Attempt:
        model = str(getattr(source, "model", "") or _model(provider))
        tokens_in = int(getattr(source, "input_tokens", 0) or 0)
        tokens_out = int(getattr(source, "output_tokens", 0) or 0)
        return Attempt(provider.name, model, outcome, tokens_in, tokens_out,
                       pricing.cost(model, tokens_in, tokens_out, self.prices),
                       round((self.clock() - began) * 1000, 2))


def _model(provider: LLM) -> str:
    return str(getattr(provider, "model", "unknown"))
