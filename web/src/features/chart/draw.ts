// Drawing with lightweight-charts 5: one pane of candles with overlays and price lines, and
// volume as a histogram on its own scale at the bottom.

import {
  CandlestickSeries, ColorType, createChart, CrosshairMode, HistogramSeries, LineSeries,
  LineStyle, type IChartApi, type UTCTimestamp,
} from "lightweight-charts";
import type {CandleSeries} from "../../api/endpoints";
import type {AnalysisResult} from "../../api/types";
import {formatPrice, priceDecimals} from "../../format";
import {fixedT, type Lang} from "../../i18n";

export interface Legend {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

const OVERLAYS: [string, string][] = [
  ["ema_20", "#f0b90b"], ["ema_50", "#3d9bff"], ["ema_200", "#c77dff"],
  ["bb_upper", "#5e6673"], ["bb_middle", "#474d57"], ["bb_lower", "#5e6673"],
];

const time = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;

function priceLines(chart: ReturnType<IChartApi["addSeries"]>, result: AnalysisResult,
  lang: Lang): void {
  const t = fixedT(lang);
  for (const level of result.levels ?? []) {
    chart.createPriceLine({price: level.price, color: level.kind === "support" ? "#0ecb81" : "#f6465d",
      lineWidth: 1, lineStyle: LineStyle.Dotted, axisLabelVisible: true,
      title: t(level.kind === "support" ? "chart_support" : "chart_resistance")});
  }
  for (const [side, scenario] of [["bull", result.bull_scenario], ["bear", result.bear_scenario]] as const) {
    if (!scenario) continue;
    const color = side === "bull" ? "#0ecb81" : "#f6465d";
    if (scenario.target !== null) {
      chart.createPriceLine({price: scenario.target, color, lineWidth: 2, lineStyle: LineStyle.Dashed,
        axisLabelVisible: true, title: t(`chart_${side}_target`)});
    }
    chart.createPriceLine({price: scenario.invalidation, color: "#848e9c", lineWidth: 1,
      lineStyle: LineStyle.Dashed, axisLabelVisible: false, title: t(`chart_${side}_invalidation`)});
  }
}

/** Draws into `box`; returns the cleanup that removes the chart. */
export function drawChart(box: HTMLElement, data: CandleSeries, result: AnalysisResult,
  lang: Lang, onLegend: (legend: Legend | null) => void): () => void {
  // How many candles are in view, on the element (zoom and pan are visible to tests and to
  // assistive technology through the legend's hint).
  const showRange = (range: {from: number; to: number} | null): void => {
    box.dataset.visibleBars = range ? String(Math.round(range.to - range.from)) : "";
  };
  const decimals = priceDecimals(result.price);
  const chart = createChart(box, {
    autoSize: true,
    layout: {background: {type: ColorType.Solid, color: "#151a21"}, textColor: "#b7bdc6",
      fontSize: 11, attributionLogo: false},
    grid: {vertLines: {color: "#1e242c"}, horzLines: {color: "#1e242c"}},
    crosshair: {mode: CrosshairMode.Normal},
    rightPriceScale: {borderColor: "#2b3139"},
    timeScale: {borderColor: "#2b3139", timeVisible: true, secondsVisible: false},
    localization: {locale: lang === "ru" ? "ru-RU" : "en-US",
      priceFormatter: (price: number) => formatPrice(price, decimals, lang)},
  });
  const candles = chart.addSeries(CandlestickSeries, {upColor: "#0ecb81", downColor: "#f6465d",
    borderVisible: false, wickUpColor: "#0ecb81", wickDownColor: "#f6465d",
    priceFormat: {type: "price", precision: decimals, minMove: 10 ** -decimals}});
  candles.priceScale().applyOptions({scaleMargins: {top: 0.08, bottom: 0.22}});
  candles.setData(data.t.map((t, i) => ({time: time(t), open: data.o[i] ?? 0, high: data.h[i] ?? 0,
    low: data.l[i] ?? 0, close: data.c[i] ?? 0})));
  const volume = chart.addSeries(HistogramSeries, {priceScaleId: "volume", priceFormat: {type: "volume"},
    lastValueVisible: false, priceLineVisible: false});
  chart.priceScale("volume").applyOptions({scaleMargins: {top: 0.82, bottom: 0}});
  volume.setData(data.t.map((t, i) => ({time: time(t), value: data.v[i] ?? 0,
    color: (data.c[i] ?? 0) >= (data.o[i] ?? 0) ? "#0ecb8155" : "#f6465d55"})));
  for (const [name, color] of OVERLAYS) {
    const values = data.overlays?.[name];
    if (!values) continue;
    const line = chart.addSeries(LineSeries, {color, lineWidth: name.startsWith("bb") ? 1 : 2,
      priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false, title: ""});
    line.setData(data.t.flatMap((t, i) => {
      const value = values[i];
      return value === null || value === undefined ? [] : [{time: time(t), value}];
    }));
  }
  priceLines(candles, result, lang);
  chart.subscribeCrosshairMove((param) => {
    const bar = param.seriesData.get(candles) as {open: number; high: number; low: number; close: number} | undefined;
    const vol = param.seriesData.get(volume) as {value: number} | undefined;
    onLegend(bar ? {open: bar.open, high: bar.high, low: bar.low, close: bar.close,
      volume: vol?.value ?? 0} : null);
  });
  chart.timeScale().subscribeVisibleLogicalRangeChange(showRange);
  chart.timeScale().setVisibleLogicalRange({from: Math.max(0, data.t.length - 120), to: data.t.length + 3});
  return () => chart.remove();
}
