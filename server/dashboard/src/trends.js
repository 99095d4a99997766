import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { h, percent } from "./dom.js";

// One chart per rate, one line per series. A click on a chart picks the bucket under the cursor and the
// series nearest to it, and asks for the conversations behind that point.
export const rates = [
  { field: "feedback_rate", title: "Feedback rate", signal: "any" },
  { field: "positive_rate", title: "Positive rate", signal: "positive" },
  { field: "negative_rate", title: "Negative rate", signal: "negative" },
];

const palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];
const intervalSeconds = { hour: 3600, day: 86400, week: 7 * 86400 };

export function renderTrends(container, trends, onPoint) {
  container.replaceChildren();
  const times = [...new Set(trends.series.flatMap((s) => s.points.map((p) => Date.parse(p.time) / 1000)))].sort((a, b) => a - b);
  if (times.length === 0) {
    container.append(h("p", { class: "note" }, "No turns in this range."));
    return [];
  }
  const index = new Map(times.map((t, i) => [t, i]));
  const width = Math.max(300, Math.min(560, Math.floor(container.clientWidth / 3) - 16));
  return rates.map((rate) => {
    const columns = trends.series.map((s) => {
      const column = new Array(times.length).fill(null);
      for (const p of s.points) column[index.get(Date.parse(p.time) / 1000)] = p[rate.field];
      return column;
    });
    const figure = h("figure", { class: "chart", "data-rate": rate.field }, h("figcaption", {}, rate.title));
    container.append(figure);
    const chart = new uPlot({
      width,
      height: 220,
      scales: { y: { range: (_u, _min, max) => [0, Math.max(0.05, max * 1.1)] } },
      axes: [{}, { values: (_u, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`), size: 48 }],
      series: [{}, ...trends.series.map((s, i) => ({
        label: s.key === "" ? "all" : s.key,
        stroke: palette[i % palette.length],
        width: 2,
        points: { show: true, size: 6 },
        spanGaps: false,
        value: (_u, v) => percent(v),
      }))],
      hooks: {
        draw: [(u) => {
          figure.dataset.rendered = "true";
          figure.dataset.points = String(columns.flat().filter((v) => v !== null).length);
        }],
      },
    }, [times, ...columns], figure);
    chart.over.addEventListener("click", () => {
      const i = chart.cursor.idx;
      if (i === null || i === undefined) return;
      const top = chart.cursor.top;
      let best = -1;
      let bestDistance = Infinity;
      columns.forEach((column, s) => {
        if (column[i] === null || !chart.series[s + 1].show) return;
        const distance = Math.abs(chart.valToPos(column[i], "y") - top);
        if (distance < bestDistance) [best, bestDistance] = [s, distance];
      });
      if (best < 0) return;
      const from = new Date(times[i] * 1000);
      const to = new Date((times[i] + intervalSeconds[trends.interval]) * 1000);
      onPoint({ series: trends.series[best].key, from, to, signal: rate.signal, rate: rate.title, value: columns[best][i] });
    });
    return chart;
  });
}
