// Opens the dashboard in Debian's Chromium, as a person would: waits for the charts, clicks a point of the
// negative-rate chart, opens the first conversation of the list, and saves a screenshot. Prints what it saw
// as one JSON line; DashboardBrowserTests asserts on it. Usage: node dashboard-check.mjs URL SCREENSHOT.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const [url, screenshot] = process.argv.slice(2);
const executablePath = process.env.FEEDBACK_CHROMIUM ?? "/usr/bin/chromium";
const profile = mkdtempSync(path.join(tmpdir(), "feedback-chromium-"));
const seen = { steps: [], console: [] };
const step = (name) => seen.steps.push(name);

// The machine has no internet: without these Chromium waits on the network (updates, sync, QUIC probes).
const args = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];

// A fresh profile each run, given as launchPersistentContext's user data dir (Playwright passes it as --user-data-dir).
const context = await chromium.launchPersistentContext(profile, {
  executablePath, headless: true, args, viewport: { width: 1280, height: 1000 }, timeout: 120_000, acceptDownloads: true,
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on("console", (m) => seen.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => seen.console.push(`pageerror: ${e.message}`));

  await page.goto(url);
  step("opened");
  seen.keyRemovedFromAddress = !page.url().includes("key=");
  await page.waitForSelector('figure.chart[data-rendered="true"]');
  seen.charts = await page.locator('figure.chart[data-rendered="true"]').count();
  seen.chartPoints = Number(await page.locator('figure.chart[data-rate="negative_rate"]').getAttribute("data-points"));
  // Pixels actually drawn on the negative-rate chart's canvas (not just an empty canvas element).
  seen.paintedPixels = await page.locator('figure.chart[data-rate="negative_rate"] canvas').evaluate((canvas) => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
    return painted;
  });
  step("charts");
  await page.waitForSelector("#compare table, #compare .note, #compare .error");
  seen.compare = (await page.locator("#compare .body").innerText()).trim();
  await page.waitForSelector("#topics table, #topics .note, #topics .error");
  seen.topics = await page.locator("#topics tr[data-topic]").count();
  seen.sparklinePoints = seen.topics === 0 ? 0
    : (await page.locator("#topics svg.sparkline polyline").first().getAttribute("points")).trim().split(/\s+/).length;

  // Mined data: a row per pair source, the labels, what an export holds, and a download of it.
  await page.waitForSelector("#mining table, #mining .note, #mining .error");
  seen.miningSources = await page.locator("#mining tr[data-source]").evaluateAll((rows) => rows.map((r) => r.dataset.source));
  seen.miningEditPairs = seen.miningSources.includes("edit")
    ? (await page.locator('#mining tr[data-source="edit"] td').nth(1).innerText()).trim() : null;
  seen.miningLabels = (await page.locator("#mining tr[data-labels] td").nth(1).innerText()).trim();
  seen.exportText = await page.locator("#mining p.export").innerText();
  await page.locator('#mining select[name="minConfidence"]').selectOption("0.9");
  await page.waitForFunction((before) => (document.querySelector("#mining p.export")?.innerText ?? before) !== before, seen.exportText);
  seen.exportTextAt09 = await page.locator("#mining p.export").innerText();
  const dpo = page.locator('#mining button[data-format="dpo"]');
  let downloaded = [];
  if (await dpo.isEnabled()) { // disabled when the export would be empty
    const [download] = await Promise.all([page.waitForEvent("download"), dpo.click()]);
    downloaded = readFileSync(await download.path(), "utf8").split("\n").filter((l) => l.length > 0);
  }
  seen.downloadedLines = downloaded.length;
  seen.downloadedFirstLine = downloaded[0] ?? "";
  step("mining");

  // Drill down: a click in the middle of the chart picks the nearest bucket and series.
  const over = page.locator('figure.chart[data-rate="negative_rate"] .u-over');
  await over.scrollIntoViewIfNeeded(); // the mining panel's controls may have scrolled the page
  const box = await over.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  // A bucket of a series without negative turns lists none, and says so.
  await page.waitForSelector("#conversations tr[data-conversation], #conversations .note, #conversations .error");
  seen.conversations = await page.locator("#conversations tr[data-conversation]").count();
  seen.caption = await page.locator("#conversations .caption").innerText();
  step("conversations");
  if (seen.conversations > 0) {
    await page.locator("#conversations tr[data-conversation]").first().click();
    await page.waitForSelector("#conversation article.turn");
    seen.turns = await page.locator("#conversation article.turn").count();
    seen.firstTurn = await page.locator("#conversation article.turn").first().innerText();
    seen.signalChips = await page.locator("#conversation .chip").count();
    step("conversation");
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  step("screenshot");
} catch (e) {
  seen.error = String(e?.stack ?? e);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(seen));
