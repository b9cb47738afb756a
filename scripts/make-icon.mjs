// Draws media/icon.png (128×128, the Marketplace size) from the SVG below with headless Chromium, so the
// icon can be changed by editing vectors instead of pixels. Run: node scripts/make-icon.mjs
// Needs chromium (Debian: /usr/bin/chromium; CHROMIUM=… to point elsewhere).
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

// An ink drop on a deep-blue tile, with a text caret: a little ink that writes code.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="tile" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#2f4fa8"/>
      <stop offset="1" stop-color="#16225a"/>
    </linearGradient>
    <linearGradient id="drop" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#ffffff"/>
      <stop offset="1" stop-color="#dfe7ff"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="26" fill="url(#tile)"/>
  <path d="M58 20 C58 20 30 55 30 76 a28 28 0 0 0 56 0 C86 55 58 20 58 20 Z" fill="url(#drop)"/>
  <path d="M47 68 l-9 9 l9 9 M69 68 l9 9 l-9 9" fill="none" stroke="#2f4fa8" stroke-width="5.5" stroke-linecap="round" stroke-linejoin="round"/>
  <rect x="96" y="62" width="7" height="40" rx="3.5" fill="#8fb3ff"/>
</svg>`;

const out = fileURLToPath(new URL('../media/icon.png', import.meta.url));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: out, omitBackground: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
