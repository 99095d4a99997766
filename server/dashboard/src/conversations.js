import { get } from "./api.js";
import { h, loading, message, percent, time } from "./dom.js";

// The drill-down: the conversations behind a data point or topic (paged), then one conversation's turns.
export async function showConversations(section, query, caption, onOpen) {
  section.hidden = false;
  section.querySelector(".caption").textContent = caption;
  const body = section.querySelector(".body");
  loading(body);
  section.scrollIntoView({ behavior: "smooth", block: "start" });
  try {
    const page = await get("v1/conversations", query);
    if (page.conversations.length === 0) {
      message(body, "No conversations here.");
      return;
    }
    const rows = page.conversations.map((c) => h("tr", { class: "clickable", "data-conversation": c.conversation_id, onclick: () => onOpen(c.conversation_id) },
      h("td", {}, h("a", { href: "#" + encodeURIComponent(c.conversation_id), onclick: (e) => e.preventDefault() }, c.conversation_id)),
      h("td", {}, c.user_id),
      h("td", {}, time(c.started_at)),
      h("td", { class: "number" }, String(c.turns)),
      h("td", {}, c.models.join(", ")),
      h("td", { class: "number positive" }, String(c.positive)),
      h("td", { class: "number negative" }, String(c.negative))));
    const pager = h("p", { class: "pager" },
      page.page > 1 ? h("button", { onclick: () => showConversations(section, { ...query, page: page.page - 1 }, caption, onOpen) }, "← newer") : null,
      ` page ${page.page} `,
      page.has_more ? h("button", { onclick: () => showConversations(section, { ...query, page: page.page + 1 }, caption, onOpen) }, "older →") : null);
    body.replaceChildren(h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ...["conversation", "user", "started", "turns", "models", "positive", "negative"].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows)), pager);
  } catch (e) {
    message(body, e.message, "error");
  }
}

export async function showConversation(section, id) {
  section.hidden = false;
  const body = section.querySelector(".body");
  loading(body);
  try {
    const conversation = await get(`v1/conversations/${encodeURIComponent(id)}`);
    body.replaceChildren(
      h("p", { class: "caption" }, `${conversation.conversation_id} · user ${conversation.user_id} · ${conversation.turns.length} turns`),
      ...conversation.turns.map(turn));
    section.scrollIntoView({ behavior: "smooth", block: "start" });
  } catch (e) {
    message(body, e.message, "error");
  }
}

function turn(t) {
  const s = t.signals;
  const tone = s?.negative ? "negative" : s?.positive ? "positive" : "";
  return h("article", { class: `turn ${tone}`, "data-turn": t.turn_id },
    h("header", {}, h("strong", {}, t.turn_id), ` · ${time(t.timestamp)} · ${t.model} ${t.model_version}`),
    ...t.request.map((m) => h("p", { class: `message ${m.role}` }, h("span", { class: "role" }, m.role), m.content)),
    h("p", { class: "message assistant" }, h("span", { class: "role" }, "response"), t.response),
    s ? h("p", { class: "signals" }, ...chips(s)) : h("p", { class: "signals note" }, "signals not derived yet"),
    t.feedback.length ? h("ul", { class: "feedback" }, ...t.feedback.map((f) => h("li", {}, h("span", { class: "kind" }, f.kind), f.text))) : null);
}

function chips(s) {
  const chip = (text, kind = "") => h("span", { class: `chip ${kind}` }, text);
  return [
    s.reaction_polarity > 0 ? chip("reaction +", "positive") : s.reaction_polarity < 0 ? chip("reaction −", "negative") : null,
    s.rating_normalized !== null ? chip(`rating ${percent(s.rating_normalized)}`) : null,
    s.edited ? chip(`edited ${percent(s.edit_distance_ratio)}`, "negative") : null,
    s.regenerated ? chip("regenerated", "negative") : null,
    s.chosen ? chip("chosen", "positive") : null,
    s.not_chosen ? chip("not chosen") : null,
    s.copied ? chip("copied", "positive") : null,
    s.follow_up_label ? chip(`follow-up: ${s.follow_up_label} (${percent(s.follow_up_confidence)})`,
      s.follow_up_label === "positive" ? "positive" : s.follow_up_label === "none" ? "" : "negative") : null,
  ].filter(Boolean);
}
