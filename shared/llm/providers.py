"""Builds the configured provider chain (the LLM port the analyzer gets)."""

from __future__ import annotations

from shared.config import Settings
from shared.llm.chain import ProviderChain
from shared.ports import LLM, Secrets


def build_provider(name: str, settings: Settings, secrets: Secrets) -> LLM:
    timeout = settings.llm_timeout_seconds
    if name == "gemini":
        from shared.llm.gemini import Gemini

        return Gemini(project=settings.project, location=settings.gemini_location,
                      model=settings.gemini_model, timeout=timeout,
                      base_url=settings.gemini_base_url)
    if name == "openai":
        from shared.llm.openai_compat import OpenAICompatible

        return OpenAICompatible(base_url=settings.openai_base_url, model=settings.openai_model,
                                api_key=secrets.get("OPENAI_API_KEY"), timeout=timeout)
    if name == "huggingface":
        from shared.llm.huggingface import HuggingFace

        return HuggingFace(base_url=settings.huggingface_base_url,
                           model=settings.huggingface_model,
                           api_key=secrets.get("HUGGINGFACE_API_TOKEN"), timeout=timeout)
    from shared.llm.rule_based import RuleBasedAnalyst

    return RuleBasedAnalyst()


def build_chain(settings: Settings, secrets: Secrets) -> ProviderChain:
    providers = [build_provider(name, settings, secrets) for name in settings.llm_providers]
    return ProviderChain(providers, retries=settings.llm_retries,
                         backoff=settings.llm_backoff_seconds,
                         budget=settings.llm_budget_seconds, prices=settings.llm_prices)
