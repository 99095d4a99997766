import { download, get } from "./api.js";
import { h, loading, message, percent } from "./dom.js";
import { sparkline } from "./sparkline.js";

const svgNs = "http://www.w3.org/2000/svg";
const day = 86400000;

// Ten bars, one per tenth of confidence: where a source's pairs sit between 0 and 1.
function histogram(counts, width = 100, height = 28) {
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("class", "histogram");
  const max = Math.max(1, ...counts);
  const bar = width / counts.length;
  counts.forEach((c, i) => {
    const rect = document.createElementNS(svgNs, "rect");
    const tall = (c / max) * (height - 2);
    Object.entries({ x: i * bar + 1, y: height - tall, width: bar - 2, height: tall }).forEach(([k, v]) => rect.setAttribute(k, v.toFixed(1)));
    svg.append(rect);
  });
  return svg;
}

// One count per day of the range, zeros included, so the sparklines of every row line up.
function perDay(rows, range, value) {
  const first = Math.floor(Date.parse(range.from) / day);
  const days = Math.max(1, Math.ceil(Date.parse(range.to) / day) - first);
  const counts = new Array(days).fill(0);
  for (const row of rows) {
    const index = Math.floor(Date.parse(row.day) / day) - first;
    if (index >= 0 && index < days) counts[index] += value(row);
  }
  return counts;
}

const sum = (rows, value) => rows.reduce((n, r) => n + value(r), 0);

// What mining made of the range's turns, and a download of what an export with the chosen filters holds.
export async function showMining(section, range, filters = {}) {
  const body = section.querySelector(".body");
  loading(body);
  try {
    const m = await get("v1/mining", { ...range, min_confidence: filters.minConfidence, source: filters.source });
    const sources = [...new Set([...m.pairs.map((p) => p.source), ...m.lengths.map((l) => l.source)])].sort();
    if (sources.length === 0 && m.labels.length === 0) {
      message(body, "Nothing mined yet: pairs and labels appear after a mining run over feedback.");
      return;
    }
    const rows = sources.map((source) => {
      const days = m.pairs.filter((p) => p.source === source);
      const bins = new Array(10).fill(0);
      for (const b of m.confidence.filter((c) => c.source === source)) bins[b.bin] += b.pairs;
      const lengths = m.lengths.find((l) => l.source === source);
      return h("tr", { "data-source": source },
        h("td", {}, source), h("td", { class: "number" }, String(sum(days, (d) => d.pairs))),
        h("td", {}, sparkline(perDay(days, range, (d) => d.pairs))), h("td", {}, histogram(bins)),
        h("td", { class: "number" }, lengths && lengths.pairs ? percent(lengths.chosen_longer / lengths.pairs) : "–"));
    });
    const positive = sum(m.labels, (l) => l.positive);
    const negative = sum(m.labels, (l) => l.negative);
    rows.push(h("tr", { "data-labels": "" },
      h("td", {}, "labels (KTO)"), h("td", { class: "number" }, String(positive + negative)),
      h("td", {}, sparkline(perDay(m.labels, range, (l) => l.positive + l.negative))),
      h("td", { class: "note" }, `${positive} positive · ${negative} negative`), h("td", {}, "")));

    const form = h("form", { class: "export-pick" }, "Export everything mined so far with min confidence ",
      h("select", { name: "minConfidence" }, ...["0", "0.5", "0.7", "0.9"].map((v) => h("option", { value: v, selected: v === String(filters.minConfidence ?? 0) }, v))),
      " from ", h("select", { name: "source" }, h("option", { value: "" }, "every source"),
        ...sources.map((s) => h("option", { value: s, selected: s === filters.source }, s))));
    form.addEventListener("change", () => showMining(section, range, { minConfidence: form.minConfidence.value, source: form.source.value }));
    const exportFilters = { min_confidence: filters.minConfidence, source: filters.source };
    const button = (format, text, count) => h("button", {
      type: "button", "data-format": format, disabled: count === 0,
      onclick: () => download("v1/export", { format, ...exportFilters }, `feedback-${format}.jsonl`).catch((e) => message(body, e.message, "error")),
    }, text);
    body.replaceChildren(
      h("table", { class: "list mining" },
        h("thead", {}, h("tr", {}, h("th", {}, "source"), h("th", {}, "in range"), h("th", {}, "per day"),
          h("th", {}, "confidence 0 → 1"), h("th", {}, "chosen longer (all pairs)"))),
        h("tbody", {}, ...rows)),
      form,
      h("p", { class: "export" }, `The export holds ${m.export_pairs} pairs (DPO) and ${m.export_labels} labels (KTO). `,
        button("dpo", "Download pairs", m.export_pairs), " ", button("kto", "Download labels", m.export_labels)));
  } catch (e) {
    message(body, e.message, "error");
  }
}
