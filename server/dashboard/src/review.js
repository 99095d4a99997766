import { get, keyIsReadOnly, post } from "./api.js";
import { h, loading, message, percent, time } from "./dom.js";

// The review queue (docs/reviews.md#in-the-dashboard): one follow-up at a time, labelled by a key press, each label
// sent to POST /v1/reviews as it is made (what piles up while a request is under way goes in the next one), so
// closing the page loses at most the labels still on their way. Every text shown comes from users and is set as
// text (h() appends strings as text nodes), never as HTML.
const reviewerStorage = "feedback.reviewer";
const pageSize = 100;
const maxBatch = 50;

let section;
let body;
let state;

export function showReview(target) {
  section = target;
  body = section.querySelector(".body");
  const reviewer = section.querySelector("#reviewer");
  reviewer.value = localStorage.getItem(reviewerStorage) ?? "";
  loadQueue();
}

// The reviewer input: remembered in this browser; Enter leaves the field so the shortcuts work at once.
export function reviewerForm(form) {
  const input = form.querySelector("#reviewer");
  input.addEventListener("input", () => localStorage.setItem(reviewerStorage, input.value.trim()));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    input.blur();
    if (state?.notice) {
      state.notice = null;
      render();
    }
  });
}

async function loadQueue() {
  loading(body);
  try {
    const page = await get("v1/reviews/queue", { limit: pageSize });
    state = {
      items: page.items, labels: page.labels, pending: page.pending, readOnly: keyIsReadOnly(),
      index: 0, // the item on screen
      decisions: page.items.map(() => null), // per item: { label, status: queued | sending | stored | rejected, reason }
      history: [], // item indexes in the order they were labelled, for undo
      outbox: [], // { index, label, reviewer } not sent yet
      sending: false,
      error: null, // the last failed request: sending stops until Retry
      notice: null,
    };
    render();
  } catch (e) {
    message(body, `The review queue could not be read: ${e.message}`, "error");
  }
}

export function onKey(e) {
  if (!section || section.hidden || !state || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target.closest?.("input, select, textarea")) return; // typing the reviewer's name
  const key = e.key;
  let action = null;
  if (key === "Enter") action = () => label(state.items[state.index]?.proposed_label);
  else if (/^[1-9]$/.test(key) && Number(key) <= state.labels.length) action = () => label(state.labels[Number(key) - 1]);
  else if (key === "s") action = () => label("skip");
  else if (key === "Backspace" || key === "u") action = undo;
  else if (state.readOnly && key === "ArrowRight") action = () => browse(1);
  else if (state.readOnly && key === "ArrowLeft") action = () => browse(-1);
  if (!action) return;
  e.preventDefault(); // also keeps Enter from pressing a focused button
  action();
}

function label(value) {
  if (state.index >= state.items.length || !value) return;
  if (state.readOnly) {
    state.notice = "Not stored: labelling needs a review key (see above).";
    render();
    return;
  }
  const reviewer = section.querySelector("#reviewer").value.trim();
  if (!reviewer) {
    state.notice = "Type your name in Reviewer first: each label is stored with who gave it.";
    render();
    section.querySelector("#reviewer").focus();
    return;
  }
  const index = state.index;
  state.decisions[index] = { label: value, status: "queued", previous: state.decisions[index] };
  state.outbox.push({ index, label: value, reviewer });
  state.history.push(index);
  state.index = index + 1;
  state.notice = null;
  render();
  send();
}

// Back to the last labelled item. A label not sent yet is withdrawn; one already stored stays until the next label
// of that item replaces it (the last review of a follow-up counts).
function undo() {
  if (state.readOnly || state.history.length === 0) return;
  const index = state.history.pop();
  const queued = state.outbox.findIndex((o) => o.index === index);
  if (queued >= 0) {
    state.outbox.splice(queued, 1);
    state.decisions[index] = state.decisions[index].previous ?? null;
  }
  state.index = index;
  state.notice = null;
  render();
}

function browse(step) {
  state.index = Math.min(Math.max(state.index + step, 0), state.items.length - 1);
  render();
}

async function send() {
  if (state.sending || state.error || state.outbox.length === 0) return;
  const current = state;
  const reviewer = current.outbox[0].reviewer;
  let count = 0;
  while (count < current.outbox.length && count < maxBatch && current.outbox[count].reviewer === reviewer) count++;
  const batch = current.outbox.splice(0, count);
  for (const b of batch) current.decisions[b.index].status = "sending";
  current.sending = true;
  render();
  const byId = new Map(batch.map((b) => [current.items[b.index].event_id, b]));
  let rejected = [];
  try {
    const outcome = await post("v1/reviews", { reviewer, reviews: batch.map((b) => ({ event_id: current.items[b.index].event_id, label: b.label })) });
    rejected = outcome.rejected;
  } catch (e) {
    if (Array.isArray(e.problem?.rejected)) {
      rejected = e.problem.rejected; // 400: every review of the batch was refused, each with its reason
    } else {
      current.outbox.unshift(...batch); // kept, to be sent again by Retry
      for (const b of batch) current.decisions[b.index].status = "queued";
      current.error = e.status ? `The server refused the reviews (${e.status}): ${e.message}` : `The reviews could not be sent: ${e.message}`;
    }
  }
  for (const b of batch) {
    const decision = current.decisions[b.index];
    if (decision?.status === "sending") decision.status = "stored";
  }
  for (const r of rejected) {
    const b = byId.get(r.event_id);
    if (b) Object.assign(current.decisions[b.index], { status: "rejected", reason: r.reason });
  }
  current.sending = false;
  if (state !== current) return; // the queue was reloaded meanwhile
  render();
  send();
}

function retry() {
  state.error = null;
  render();
  send();
}

const kbd = (text) => h("kbd", {}, text);

function render() {
  const { items, decisions } = state;
  if (items.length === 0) {
    message(body, "Nothing to review: every follow-up of this project has been reviewed, or none has been mined yet.");
    return;
  }
  const settled = decisions.filter((d) => d?.status === "stored").length;
  const rejected = decisions.filter((d) => d?.status === "rejected").length;
  const unsent = state.outbox.length + decisions.filter((d) => d?.status === "sending").length;
  const parts = [
    h("p", { class: "review-progress", "data-reviewed": state.history.length, "data-total": items.length, "data-stored": settled, "data-unsent": unsent },
      h("strong", {}, `${state.history.length} of ${items.length} reviewed`),
      ` · ${settled} stored`, unsent ? ` · ${unsent} sending…` : "", rejected ? ` · ${rejected} refused` : "",
      ` · ${state.pending} waiting in the project's queue when loaded`),
  ];
  if (state.readOnly) {
    parts.push(h("p", { class: "read-only error" },
      "This is a read key: it shows the queue, but labelling needs a review key (fbv_…, made with ",
      h("code", {}, "feedback project key create PROJECT --review"), "). Use \"Change key\" to open the page with one. ",
      "← and → browse the queue."));
  }
  if (state.error) {
    parts.push(h("div", { class: "review-error error" }, h("p", {}, state.error),
      h("p", {}, `${state.outbox.length} ${state.outbox.length === 1 ? "label is" : "labels are"} kept on this page and not stored yet. `, h("button", { type: "button", onclick: retry }, "Retry"))));
  }
  if (state.notice) parts.push(h("p", { class: "review-notice error" }, state.notice));
  parts.push(state.index < items.length ? itemCard(items[state.index], state.index) : done());
  parts.push(legend(items[state.index]));
  parts.push(recent());
  body.replaceChildren(...parts);
}

function itemCard(item, index) {
  const before = state.decisions[index];
  return h("article", { class: "review-item", "data-event-id": item.event_id, "data-index": index },
    h("header", {}, h("strong", {}, `${index + 1} of ${state.items.length}`),
      ` · conversation ${item.conversation_id} · turn ${item.turn_id} · ${time(item.follow_up_at)}`),
    h("p", { class: "message user" }, h("span", { class: "role" }, "request"), h("span", { class: "text" }, item.request)),
    h("p", { class: "message assistant" }, h("span", { class: "role" }, "answer"), h("span", { class: "text" }, item.response)),
    h("p", { class: "message follow-up" }, h("span", { class: "role" }, "follow-up"), h("span", { class: "text" }, item.follow_up)),
    h("p", { class: "proposal" }, "Proposed ", h("span", { class: `chip ${tone(item.proposed_label)}`, "data-proposed": item.proposed_label }, item.proposed_label),
      ` ${percent(item.confidence)} confident · by ${item.proposed_by}`),
    item.disagreement ? h("p", { class: "disagreement" }, `Disagrees with the turn: ${item.disagreement}`) : null,
    before ? h("p", { class: "note" }, `Labelled ${before.label} before (${before.status}): the next label replaces it.`) : null);
}

function done() {
  const more = state.pending > state.items.length;
  return h("article", { class: "review-item done" },
    h("p", {}, h("strong", {}, `All ${state.items.length} reviewed.`),
      more ? ` More follow-ups were waiting when the queue was loaded.` : " That was the whole queue."),
    h("p", {}, h("button", { type: "button", disabled: state.outbox.length > 0 || state.sending, onclick: loadQueue }, "Load the queue again")));
}

function legend(item) {
  const disabled = state.readOnly || !item;
  const key = (keys, text, act) => h("li", {}, h("button", { type: "button", disabled, onclick: act }, ...keys.flatMap((k, i) => (i ? [" / ", kbd(k)] : [kbd(k)])), " ", text));
  return h("ol", { class: "legend" },
    key(["Enter"], `confirm ${item?.proposed_label ?? "the proposed label"}`, () => label(item?.proposed_label)),
    ...state.labels.map((l, i) => key([String(i + 1)], l, () => label(l))),
    key(["s"], "skip (keep the model's label)", () => label("skip")),
    h("li", {}, h("button", { type: "button", disabled: state.readOnly || state.history.length === 0, onclick: undo }, kbd("Backspace"), " / ", kbd("u"), " undo last")));
}

function recent() {
  const last = state.history.slice(-8).reverse();
  if (last.length === 0) return h("p", { class: "hint" }, "Labels you give appear here, newest first, with what the server made of them.");
  return h("table", { class: "list recent" },
    h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "follow-up"), h("th", {}, "label"), h("th", {}, "stored?"))),
    h("tbody", {}, ...last.map((i) => {
      const d = state.decisions[i];
      return h("tr", { "data-status": d.status },
        h("td", { class: "number" }, String(i + 1)), h("td", { class: "example" }, state.items[i].follow_up),
        h("td", {}, d.label), h("td", { class: d.status === "rejected" ? "error" : "" }, d.reason ? `refused: ${d.reason}` : d.status));
    })));
}

const tone = (l) => (l === "positive" ? "positive" : ["complaint", "correction", "rephrase"].includes(l) ? "negative" : "");
