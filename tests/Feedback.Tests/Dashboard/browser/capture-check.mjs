// Drives capture-page.html in Debian's Chromium for BrowserCaptureTests, as a user would. On a page of an origin the
// key does not allow: a thumb down, "Send now", then the page is left. On a page of the allowed origin: a thumb down
// with a comment and an edit, "Send now" (fetch, after a real CORS preflight), then a regenerate, a copy and a choice
// left queued and the page left, so they go by sendBeacon. Prints what it saw as one JSON line, with every request
// to /v1/batch as Chromium's own network log recorded it (Playwright does not report a beacon sent by a page that is
// going away; the NetLog does, with the server's answer).
// Usage: node capture-check.mjs OTHER_PAGE_URL ALLOWED_PAGE_URL (each page's origin serves /bye.html too).
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const [otherUrl, allowedUrl] = process.argv.slice(2);
const executablePath = process.env.FEEDBACK_CHROMIUM ?? "/usr/bin/chromium";
const profile = mkdtempSync(path.join(tmpdir(), "feedback-chromium-"));
const netlog = path.join(profile, "netlog.json");
const seen = { steps: [], console: [] };
const step = (name) => seen.steps.push(name);

// As dashboard-check.mjs: the machine has no internet, so Chromium's own background traffic is turned off.
const args = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage", `--log-net-log=${netlog}`,
];

const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args, timeout: 120_000 });
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on("console", (m) => seen.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => seen.console.push(`pageerror: ${e.message}`));
  seen.other = await visit(page, otherUrl, async () => {
    await page.fill("#comment", "sent from a site the key does not allow");
    await page.click("#thumb-down");
  });
  step("other origin");
  seen.allowed = await visit(page, allowedUrl, async () => {
    await page.click("#thumb-down");
    await page.click("#save-edit");
  }, async () => {
    await page.click("#regenerate");
    await page.click("#copy");
    await page.click("#pick-t4");
  });
  step("allowed origin");
} catch (e) {
  seen.error = String(e?.stack ?? e);
} finally {
  await context.close();
  try {
    seen.batchRequests = batchRequests();
  } catch (e) {
    seen.error ??= "reading the NetLog: " + String(e?.stack ?? e);
  }
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(seen));

// Opens the page, does `now` and presses "Send now" (waiting for the flush to settle), does `later`, then leaves the
// page for /bye.html of the same origin (pagehide) and waits until the NetLog shows the beacon answered.
async function visit(page, url, now, later = async () => {}) {
  const origin = new URL(url).origin;
  const fetches = [];
  const record = (request) => {
    if (request.url().includes("/v1/batch") && request.resourceType() === "fetch") fetches.push(request.postData());
  };
  page.on("request", record);
  try {
    await page.goto(url);
    await page.waitForSelector('#status[data-ready="true"]', { state: "attached" });
    await now();
    await page.click("#send-now");
    await page.waitForSelector('#status[data-flushed="1"]', { state: "attached" });
    const afterFlush = await page.evaluate(() => ({ sent: feedback.sent, rejected: feedback.rejected, dropped: feedback.dropped, errors: [...captureErrors] }));
    await later();
    await page.goto(new URL("/bye.html", url).href);
    const beaconAnswered = () => batchRequests().some((r) => r.origin === origin && r.contentType.startsWith("text/plain") && r.status);
    await waitFor(beaconAnswered, `the beacon from ${origin} to be answered`);
    return { afterFlush, fetchBodies: fetches };
  } finally {
    page.off("request", record);
  }
}

// Every request to /v1/batch in Chromium's NetLog: method, Origin, Content-Type and the answer's status. The log is
// written as the browser runs, one event a line, and closed at exit, so an unfinished last line is skipped.
function batchRequests() {
  const lines = readFileSync(netlog, "utf8").split("\n");
  const constants = JSON.parse(lines[0].replace(/,$/, "") + "}").constants;
  const typeNames = Object.fromEntries(Object.entries(constants.logEventTypes).map(([name, id]) => [id, name]));
  const bySource = new Map();
  for (const line of lines.slice(2)) {
    let event;
    try { event = JSON.parse(line.replace(/,$/, "")); } catch { continue; }
    const type = typeNames[event.type];
    const params = event.params ?? {};
    const request = bySource.get(event.source.id) ?? {};
    if (type === "URL_REQUEST_START_JOB" && params.url?.includes("/v1/batch")) {
      Object.assign(request, { method: params.method, url: params.url.replace(/key=[^&]*/, "key=…"), origin: "", contentType: "", status: 0 });
    } else if (type === "HTTP_TRANSACTION_SEND_REQUEST_HEADERS" && request.method) {
      request.origin = header(params.headers, "origin");
      request.contentType = header(params.headers, "content-type");
    } else if (type === "HTTP_TRANSACTION_READ_RESPONSE_HEADERS" && request.method) {
      request.status = Number(params.headers?.[0]?.split(" ")[1] ?? 0);
    }
    bySource.set(event.source.id, request);
  }
  return [...bySource.values()].filter((r) => r.method);
}

function header(lines, name) {
  const line = (lines ?? []).find((l) => l.toLowerCase().startsWith(name + ":"));
  return line ? line.slice(name.length + 1).trim() : "";
}

async function waitFor(condition, what) {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}
