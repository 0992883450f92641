"""One JSON POST for the HTTP providers, with their failures mapped onto ``faults``."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from shared.llm.faults import ProviderMisconfigured, ProviderRateLimited, ProviderUnavailable

log = logging.getLogger(__name__)


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None


def post_json(url: str, payload: dict[str, Any], *, headers: dict[str, str], timeout: float,
              provider: str) -> Any:
    """POST ``payload`` and return the decoded JSON body, or raise a provider fault."""
    try:
        response = httpx.post(url, json=payload, headers=headers, timeout=timeout)
    except httpx.TimeoutException as exc:
        raise ProviderUnavailable(f"{provider} timed out after {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise ProviderUnavailable(f"{provider} unreachable: {type(exc).__name__}") from exc
    if response.status_code == 429:
        raise ProviderRateLimited(f"{provider} rate limited the request",
                                  retry_after=_retry_after(response))
    if response.status_code >= 500:
        raise ProviderUnavailable(f"{provider} answered {response.status_code}")
    if response.status_code >= 400:
        log.warning("llm provider refused the call", extra={
            "provider": provider, "status": response.status_code})
        raise ProviderMisconfigured(f"{provider} answered {response.status_code}")
    try:
        return response.json()
    except ValueError as exc:
        raise ProviderUnavailable(f"{provider} sent a body that is not JSON") from exc
