// Opens the query page of a running `awesome-kg serve`, runs an example query, and checks the
// result table; saves a screenshot. Prints a JSON report on stdout for tests/browser.rs.
//
//   node tests/browser/page.mjs http://127.0.0.1:PORT/ SCREENSHOT.png
import { chromium } from "playwright-core";

const [base, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const report = { consoleErrors: [], failedRequests: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.on("console", (m) => { if (m.type() === "error") report.consoleErrors.push(m.text()); });
  page.on("requestfailed", (r) => report.failedRequests.push(r.url()));
  page.on("response", (r) => { if (r.status() >= 400) report.failedRequests.push(r.status() + " " + r.url()); });
  await page.goto(base, { waitUntil: "networkidle" });

  report.counts = await page.locator("#counts li").allInnerTexts();
  report.examples = await page.locator("#example option").allInnerTexts();
  // Choose an example by its name, as a person would, and run it.
  await page.selectOption("#example", { label: "entries-per-section" });
  report.query = await page.inputValue("#query");
  await page.click("#run");
  await page.waitForSelector("#results tbody tr", { timeout: 10000 });
  report.status = await page.textContent("#status");
  report.header = await page.locator("#results th").allInnerTexts();
  report.rows = await page.locator("#results tbody tr").evaluateAll((rows) =>
    rows.map((r) => Array.from(r.cells, (c) => c.innerText)));
  report.downloads = await page.locator("#downloads a").evaluateAll((links) =>
    links.map((a) => a.textContent));
  report.pictureShown = await page.locator("#picture").evaluate((img) => img.complete && img.naturalWidth > 0);

  // A malformed query shows the server's message.
  await page.fill("#query", "SELECT ?x WHERE { ?x");
  await page.click("#run");
  await page.waitForSelector("#status.error");
  report.errorStatus = await page.textContent("#status");

  // Back to the results for the picture.
  await page.selectOption("#example", { label: "entries-per-section" });
  await page.click("#run");
  await page.waitForSelector("#results tbody tr");
  await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
