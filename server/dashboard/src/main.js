import "./style.css";
import { forgetKey, get, saveKey, takeKeyFromLocation } from "./api.js";
import { showConversation, showConversations } from "./conversations.js";
import { h, loading, message, percent } from "./dom.js";
import { sparklineCell } from "./sparkline.js";
import { showMining } from "./mining.js";
import { onKey, reviewerForm, showReview } from "./review.js";
import { renderTrends } from "./trends.js";

// Four requests draw the board (trends, comparison, topics, mined data); the server aggregates, so the page stays fast
// however many turns the project has. Drill-down asks for one page of conversations, then one conversation.
const controls = document.getElementById("controls");
const board = document.getElementById("board");
const keyForm = document.getElementById("key-form");
const views = document.getElementById("views");
const review = document.getElementById("review");
const sections = Object.fromEntries(["trends", "compare", "topics", "mining", "conversations", "conversation"].map((id) => [id, document.getElementById(id)]));

function range() {
  const days = Number(controls.range.value);
  const to = new Date();
  return { from: new Date(to - days * 86400000).toISOString(), to: to.toISOString() };
}

function openConversation(id) {
  showConversation(sections.conversation, id);
}

function drill(query, caption) {
  sections.conversation.hidden = true;
  showConversations(sections.conversations, query, caption, openConversation);
}

async function loadTrends() {
  const charts = sections.trends.querySelector(".charts");
  loading(charts);
  const by = controls.by.value;
  try {
    const trends = await get("v1/trends", { ...range(), interval: controls.interval.value, by });
    renderTrends(charts, trends, (point) => drill(
      { from: point.from.toISOString(), to: point.to.toISOString(), by: by || undefined, key: by ? point.series : undefined, signal: point.signal },
      `${point.rate} ${percent(point.value)} · ${by ? `${by} ${point.series}` : "all turns"} · ${point.from.toISOString().slice(0, 16).replace("T", " ")}`));
    loadCompare(by, trends.series);
  } catch (e) {
    message(charts, e.message, "error");
    message(sections.compare.querySelector(".body"), "—");
  }
}

async function loadCompare(field, series) {
  const body = sections.compare.querySelector(".body");
  if (!field || series.length < 2) {
    message(body, field ? `Only one ${field} in this range: nothing to compare.` : "Choose a series breakdown to compare two of its values.");
    return;
  }
  // The two values with most turns, older first by their first bucket.
  const turns = (s) => s.points.reduce((n, p) => n + p.turns, 0);
  const [a, b] = [...series].sort((x, y) => turns(y) - turns(x)).slice(0, 2)
    .sort((x, y) => Date.parse(x.points[0].time) - Date.parse(y.points[0].time)).map((s) => s.key);
  const pick = (name, selected) => h("select", { name }, ...series.map((s) => h("option", { value: s.key, selected: s.key === selected }, s.key)));
  const form = h("form", { class: "compare-pick" }, `${field}: `, pick("a", a), " vs ", pick("b", b));
  const result = h("div", {});
  body.replaceChildren(form, result);
  const run = async () => {
    loading(result);
    try {
      const c = await get("v1/compare", { ...range(), field, a: form.a.value, b: form.b.value });
      const difference = (d) => h("td", { class: d.significant ? "significant" : "" },
        `${d.estimate >= 0 ? "+" : ""}${(d.estimate * 100).toFixed(1)} pts `,
        h("span", { class: "interval" }, `[${(d.low * 100).toFixed(1)}, ${(d.high * 100).toFixed(1)}]`),
        d.significant ? " significant" : " not significant");
      result.replaceChildren(h("table", { class: "list compare" },
        h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", {}, `a: ${c.a.value}`), h("th", {}, `b: ${c.b.value}`), h("th", {}, `b − a (${Math.round(c.confidence * 100)}% interval)`))),
        h("tbody", {},
          h("tr", {}, h("th", {}, "turns"), h("td", {}, String(c.a.turns)), h("td", {}, String(c.b.turns)), h("td", {}, "")),
          h("tr", {}, h("th", {}, "positive rate"), h("td", {}, percent(c.a.positive_rate)), h("td", {}, percent(c.b.positive_rate)), difference(c.positive_rate_difference)),
          h("tr", {}, h("th", {}, "negative rate"), h("td", {}, percent(c.a.negative_rate)), h("td", {}, percent(c.b.negative_rate)), difference(c.negative_rate_difference)))));
    } catch (e) {
      message(result, e.message, "error");
    }
  };
  form.addEventListener("change", run);
  await run();
}

async function loadTopics() {
  const body = sections.topics.querySelector(".body");
  loading(body);
  try {
    const { topics } = await get("v1/topics", { ...range(), interval: controls.interval.value });
    if (topics.length === 0) {
      message(body, "No topics yet: they appear once the topic job has grouped negative feedback.");
      return;
    }
    body.replaceChildren(h("table", { class: "list" },
      h("thead", {}, h("tr", {}, h("th", {}, "topic"), h("th", {}, "size"), h("th", {}, "trend"), h("th", {}, "example"))),
      h("tbody", {}, ...topics.map((t) => h("tr", {
        class: "clickable", "data-topic": t.id,
        onclick: () => drill({ ...range(), topic: t.id }, `Topic ${t.label}`),
      }, h("td", {}, t.label), h("td", { class: "number" }, String(t.size)), sparklineCell(t),
      h("td", { class: "example" }, t.examples[0]?.feedback ?? ""))))));
  } catch (e) {
    message(body, e.message, "error");
  }
}

function load() {
  sections.conversations.hidden = true;
  sections.conversation.hidden = true;
  loadTrends();
  loadTopics();
  showMining(sections.mining, range());
}

// Two views, chosen by the address's fragment (#review, or the board otherwise), so a reload stays where it was.
const currentView = () => (location.hash === "#review" ? "review" : "board");
let shown = null;

function show() {
  const view = currentView();
  if (view === shown) return;
  shown = view;
  document.body.dataset.view = view;
  for (const link of views.querySelectorAll("a")) link.classList.toggle("active", link.dataset.view === view);
  board.hidden = view !== "board";
  review.hidden = view !== "review";
  if (view === "review") showReview(review);
  else load();
}

function start(key) {
  if (key) saveKey(key);
  keyForm.hidden = true;
  views.hidden = false;
  shown = null;
  show();
}

function askForKey() {
  board.hidden = true;
  review.hidden = true;
  views.hidden = true;
  keyForm.hidden = false;
}

controls.addEventListener("change", (e) => {
  if (e.target.closest(".board-only")) load();
});
window.addEventListener("hashchange", () => {
  // A #key= link opened in this tab brings another key (a review key after a read key, say): the page starts over with it.
  if (/(?:^#|&)key=/.test(location.hash)) start(takeKeyFromLocation());
  else if (keyForm.hidden) show();
});
document.addEventListener("keydown", onKey);
reviewerForm(document.getElementById("reviewer-form"));
document.getElementById("forget-key").addEventListener("click", () => {
  forgetKey();
  askForKey();
});
document.getElementById("key-entry").addEventListener("submit", (e) => {
  e.preventDefault();
  const key = e.target.key.value.trim();
  if (key) start(key);
});

if (takeKeyFromLocation()) start();
else askForKey();
