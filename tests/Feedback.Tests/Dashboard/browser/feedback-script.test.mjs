// The browser capture script's own logic (sdk/browser/feedback.js) under Node's test runner, with fakes for what a
// browser gives it (fetch, navigator.sendBeacon, document visibility, pagehide): batching, retries, refusals, the
// page-hide beacon and that nothing throws into the page. BrowserScriptLogicTests runs it; the real browser and server
// are BrowserCaptureTests'. No assertion on timing: waits are for outcomes, with a generous bound.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";

const calls = { fetches: [], beacons: [] };
const clients = []; // closed after each test, so no flush timer outlives it
let answer; // (request) => Promise<Response>, per test
const page = new EventTarget();
globalThis.document = Object.assign(new EventTarget(), { visibilityState: "visible" });
globalThis.addEventListener = page.addEventListener.bind(page);
globalThis.removeEventListener = page.removeEventListener.bind(page);
Object.defineProperty(globalThis, "navigator", {
  configurable: true,
  value: { sendBeacon: (url, blob) => { calls.beacons.push({ url, blob }); return true; } },
});
globalThis.fetch = (url, init) => {
  const request = { url, init, events: JSON.parse(init.body).events };
  calls.fetches.push(request);
  return answer(request);
};

const { FeedbackClient, Reaction } = await import("../../../../sdk/browser/feedback.js");

const stored = (request) => json(200, {
  accepted: request.events.length, rejected: 0,
  results: request.events.map((e, index) => ({ index, event_id: e.event_id, status: "accepted" })),
});
const json = (status, body) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }));
const client = (options = {}) => {
  const errors = [];
  const feedback = new FeedbackClient({
    endpoint: "http://feedback.test:8400/", writeKey: "fbw_k+y", userId: "u1", sessionId: "s1", conversationId: "c1",
    flushInterval: 60_000, onError: (e) => errors.push(e), ...options,
  });
  clients.push(feedback);
  return { feedback, errors };
};
const until = async (condition, what) => {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail("timed out waiting until " + what);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const hide = () => {
  document.visibilityState = "hidden";
  document.dispatchEvent(new Event("visibilitychange"));
  page.dispatchEvent(new Event("pagehide"));
  document.visibilityState = "visible";
};

afterEach(() => {
  for (const feedback of clients.splice(0)) feedback.close();
});

beforeEach(() => {
  calls.fetches.length = 0;
  calls.beacons.length = 0;
  answer = stored;
});

test("events have the SDK's fields and go in one batch once maxBatchSize are queued", async () => {
  const { feedback, errors } = client({ maxBatchSize: 6 });
  feedback.trackReaction("t1", Reaction.thumbsDown, "wrong city");
  feedback.trackReaction({ turnId: "t1", userId: "u2", sessionId: "s2", conversationId: "c2" }, Reaction.rated(4, 5));
  feedback.trackEdit("t1", "Canberra.");
  feedback.trackRegenerate("t1", { turnId: "t2" });
  feedback.trackCopy("t2", "Canberra", { controlVisible: true, stage: "generation" });
  assert.equal(calls.fetches.length, 0); // five of six: still waiting
  feedback.trackChoice("t4", ["t3", "t4"]);
  await until(() => feedback.sent === 6, "the batch is sent");

  assert.equal(calls.fetches.length, 1);
  const [request] = calls.fetches;
  assert.equal(request.url, "http://feedback.test:8400/v1/batch?key=fbw_k%2By");
  assert.equal(request.init.method, "POST");
  assert.equal(request.init.headers["Content-Type"], "application/json");
  assert.equal(request.init.credentials, "omit");
  const [thumb, rating, edit, regenerate, copy, choice] = request.events;
  for (const e of request.events) {
    assert.match(e.event_id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(!Number.isNaN(Date.parse(e.timestamp)));
  }
  assert.equal(new Set(request.events.map((e) => e.event_id)).size, 6);
  assert.deepEqual(
    { kind: thumb.kind, turn_id: thumb.turn_id, user_id: thumb.user_id, session_id: thumb.session_id, conversation_id: thumb.conversation_id, thumb: thumb.thumb, comment: thumb.comment },
    { kind: "reaction", turn_id: "t1", user_id: "u1", session_id: "s1", conversation_id: "c1", thumb: "down", comment: "wrong city" });
  assert.deepEqual([rating.user_id, rating.session_id, rating.conversation_id, rating.rating, rating.rating_scale], ["u2", "s2", "c2", 4, 5]);
  assert.deepEqual([edit.kind, edit.edited_response], ["edit", "Canberra."]);
  assert.deepEqual([regenerate.kind, regenerate.turn_id, regenerate.new_turn_id], ["regenerate", "t1", "t2"]);
  assert.deepEqual([copy.kind, copy.copied_text, copy.control_visible, copy.stage], ["copy", "Canberra", true, "generation"]);
  assert.deepEqual([choice.kind, choice.turn_id, choice.chosen_turn_id, choice.alternative_turn_ids, choice.displayed_turn_ids, choice.display_position],
    ["choice", "t4", "t4", ["t3", "t4"], ["t3", "t4"], 1]);
  assert.deepEqual(errors, []);
});

test("a batch that meets a 503 or a network error is sent again with the same event ids", async () => {
  const { feedback, errors } = client({ flushInterval: 5 });
  const failures = [() => json(503, { title: "Not stored" }), () => Promise.reject(new TypeError("Failed to fetch"))];
  answer = (request) => (failures.shift() ?? (() => stored(request)))();
  feedback.trackEdit("t1", "Canberra.");
  feedback.trackCopy("t1");
  await until(() => feedback.sent === 2, "the batch is stored at the third try");

  assert.equal(calls.fetches.length, 3);
  const ids = calls.fetches.map((f) => f.events.map((e) => e.event_id).join());
  assert.equal(new Set(ids).size, 1);
  assert.deepEqual(errors.map((e) => e.status ?? e.message), [503, "Failed to fetch"]);
  assert.equal(feedback.dropped, 0);
});

test("a batch still failing after maxAttempts is dropped and reported", async () => {
  const { feedback, errors } = client({ flushInterval: 2, maxAttempts: 3 });
  answer = () => json(500, { title: "boom" });
  feedback.trackCopy("t1");
  await until(() => feedback.dropped === 1, "the event is given up on");

  assert.equal(calls.fetches.length, 3);
  assert.match(errors.at(-1).message, /not delivered after 3 attempts/);
  assert.equal(errors.at(-1).events[0].kind, "copy");
});

test("a refusal (403) is not retried and rejected events are reported with the server's reason", async () => {
  const { feedback, errors } = client();
  answer = () => json(403, { title: "Forbidden", detail: "Origin 'https://elsewhere' may not send with this key" });
  feedback.trackCopy("t1");
  await feedback.flush();
  answer = (request) => json(200, { accepted: 0, rejected: 1, results: [{ index: 0, event_id: request.events[0].event_id, status: "rejected", reason: "turn_id is too long" }] });
  feedback.trackEdit("t1", "x");
  await feedback.flush();
  await feedback.flush(); // nothing left to send

  assert.equal(calls.fetches.length, 2);
  assert.equal(feedback.dropped, 1);
  assert.equal(feedback.rejected, 1);
  assert.equal(errors[0].status, 403);
  assert.match(errors[0].message, /may not send with this key/);
  assert.match(errors[1].message, /rejected: turn_id is too long/);
  assert.equal(errors[1].events[0].kind, "edit");
});

test("hiding the page sends the queue and the batch awaiting its answer by beacon, as text/plain, once", async () => {
  const { feedback } = client({ maxBatchSize: 2 });
  let release;
  answer = (request) => new Promise((resolve) => { release = () => resolve(stored(request)); });
  feedback.trackReaction("t1", "down");
  feedback.trackEdit("t1", "Canberra."); // a batch of two: sent, no answer yet
  feedback.trackCopy("t1"); // queued behind it
  await until(() => calls.fetches.length === 1, "the first batch is under way");

  hide();

  assert.equal(calls.beacons.length, 1); // visibilitychange sent it; pagehide found nothing new
  const [beacon] = calls.beacons;
  assert.equal(beacon.url, "http://feedback.test:8400/v1/batch?key=fbw_k%2By");
  assert.equal(beacon.blob.type, "text/plain");
  const sent = JSON.parse(await beacon.blob.text()).events;
  assert.deepEqual(sent.map((e) => e.kind), ["reaction", "edit", "copy"]);
  assert.deepEqual(sent.slice(0, 2).map((e) => e.event_id), calls.fetches[0].events.map((e) => e.event_id));
  release();
  await until(() => feedback.sent === 2, "the fetch is answered");
  await feedback.flush();
  assert.equal(calls.fetches.length, 1); // the copy went by beacon only
});

test("beacons are cut at 60 KB, and a page without sendBeacon uses fetch with keepalive", async () => {
  const { feedback } = client();
  for (let i = 0; i < 3; i++) feedback.trackCopy("t1", "x".repeat(25_000));
  hide();
  assert.deepEqual(calls.beacons.map((b) => b.blob.size < 60_000), [true, true]);
  assert.deepEqual(await Promise.all(calls.beacons.map(async (b) => JSON.parse(await b.blob.text()).events.length)), [2, 1]);

  const sendBeacon = navigator.sendBeacon;
  navigator.sendBeacon = undefined;
  try {
    feedback.trackCopy("t2");
    hide();
    assert.equal(calls.fetches.length, 1);
    assert.equal(calls.fetches[0].init.keepalive, true);
    assert.equal(calls.fetches[0].init.headers["Content-Type"], "text/plain");
  } finally {
    navigator.sendBeacon = sendBeacon;
  }
});

test("nothing throws into the page: bad options, bad arguments, a failing fetch or handler", async () => {
  assert.doesNotThrow(() => new FeedbackClient());
  const noEndpoint = [];
  new FeedbackClient({ writeKey: "k", onError: (e) => noEndpoint.push(e.message) }).trackCopy("t1"); // no endpoint: not loaded from a server
  assert.match(noEndpoint[0], /no endpoint/);

  const { feedback, errors } = client({ userId: undefined, queueCapacity: 1 });
  assert.doesNotThrow(() => {
    feedback.trackReaction(null, null);
    feedback.trackEdit(undefined);
    feedback.trackChoice({}, 5);
    feedback.trackCopy("t1"); // no user id
    feedback.trackCopy({ turnId: "t1", userId: "u1" });
    feedback.trackCopy({ turnId: "t1", userId: "u1" }); // over queueCapacity
  });
  assert.equal(feedback.dropped, 5);
  assert.ok(errors.some((e) => /no user_id/.test(e.message)));
  assert.ok(errors.some((e) => /queue full/.test(e.message)));

  const { feedback: withBadHandler } = client({ onError: () => { throw new Error("the page's own bug"); } });
  answer = () => { throw new TypeError("fetch exploded"); };
  withBadHandler.trackCopy("t1");
  await assert.doesNotReject(withBadHandler.flush());
  assert.doesNotThrow(() => withBadHandler.close());
});
