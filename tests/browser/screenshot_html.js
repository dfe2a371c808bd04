// Screenshots of static HTML files (notebooks rendered by `jupyter nbconvert --to html`):
// Debian's chromium through playwright-core, no network, one PNG per file.
//
//   node tests/browser/screenshot_html.js OUT_DIR FILE.html...
//
// Prints one line per file: `FILE.html -> OUT_DIR/FILE.png (N images, M tables)`, the counts
// being what the page shows after layout (images with a non-zero size, tables).
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function main([outDir, ...files]) {
  if (!outDir || files.length === 0) throw new Error("usage: screenshot_html.js OUT_DIR FILE.html...");
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM`);
  fs.mkdirSync(outDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "tsgpu-shot-"));
  const { chromium } = require("playwright-core");
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_FLAGS, viewport: { width: 1200, height: 900 }, timeout: 60_000, offline: true });
  try {
    const page = await context.newPage();
    for (const file of files) {
      await page.goto(`file://${path.resolve(file)}`, { waitUntil: "load", timeout: 60_000 });
      const counts = await page.evaluate(() => ({
        images: [...document.images].filter((img) => img.complete && img.naturalWidth > 0).length,
        tables: document.querySelectorAll("table").length,
      }));
      const out = path.join(outDir, `${path.basename(file, ".html")}.png`);
      await page.screenshot({ path: out, fullPage: true });
      console.log(`${file} -> ${out} (${counts.images} images, ${counts.tables} tables)`);
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
