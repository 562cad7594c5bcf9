#!/usr/bin/env node
// Opens the generated HTML catalog in headless chromium (Debian's, via
// playwright-core: no browser download), searches, follows a result to a
// topic page and from there to its producer, filters the topology, saves
// screenshots, and fails on any console error or page error.
//
// usage: node catalog.js HTML_DIR CATALOG_PNG [TOPOLOGY_PNG]
// env: CHROMIUM (default /usr/bin/chromium)
'use strict';
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

async function main() {
  const [dir, shot, topoShot] = process.argv.slice(2);
  if (!dir || !shot) {
    console.error('usage: node catalog.js HTML_DIR CATALOG_PNG [TOPOLOGY_PNG]');
    process.exit(2);
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    // playwright starts chromium with a new, empty profile of its own.
  });
  const errors = [];
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  const step = (s) => console.log(`step: ${s}`);
  try {
    const index = pathToFileURL(path.resolve(dir, 'index.html')).href;
    step(`open ${index}`);
    await page.goto(index);
    await page.waitForSelector('#q');

    step('search "heartbeat"');
    await page.fill('#q', 'heartbeat');
    const hit = page.locator('#results li a', { hasText: 'heartbeat' }).first();
    await hit.waitFor();
    const hits = await page.locator('#results li').count();
    console.log(`  ${hits} result(s)`);

    step('search a field name finds its topic');
    await page.fill('#q', 'node_id');
    await page.locator('#results li a').first().waitFor();
    await page.fill('#q', 'heartbeat');
    await hit.waitFor();
    await page.screenshot({ path: shot, fullPage: false });
    console.log(`  screenshot ${shot}`);

    step('follow the first result to its topic page');
    const topicName = (await hit.textContent()).trim();
    await Promise.all([page.waitForURL(/topics\/.*\.html$/), hit.click()]);
    const h1 = (await page.locator('h1').textContent()).trim();
    if (h1 !== topicName) throw new Error(`topic page shows "${h1}", expected "${topicName}"`);
    console.log(`  ${page.url()}`);

    step('follow the topic to its producer');
    const producer = page.locator('ul.producers a').first();
    const producerName = (await producer.textContent()).trim();
    await Promise.all([page.waitForURL(/nodes\/.*\.html$/), producer.click()]);
    const nodeH1 = (await page.locator('h1').textContent()).trim();
    if (!nodeH1.includes(producerName)) throw new Error(`node page shows "${nodeH1}", expected ${producerName}`);
    const back = await page.locator(`a:has-text("${topicName}")`).count();
    if (back < 1) throw new Error(`node page ${producerName} does not link back to ${topicName}`);
    console.log(`  ${page.url()}`);

    step('filter the topology by the producer');
    await page.goto(index);
    await page.selectOption('#filter', `node:${producerName}`);
    const shown = await page.locator('#topology svg g:not(.dim)').count();
    const dimmed = await page.locator('#topology svg g.dim').count();
    if (shown < 2 || dimmed < 1) throw new Error(`filter shows ${shown}, dims ${dimmed}`);
    console.log(`  ${shown} boxes shown, ${dimmed} dimmed`);
    if (topoShot) {
      await page.selectOption('#filter', '');
      const svg = await page.locator('#topology svg').evaluate((e) => e.outerHTML);
      const size = await page.locator('#topology svg').evaluate((e) => [e.width.baseVal.value, e.height.baseVal.value]);
      const picture = await browser.newPage({ viewport: { width: Math.ceil(size[0]), height: Math.ceil(size[1]) } });
      await picture.setContent(`<body style="margin:0">${svg}</body>`);
      await picture.screenshot({ path: topoShot, fullPage: true });
      console.log(`  screenshot ${topoShot}`);
    }
  } catch (e) {
    errors.push(`failed: ${e.message}`);
  } finally {
    await browser.close();
  }
  if (errors.length) {
    for (const e of errors) console.log(`ERROR ${e}`);
    process.exit(1);
  }
  console.log('browser test passed');
}

main().catch((e) => { console.error(e && e.stack ? e.stack : String(e)); process.exit(2); });
