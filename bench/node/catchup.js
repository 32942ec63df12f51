// Usage: node catchup.js <baseUrl> <walls> <deviceToken> <slug> <after> <expectedCards> <windowSeconds>
// Each wall, at a random moment within the window, reconnects to the hub and fetches everything after
// <after> from the catch-up endpoint; it must get all expected cards. Prints one JSON line: the latency percentiles over all
// walls, the same over the walls that started after the first second (the first ones meet a server that has just
// started: code not yet compiled, connection pools empty), and the slowest wall's hub-connect and fetch split.
"use strict";
const signalR = require("@microsoft/signalr");
const live = require("../../wwwroot/js/live.js"); // the product's live connection and catch-up request
const [baseUrl, wallsArg, token, slug, after, expectedArg, windowArg] = process.argv.slice(2);
const walls = Number(wallsArg), expected = Number(expectedArg), windowMs = Number(windowArg) * 1000;
const now = () => performance.now();
const lat = [], warm = [];
let slowest = null;
let errors = 0, incomplete = 0;
const conns = [];

const begin = now();

async function one() {
  await new Promise((r) => setTimeout(r, Math.random() * windowMs));
  const t0 = now();
  let t1 = t0;
  try {
    const c = live.connect({
      signalR, base: baseUrl, hub: "/hubs/wall", quiet: true, query: live.deviceQuery("bench", 1920, 1080),
      transport: { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets, headers: { Cookie: "recognition.device=" + token } },
      on: { Events: () => { }, Boards: () => { }, Unpaired: () => { }, Reload: () => { } },
    });
    await c.start();
    t1 = now();
    conns.push(c);
    const res = await fetch(baseUrl + live.catchUpUrl(slug, after), { headers: { Cookie: "recognition.device=" + token } });
    if (!res.ok) { errors++; return; }
    const html = await res.text();
    const cards = (html.match(/class="wcard"/g) || []).length;
    if (cards < expected) incomplete++;
    const ms = now() - t0;
    lat.push(ms);
    if (t0 - begin >= 1000) warm.push(ms);
    if (!slowest || ms > slowest.ms) slowest = { ms, started_ms: t0 - begin, connect_ms: t1 - t0, fetch_ms: now() - t1 };
  } catch (e) {
    errors++;
  }
}

(async () => {
  await Promise.all(Array.from({ length: walls }, one));
  const p = (xs, q) => { xs.sort((a, b) => a - b); return xs.length ? xs[Math.min(xs.length - 1, Math.ceil(q / 100 * xs.length) - 1)] : null; };
  const round = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v)]));
  console.log(JSON.stringify({ walls, caught_up: lat.length, errors, incomplete, p50: p(lat, 50), p99: p(lat, 99),
    warm_p99: p(warm, 99), slowest: slowest && round(slowest), elapsed_s: (now() - begin) / 1000 }));
  await Promise.all(conns.map((c) => c.stop().catch(() => { })));
  process.exit(0);
})();
