"""analyzer's use case: technicals → prompt → LLM (checked) → stored result → chart → announce.

The result is stored first (the user sees it at once); the chart is drawn after, in the same
handler, at a path fixed by the analysis id, and the announcement follows it. A repeated
delivery of a finished analysis only redraws a missing chart and repeats a lost announcement.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from shared import metrics, trackrecord
from shared.charts import candles_path, candles_url, chart_path, chart_url
from shared.errors import InvalidInput, PermanentError
from shared.events import MarketFetched
from shared.llm.pricing import record_usage
from shared.llm.writer import Written, write_report
from shared.models import AnalysisResult, Language, LLMUsage, Scenario, Status
from shared.ports import LLM, BlobStore, Bus, DocumentStore, LLMRequest
from shared.prompts.renderer import render
from shared.prompts.store import PromptStore, PromptVersion, analysis_prompt, default_version
from shared.prompts.variables import context_of
from shared.services import analyses
from shared.services.announce import announce_once

if TYPE_CHECKING:
    from shared.indicators.technical import Technicals

log = logging.getLogger(__name__)


def _technicals(event: MarketFetched) -> Technicals:
    """The indicators, loaded on first use: TA-Lib brings numpy and pandas, about 0.6 s of a
    cold start that a first message for a missing or finished analysis never needs (0114)."""
    from shared.indicators.technical import analyse

    return analyse(event.candles, event.timeframe)


def _prompt(prompts: PromptStore | None, language: str,
            ctx: dict[str, object]) -> tuple[PromptVersion, str, list[str]]:
    """The active prompt rendered within its limits; if it cannot be (broken, or over its
    step, size or time budget), the default prompt, with a note saying so."""
    name = analysis_prompt(language)
    version = prompts.active(name) if prompts is not None else default_version(name)
    try:
        return version, render(version.template, ctx), []
    except InvalidInput as exc:
        log.warning("active prompt failed to render; default used",
                    extra={"prompt": name, "version": version.version, "reason": exc.message})
        fallback = default_version(name)
        note = (f"prompt {name} v{version.version} could not be used ({exc.message}); "
                "the default prompt was used")
        return fallback, render(fallback.template, ctx), [note]


def _result(event: MarketFetched, t: Technicals, written: Written, prompt: PromptVersion,
            language: str, prompt_notes: list[str]) -> AnalysisResult:
    report, attempts = written.report, written.attempts
    return AnalysisResult(
        symbol=event.symbol, timeframe=event.timeframe, as_of=t.as_of, price=t.price,
        signal=t.signal, confidence=t.confidence, votes=t.votes, summary=report.summary.strip(),
        indicators=t.indicators, source=event.source, provider=written.provider,
        language=Language(language), model=written.model, trend=t.trend, levels=t.levels,
        pivots=t.pivots, fibonacci=t.fibonacci, patterns=t.patterns, confluence=t.confluence,
        key_points=report.key_points, risks=report.risks,
        bull_scenario=Scenario.model_validate(report.bull_scenario.model_dump()),
        bear_scenario=Scenario.model_validate(report.bear_scenario.model_dump()),
        closed_at=t.as_of, live_price=t.live_price, live_at=t.live_at, score=t.score,
        horizon=t.outlook.horizon if t.outlook else None,
        p_up=t.outlook.p_up if t.outlook and t.outlook.calibrated else None,
        calibrated=bool(t.outlook and t.outlook.calibrated),
        notes=[*prompt_notes, *written.notes], prompt_name=prompt.name,
        prompt_version=prompt.version,
        usage=LLMUsage(
            input_tokens=sum(a.input_tokens for a in attempts),
            output_tokens=sum(a.output_tokens for a in attempts),
            cost_usd=round(sum(a.cost_usd for a in attempts), 8),
            latency_ms=written.latency_ms,
            attempts=[f"{a.provider}:{a.outcome}" for a in attempts]),
    )


def build_result(event: MarketFetched, llm: LLM, language: str, *,
                 prompts: PromptStore | None = None,
                 tolerance: float = 0.005) -> tuple[AnalysisResult, Technicals]:
    t = _technicals(event)
    ctx = context_of(t, event.symbol, event.timeframe, language)
    prompt, text, prompt_notes = _prompt(prompts, language, ctx)
    request = LLMRequest(system=prompt.system, prompt=text, context=ctx, language=language)
    written = write_report(llm, request, tolerance=tolerance)
    return _result(event, t, written, prompt, language, prompt_notes), t


def draw_chart(blobs: BlobStore, analysis_id: str, event: MarketFetched, t: Technicals) -> None:
    """Render and store the chart; a failure is logged and leaves the analysis as it is."""
    from shared.charts.render import render_png

    try:
        png = render_png(event.candles, t.levels, title=f"{event.symbol} {event.timeframe}")
        blobs.put(chart_path(analysis_id), png, "image/png")
    except Exception:  # a chart is an extra: the stored result must not be lost over it
        log.exception("chart rendering failed", extra={"analysis_id": analysis_id})


def store_candles(blobs: BlobStore, analysis_id: str, event: MarketFetched) -> None:
    """The candles and overlays for the web chart, written before the result is completed so
    that a page which sees ``completed`` can ask for them at once (no 404 race)."""
    from shared.charts.series import candle_series, encode

    series = candle_series(analysis_id, event.symbol, event.timeframe, event.source,
                           event.candles)
    blobs.put(candles_path(analysis_id), encode(series), "application/json")


def _redraw_if_missing(blobs: BlobStore | None, analysis_id: str, event: MarketFetched,
                       has_chart: bool, has_candles: bool) -> None:
    if blobs is None:
        return
    if has_candles and blobs.get(candles_path(analysis_id)) is None:
        store_candles(blobs, analysis_id, event)
    if has_chart and blobs.get(chart_path(analysis_id)) is None:
        draw_chart(blobs, analysis_id, event, _technicals(event))


def count_usage(provider: str, usage: LLMUsage) -> None:
    metrics.LLM_TOKENS.inc(float(usage.input_tokens), provider, "input")
    metrics.LLM_TOKENS.inc(float(usage.output_tokens), provider, "output")
    metrics.LLM_COST.inc(float(usage.cost_usd), provider)


def analyze(store: DocumentStore, bus: Bus, llm: LLM, event: MarketFetched, *,
            blobs: BlobStore | None = None, prompts: PromptStore | None = None,
            tolerance: float = 0.005, charts: bool = True) -> None:
    analysis = analyses.load(store, event.analysis_id)
    poison = event.candles.problem()
    if poison is not None:  # no retry can mend it: fail now, with the reason
        analyses.fail(store, bus, analysis.id, f"unusable market data: {poison}")
        return
    if analysis.status.terminal:  # a repeat: redraw a lost chart, announce a lost announcement
        result = analysis.result
        _redraw_if_missing(blobs, analysis.id, event, bool(result and result.chart_url),
                           bool(result and result.candles_url))
        announce_once(store, bus, analysis)
        return
    analyses.transition(store, analysis.id, Status.analyzing, source=event.source)
    try:
        result, t = build_result(event, llm, analysis.language.value, prompts=prompts,
                                 tolerance=tolerance)
    except PermanentError as exc:
        analyses.fail(store, bus, analysis.id, exc.message)
        return
    result.track_record = trackrecord.summary_of(
        store.get(trackrecord.COLLECTION, trackrecord.doc_id(event.symbol, event.timeframe)),
        result.signal.value, result.horizon or 10)
    drawing = blobs is not None and charts
    if drawing:
        result.chart_url = chart_url(analysis.id)
    if blobs is not None:
        store_candles(blobs, analysis.id, event)
        result.candles_url = candles_url(analysis.id)
    if analyses.transition(store, analysis.id, Status.completed,
                           result=result.model_dump(mode="json")):
        record_usage(store, analysis.user_id, analysis.id, cost_usd=result.usage.cost_usd,
                     input_tokens=result.usage.input_tokens,
                     output_tokens=result.usage.output_tokens)
        count_usage(result.provider, result.usage)
        if drawing and blobs is not None:
            draw_chart(blobs, analysis.id, event, t)
        announce_once(store, bus, analyses.load(store, analysis.id))
