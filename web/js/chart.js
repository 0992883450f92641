// The chart is drawn after the result is stored and needs the bearer token, so it is fetched
// (a few tries while it is drawn) and shown from a blob URL; without one the panel stays hidden.

import {api} from "./api.js";
import {$, show} from "./dom.js";
import {t} from "./i18n.js";
import {sleep} from "./live.js";

let chartUrl = null;

export function clearChart() {
  show($("chart"), false);
  $("chart-img").removeAttribute("src");
  if (chartUrl) URL.revokeObjectURL(chartUrl);
  chartUrl = null;
}

export async function showChart(doc, signal) {
  try {
    for (const wait of [0, 500, 1000, 2000, 4000]) {
      await sleep(wait, signal);
      const response = await api.chart(doc.id, signal);
      if (response.status === 404) continue;
      if (!response.ok || !(response.headers.get("Content-Type") || "").startsWith("image/")) return;
      const blob = await response.blob();
      if (signal.aborted) return;
      clearChart();
      chartUrl = URL.createObjectURL(blob);
      $("chart-img").src = chartUrl;
      $("chart-img").alt = t(doc.language, "chart_alt", {subject: `${doc.symbol} ${doc.timeframe}`});
      show($("chart"), true);
      return;
    }
  } catch {
    // a chart is an extra: the result is already on the page
  }
}
