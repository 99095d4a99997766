// Drives the dashboard's Review view in Debian's Chromium for ReviewViewTests, with the keyboard only. First with a
// read key: the queue is shown, labelling is refused on the page and no review is posted. Then with a review key:
// types the reviewer's name, and for each follow-up on screen (its text starts "#NN") presses the keys the plan gives
// for NN, waiting after each key for the progress to move; saves a screenshot half-way; waits until every label is
// stored; skips one more while another tab has swapped the kept key for the read key (a real 403, shown, then Retry);
// then reloads to see the reviewer's name remembered. Prints what it saw as one JSON line.
// Usage: node review-check.mjs READ_URL REVIEW_URL SCREENSHOT PLAN_JSON COUNT REVIEWER
// (PLAN_JSON: {"NN": ["Enter"] | ["3"] | ["s"] | ["1", "Backspace", "4"] ...}; COUNT: how many follow-ups to label.)
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const [readUrl, reviewUrl, screenshot, planJson, countText, reviewer] = process.argv.slice(2);
const plan = JSON.parse(planJson);
const count = Number(countText);
const executablePath = process.env.FEEDBACK_CHROMIUM ?? "/usr/bin/chromium";
const profile = mkdtempSync(path.join(tmpdir(), "feedback-chromium-"));
const seen = { steps: [], console: [], posts: [], labelled: [], hostile: [] };
const step = (name) => seen.steps.push(name);

// As dashboard-check.mjs: the machine has no internet, so Chromium's own background traffic is turned off.
const args = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];

const context = await chromium.launchPersistentContext(profile, {
  executablePath, headless: true, args, viewport: { width: 1280, height: 1000 }, timeout: 120_000,
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on("console", (m) => seen.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => seen.console.push(`pageerror: ${e.message}`));
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes("/v1/reviews")) seen.posts.push(r.postData());
  });
  page.on("response", async (r) => {
    if (r.request().method() === "POST" && r.url().includes("/v1/reviews") && !r.ok()) {
      seen.console.push(`POST /v1/reviews answered ${r.status()}: ${await r.text().catch(() => "")}`);
    }
  });
  const progress = "#review .review-progress";
  const reviewed = async () => Number(await page.locator(progress).getAttribute("data-reviewed"));

  // A read key: the queue, a clear refusal, nothing posted.
  await page.goto(readUrl);
  await page.click('nav#views a[data-view="review"]');
  await page.waitForSelector("#review article.review-item");
  seen.readKeyItems = Number(await page.locator(progress).getAttribute("data-total"));
  seen.readKeyMessage = await page.locator("#review .read-only").innerText();
  seen.readKeyButtonsDisabled = await page.locator("#review ol.legend button").evaluateAll((buttons) => buttons.every((b) => b.disabled));
  const firstShown = await page.locator("#review .message.follow-up .text").innerText();
  await page.keyboard.press("Enter");
  await page.keyboard.press("2");
  await page.waitForSelector("#review .review-notice");
  seen.readKeyNotice = await page.locator("#review .review-notice").innerText();
  seen.readKeyReviewed = await reviewed();
  seen.readKeyStillFirst = (await page.locator("#review .message.follow-up .text").innerText()) === firstShown;
  await page.keyboard.press("ArrowRight");
  seen.readKeyBrowsed = (await page.locator("#review .message.follow-up .text").innerText()) !== firstShown;
  seen.readKeyPosts = seen.posts.length;
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-read-key.png"), fullPage: true });
  step("read key");

  // A review key: label with the keyboard only.
  await page.goto(reviewUrl);
  await page.click('nav#views a[data-view="review"]');
  await page.waitForSelector("#review article.review-item");
  seen.total = Number(await page.locator(progress).getAttribute("data-total"));
  seen.legend = await page.locator("#review ol.legend").innerText();
  await page.fill("#reviewer", reviewer);
  await page.press("#reviewer", "Enter"); // leaves the field: the keys below go to the page
  let done = 0;
  while (done < count) {
    const item = page.locator("#review article.review-item[data-event-id]");
    const text = await item.locator(".message.follow-up .text").innerText();
    const number = text.match(/#(\d\d)/)?.[1];
    if (!number || !plan[number]) throw new Error(`no plan for the follow-up shown: ${text}`);
    if (/<img/i.test(text)) {
      seen.hostile.push({
        text,
        images: await page.locator("#review img").count(),
        bold: await item.locator("b").count(),
        injected: await page.evaluate(() => window.__xss === true),
      });
    }
    if (done === Math.floor(count / 2)) await page.screenshot({ path: screenshot, fullPage: true });
    for (const key of plan[number]) {
      const before = await reviewed();
      await page.keyboard.press(key);
      const expected = key === "Backspace" || key === "u" ? before - 1 : before + 1;
      await page.waitForSelector(`${progress}[data-reviewed="${expected}"]`, { state: "attached" });
    }
    seen.labelled.push(number);
    done++;
  }
  await page.waitForSelector(`${progress}[data-unsent="0"][data-stored="${count}"]`, { state: "attached" });
  seen.progressText = await page.locator(progress).innerText();
  seen.recentAfter = await page.locator("#review table.recent tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.status));
  seen.errors = await page.locator("#review .review-error, #review .review-notice").count();
  seen.injected = await page.evaluate(() => window.__xss === true);
  step("labelled");

  // A refusal from the server, shown and kept: another tab of the page swaps the key kept in the browser for the read
  // key, so this tab's next label meets a real 403; with the review key back, Retry stores it.
  const swapKey = async (url) => {
    const other = await context.newPage();
    await other.goto(url);
    await other.waitForFunction(() => !location.hash.includes("key="));
    await other.close();
  };
  await swapKey(readUrl);
  await page.keyboard.press("s");
  await page.waitForSelector("#review .review-error");
  seen.refusal = await page.locator("#review .review-error").innerText();
  seen.refusalUnsent = Number(await page.locator(progress).getAttribute("data-unsent"));
  await swapKey(reviewUrl);
  await page.click("#review .review-error button");
  await page.waitForSelector(`${progress}[data-unsent="0"][data-stored="${count + 1}"]`, { state: "attached" });
  seen.errorsAfterRetry = await page.locator("#review .review-error").count();
  step("refused and retried");

  await page.reload();
  await page.waitForSelector("#review article.review-item");
  seen.reviewerAfterReload = await page.inputValue("#reviewer");
  seen.totalAfterReload = Number(await page.locator(progress).getAttribute("data-total"));
  step("reloaded");
} catch (e) {
  seen.error = String(e?.stack ?? e);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(seen));
