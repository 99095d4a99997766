import { h } from "./dom.js";

const svgNs = "http://www.w3.org/2000/svg";

// A topic's trend as a small inline SVG line: no chart library needed for 20 of them.
export function sparkline(counts, width = 120, height = 28) {
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("class", "sparkline");
  if (counts.length === 0) return svg;
  const max = Math.max(1, ...counts);
  const step = counts.length > 1 ? (width - 2) / (counts.length - 1) : 0;
  const points = counts.map((c, i) => `${(1 + i * step).toFixed(1)},${(height - 2 - (c / max) * (height - 4)).toFixed(1)}`);
  const line = document.createElementNS(svgNs, "polyline");
  line.setAttribute("points", points.join(" "));
  svg.append(line);
  return svg;
}

export const sparklineCell = (topic) => h("td", {}, sparkline(topic.trend.map((p) => p.count)));
