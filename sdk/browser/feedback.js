// Feedback browser capture: what users do with an answer in a web chat UI (thumbs, edits, copies, regenerations,
// choices) sent to the capture API with a write key. An ES module with no dependencies and no build step; the server
// serves this very file at /v1/feedback.js and it is the npm package of sdk/browser. Names mirror the .NET SDK's
// FeedbackClient. Docs: docs/browser.md.

const BEACON_BYTES = 60000; // browsers queue at most 64 KiB of beacons and keepalive bodies per page
const MAX_BACKOFF_MS = 30000;

/** Reactions, as the .NET SDK's Reaction: thumbsUp, thumbsDown, withEmoji("🎉"), rated(4, 5). */
export const Reaction = Object.freeze({
  thumbsUp: Object.freeze({ thumb: "up" }),
  thumbsDown: Object.freeze({ thumb: "down" }),
  withEmoji: (emoji) => ({ emoji }),
  rated: (rating, scale) => ({ rating, scale }),
});

/**
 * Records feedback on turns the backend recorded. Every track call only queues and returns; batches go out every
 * flushInterval ms or at maxBatchSize events, and what is left goes out by navigator.sendBeacon when the page is
 * hidden. Nothing here throws into the page: problems go to options.onError, if given.
 *
 * A turn is { turnId, userId, sessionId, conversationId } (the .NET SDK's TurnRef) or just a turn id string; missing
 * ids come from the options (userId, sessionId, conversationId).
 */
export class FeedbackClient {
  #options;
  #url = "";
  #queue = []; // { event, attempts, beaconed }
  #inflight = []; // the batch of the request under way: the page may die before its answer
  #draining = null;
  #timer = 0;
  #backoff = 0;
  #listening = false;
  #closed = false;
  #sent = 0;
  #rejected = 0;
  #dropped = 0;

  /**
   * @param {object} options endpoint (default: the server this file was loaded from), writeKey, userId, sessionId,
   *   conversationId, flushInterval (ms, 3000), maxBatchSize (20), queueCapacity (1000), maxAttempts (5),
   *   onError (called with an Error; error.events holds the events concerned, when there are some).
   */
  constructor(options) {
    try {
      const o = { flushInterval: 3000, maxBatchSize: 20, queueCapacity: 1000, maxAttempts: 5, ...options };
      this.#options = o;
      const endpoint = o.endpoint ?? defaultEndpoint();
      if (!endpoint) throw new Error("no endpoint: give options.endpoint, the capture API's address");
      if (typeof o.writeKey !== "string" || !o.writeKey) throw new Error("no write key: give options.writeKey");
      // The key travels in the query: a beacon cannot carry headers, and the CORS preflight (which has no body and
      // no credentials) must name the key so the server can check this page's origin against it.
      this.#url = new URL("v1/batch?key=" + encodeURIComponent(o.writeKey), String(endpoint).replace(/\/?$/, "/")).href;
      if (typeof document !== "undefined" && typeof addEventListener === "function") {
        document.addEventListener("visibilitychange", this.#onVisibility);
        addEventListener("pagehide", this.#onPageHide);
        this.#listening = true;
      }
    } catch (e) {
      this.#options ??= {};
      this.#closed = true;
      this.#report(e);
    }
  }

  /** Events the server accepted (beacons are not answered to the page, so theirs are not counted). */
  get sent() { return this.#sent; }

  /** Events the server rejected as invalid (reported to onError with the reason). */
  get rejected() { return this.#rejected; }

  /** Events dropped: queue full, ids missing, refused by the server, or still undelivered after maxAttempts. */
  get dropped() { return this.#dropped; }

  /** A thumb, an emoji or a rating on a turn, with an optional comment. reaction: Reaction.thumbsDown, or "up"/"down". */
  trackReaction(turn, reaction, comment, display) {
    this.#track("reaction", turn, display, (e) => {
      const r = typeof reaction === "string" ? { thumb: reaction } : reaction ?? {};
      if (r.thumb != null) e.thumb = r.thumb;
      if (r.emoji != null) e.emoji = r.emoji;
      if (r.rating != null) e.rating = r.rating;
      if (r.scale != null) e.rating_scale = r.scale;
      if (comment != null) e.comment = String(comment);
    });
  }

  /** The user rewrote the answer; editedResponse is the text they kept. */
  trackEdit(turn, editedResponse, display) {
    this.#track("edit", turn, display, (e) => { e.edited_response = String(editedResponse ?? ""); });
  }

  /** The user's next message after the answer. */
  trackFollowUp(turn, message, display) {
    this.#track("follow_up", turn, display, (e) => { e.message = String(message ?? ""); });
  }

  /** The user asked for a new answer: replaced was replaced by replacement. */
  trackRegenerate(replaced, replacement, display) {
    this.#track("regenerate", replaced, display, (e) => { e.new_turn_id = turnIdOf(replacement); });
  }

  /** The user picked chosen among the answers shown (a list of turns, in display order). */
  trackChoice(chosen, shown, display) {
    this.#track("choice", chosen, display, (e) => {
      const ids = Array.from(shown ?? [], turnIdOf);
      e.chosen_turn_id = e.turn_id;
      e.alternative_turn_ids = ids;
      if (!display) { // what was shown is the alternatives, in their order
        e.displayed_turn_ids = ids;
        if (ids.includes(e.turn_id)) e.display_position = ids.indexOf(e.turn_id);
      }
    });
  }

  /** The user copied the answer, or the part given. */
  trackCopy(turn, copiedText, display) {
    this.#track("copy", turn, display, (e) => { if (copiedText != null) e.copied_text = String(copiedText); });
  }

  /** Sends everything queued now. The promise resolves when it was sent or given up on; it never rejects. */
  flush() {
    try {
      if (this.#closed) return Promise.resolve();
      this.#draining ??= this.#drain().catch((e) => this.#report(e)).finally(() => { this.#draining = null; });
      return this.#draining;
    } catch (e) {
      this.#report(e);
      return Promise.resolve();
    }
  }

  /** Sends what is left by beacon and stops (for a chat view that goes away while the page stays). */
  close() {
    try {
      this.#sendBeacons();
      this.#closed = true;
      clearTimeout(this.#timer);
      if (this.#listening) {
        document.removeEventListener("visibilitychange", this.#onVisibility);
        removeEventListener("pagehide", this.#onPageHide);
      }
    } catch (e) {
      this.#report(e);
    }
  }

  #track(kind, turn, display, fill) {
    try {
      if (this.#closed) return;
      const o = this.#options;
      const ref = typeof turn === "object" && turn !== null ? turn : { turnId: turn };
      const e = {
        event_id: uuid7(),
        kind,
        timestamp: new Date().toISOString(),
        user_id: ref.userId ?? o.userId,
        session_id: ref.sessionId ?? o.sessionId,
        conversation_id: ref.conversationId ?? o.conversationId,
        turn_id: ref.turnId,
      };
      for (const id of ["user_id", "session_id", "conversation_id", "turn_id"]) {
        if (typeof e[id] !== "string" || !e[id]) return this.#drop([e], `${kind} not recorded: no ${id} (give it on the turn or in the options)`);
      }
      if (display) {
        if (display.position != null) e.display_position = display.position;
        if (display.shown != null) e.displayed_turn_ids = Array.from(display.shown, turnIdOf);
        if (display.controlVisible != null) e.control_visible = Boolean(display.controlVisible);
        if (display.stage != null) e.stage = String(display.stage);
      }
      fill(e);
      if (this.#queue.length >= o.queueCapacity) return this.#drop([e], "queue full: event dropped");
      this.#queue.push({ event: e, attempts: 0, beaconed: false });
      if (this.#queue.length >= o.maxBatchSize && this.#backoff === 0) this.flush();
      else this.#schedule(this.#backoff || o.flushInterval);
    } catch (err) {
      this.#report(err);
    }
  }

  #schedule(delay) {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => { this.#timer = 0; this.flush(); }, delay);
  }

  async #drain() {
    clearTimeout(this.#timer);
    this.#timer = 0;
    while (this.#queue.length > 0 && !this.#closed) {
      const batch = this.#queue.splice(0, this.#options.maxBatchSize);
      this.#inflight = batch;
      const retry = await this.#post(batch);
      this.#inflight = [];
      if (retry) {
        const again = batch.filter((item) => !item.beaconed && ++item.attempts < this.#options.maxAttempts);
        const lost = batch.filter((item) => !item.beaconed && !again.includes(item));
        if (lost.length) this.#drop(lost.map((i) => i.event), "not delivered after " + this.#options.maxAttempts + " attempts", retry);
        this.#queue.unshift(...again);
        // Exponential backoff with jitter, so many pages do not come back at one instant after an outage.
        this.#backoff = Math.min(MAX_BACKOFF_MS, (this.#backoff || this.#options.flushInterval) * 2);
        if (this.#queue.length) this.#schedule(this.#backoff / 2 + Math.random() * this.#backoff / 2);
        return;
      }
      this.#backoff = 0;
    }
  }

  // Returns the error when the batch should be tried again, else null (settled: stored, rejected or refused).
  async #post(batch) {
    const events = batch.map((i) => i.event);
    let response;
    try {
      response = await fetch(this.#url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ events }),
        credentials: "omit",
      });
    } catch (e) {
      // Offline, or CORS refused (the browser does not say which): both may pass.
      this.#report(withEvents(e, events));
      return e;
    }
    let body = null;
    try { body = await response.json(); } catch { /* no JSON: the status says enough */ }
    if (response.ok || (response.status === 400 && Array.isArray(body?.results))) {
      const results = Array.isArray(body?.results) ? body.results : [];
      for (const r of results) {
        if (r?.status === "accepted") this.#sent++;
        else if (r?.status === "rejected") {
          this.#rejected++;
          this.#report(withEvents(new Error(`event ${r.event_id} rejected: ${r.reason}`), [events[r.index]]));
        }
      }
      return null;
    }
    const error = new Error(`capture API answered ${response.status}: ${body?.detail ?? body?.title ?? response.statusText}`);
    error.status = response.status;
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      this.#report(withEvents(error, events));
      return error;
    }
    this.#drop(events, error); // 401, 403, 413, 415: sending it again will not help
    return null;
  }

  #onVisibility = () => { if (document.visibilityState === "hidden") this.#sendBeacons(); };

  #onPageHide = () => { this.#sendBeacons(); };

  // The page may be going away: the queue, and the batch still waiting for its answer, go by beacon, which the
  // browser delivers after the page is gone. An event sent twice this way is one row (the server keeps one per
  // event_id). text/plain: the only beacon type that needs no CORS preflight, which a closing page cannot wait for.
  #sendBeacons() {
    try {
      if (this.#closed) return;
      const items = [...this.#inflight.filter((i) => !i.beaconed), ...this.#queue];
      this.#queue = [];
      clearTimeout(this.#timer);
      this.#timer = 0;
      let chunk = [];
      let bytes = 0;
      const send = () => {
        if (!chunk.length) return;
        const body = `{"events":[${chunk.map((c) => c.json).join(",")}]}`;
        if (this.#beacon(body)) for (const c of chunk) c.item.beaconed = true;
        else this.#queue.push(...chunk.map((c) => c.item).filter((i) => !this.#inflight.includes(i))); // kept for when the page is back
        chunk = [];
        bytes = 0;
      };
      for (const item of items) {
        const json = JSON.stringify(item.event);
        const size = new Blob([json]).size + 1;
        if (bytes + size > BEACON_BYTES) send();
        chunk.push({ item, json });
        bytes += size;
      }
      send();
    } catch (e) {
      this.#report(e);
    }
  }

  #beacon(body) {
    try {
      if (typeof navigator !== "undefined" && navigator.sendBeacon?.(this.#url, new Blob([body], { type: "text/plain" }))) return true;
    } catch { /* refused: try keepalive */ }
    try {
      fetch(this.#url, { method: "POST", body, keepalive: true, credentials: "omit", headers: { "Content-Type": "text/plain" } }).catch(() => {});
      return true;
    } catch {
      return false;
    }
  }

  #drop(events, reason, cause) {
    this.#dropped += events.length;
    const error = reason instanceof Error ? reason : new Error(reason, cause ? { cause } : undefined);
    this.#report(withEvents(error, events));
  }

  #report(error) {
    try {
      this.#options?.onError?.(error);
    } catch { /* the page's own handler failed: nothing left to tell */ }
  }
}

function turnIdOf(turn) {
  return typeof turn === "object" && turn !== null ? turn.turnId : turn;
}

function withEvents(error, events) {
  try { if (events.length) error.events = events; } catch { /* frozen error */ }
  return error;
}

// Where this file was loaded from, when that is a Feedback server (…/v1/feedback.js); bundled copies have no default.
function defaultEndpoint() {
  try {
    const self = new URL(import.meta.url);
    return self.pathname.endsWith("/v1/feedback.js") ? new URL("..", new URL(".", self)).href : null;
  } catch {
    return null;
  }
}

// A UUIDv7 (time-ordered, as the .NET SDK's) from crypto.getRandomValues, which unlike crypto.randomUUID also
// exists on plain-http pages.
function uuid7() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let ms = Date.now();
  for (let i = 5; i >= 0; i--, ms = Math.floor(ms / 256)) b[i] = ms % 256;
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
