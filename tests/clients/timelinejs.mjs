// Loads an `annals export --format timelinejs` file in TimelineJS itself
// (the npm package's dist files), in headless Debian Chromium driven by
// playwright-core, from a page served on 127.0.0.1. Checks that the
// timeline builds with one slide and one marker per event and no script
// error, and keeps a screenshot. It visits every slide and then checks that
// no text from the record ran as script: the page title and a sentinel
// global are unchanged, nothing set `window.pwned` (what the hostile record
// in tests/clients/hostile/ tries), and no element has an event-handler
// attribute or a `javascript:` link.
//
//   node timelinejs.mjs EXPORT.json SCREENSHOT.png
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { fileURLToPath } from "node:url";

const [jsonPath, shotPath] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, "node_modules", "@knight-lab", "timelinejs", "dist");
const data = fs.readFileSync(jsonPath, "utf8");
const expected = JSON.parse(data).events.length;

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>annals export in TimelineJS</title>
<link rel="stylesheet" href="/css/timeline.css">
<script src="/js/timeline.js"></script>
<style>html, body { margin: 0; height: 100%; } #timeline { width: 100%; height: 100%; }</style>
</head><body><div id="timeline"></div>
<script>
  window.tlErrors = [];
  window.sentinel = "intact";
  fetch("/export.json").then(r => r.json()).then(data => {
    // script_path: TimelineJS loads its font CSS from beside its script,
    // here, instead of from its CDN; georgia-helvetica is its one font set
    // that uses the system's fonts rather than web fonts from elsewhere.
    window.timeline = new TL.Timeline("timeline", data, { hash_bookmark: false,
      script_path: location.origin + "/js", font: "georgia-helvetica" });
    window.timeline.on("ready", () => { window.tlReady = true; });
  }).catch(e => window.tlErrors.push(String(e)));
</script></body></html>`;

const types = { ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".svg": "image/svg+xml", ".png": "image/png" };
const missing = [];
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  let body, file;
  if (url.pathname === "/") body = page;
  else if (url.pathname === "/export.json") body = data;
  else if (url.pathname.startsWith("/js/") || url.pathname.startsWith("/css/")) {
    // The package's dist/ folder, served as the site's root.
    file = path.join(dist, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(dist) || !fs.existsSync(file)) file = undefined;
  }
  if (body === undefined && file === undefined) {
    missing.push(url.pathname);
    res.writeHead(404); res.end(); return;
  }
  res.writeHead(200, { "content-type": types[path.extname(file ?? url.pathname)] ?? "text/html; charset=utf-8" });
  res.end(body ?? fs.readFileSync(file));
});
await new Promise(r => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "annals-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 1000 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
const offsite = [];
try {
  const tab = await browser.newPage();
  tab.on("pageerror", e => problems.push(`script error: ${e.message}`));
  tab.on("console", m => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  // Nothing leaves the machine: any request that is not to our server is
  // refused and listed.
  await tab.route("**/*", route => {
    const u = route.request().url();
    if (u.startsWith(base) || u.startsWith("data:")) return route.continue();
    offsite.push(u);
    return route.abort();
  });
  await tab.goto(base + "/");
  await tab.waitForFunction(() => window.tlReady === true || window.tlErrors.length > 0, null, { timeout: 30000 });
  const facts = await tab.evaluate(() => ({
    errors: window.tlErrors,
    slides: document.querySelectorAll(".tl-storyslider .tl-slide:not(.tl-slide-titleslide)").length,
    markers: document.querySelectorAll(".tl-timenav .tl-timemarker").length,
    headline: document.querySelector(".tl-slide .tl-headline")?.textContent ?? "",
    ids: [...document.querySelectorAll(".tl-storyslider .tl-slide")].map(s => s.id),
  }));
  problems.push(...facts.errors.map(e => `load error: ${e}`));
  // Visit every slide (each renders its text and media), then come back to
  // the second, so the screenshot shows an event with its text.
  for (let i = 0; i < expected; i++) {
    await tab.click(".tl-slidenav-next").catch(() => {});
    await tab.waitForTimeout(150);
  }
  for (let i = 1; i < expected; i++) await tab.click(".tl-slidenav-previous").catch(() => {});
  await tab.waitForTimeout(1200);
  const safety = await tab.evaluate(() => ({
    title: document.title,
    sentinel: window.sentinel,
    pwned: window.pwned,
    handlers: [...document.querySelectorAll("*")].flatMap(el =>
      [...el.attributes].filter(a => /^on/i.test(a.name)).map(a => `<${el.tagName.toLowerCase()} ${a.name}>`)),
    jsLinks: [...document.querySelectorAll("a[href]")].map(a => a.getAttribute("href"))
      .filter(h => /^\s*javascript:/i.test(h)),
  }));
  if (safety.title !== "annals export in TimelineJS") problems.push(`record text ran as script: the page title is now ${JSON.stringify(safety.title)}`);
  if (safety.sentinel !== "intact") problems.push(`record text ran as script: the sentinel is ${JSON.stringify(safety.sentinel)}`);
  if (safety.pwned !== undefined) problems.push(`record text ran as script: window.pwned = ${JSON.stringify(safety.pwned)}`);
  if (safety.handlers.length) problems.push(`event-handler attributes in the page: ${safety.handlers.join(", ")}`);
  if (safety.jsLinks.length) problems.push(`javascript: links in the page: ${safety.jsLinks.join(", ")}`);
  fs.mkdirSync(path.dirname(shotPath), { recursive: true });
  await tab.screenshot({ path: shotPath });
  if (facts.slides !== expected) problems.push(`${facts.slides} slides for ${expected} events`);
  if (facts.markers !== expected) problems.push(`${facts.markers} timeline markers for ${expected} events`);
  const want = JSON.parse(data).events.map(e => e.unique_id).sort();
  const got = facts.ids.filter(id => want.includes(id)).sort();
  if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`slide ids differ from event ids`);
  console.log(`TimelineJS: ${facts.slides} slides, ${facts.markers} markers, ${expected} events; first headline: ${facts.headline}`);
  if (missing.length) problems.push(`not found on the local server: ${[...new Set(missing)].join(", ")}`);
  if (offsite.length) console.log(`TimelineJS asked for ${offsite.length} off-machine resource(s), refused: ${[...new Set(offsite)].join(", ")}`);
} catch (e) {
  problems.push(`driver: ${e.message}`);
} finally {
  await browser.close();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
for (const p of problems) console.log(`FAIL: ${p}`);
process.exit(problems.length ? 1 : 0);
