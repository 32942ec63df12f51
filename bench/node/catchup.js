// Usage: node catchup.js <baseUrl> <walls> <deviceToken> <slug> <after> <expectedCards> <windowSeconds>
// Each wall, at a random moment within the window, reconnects to the hub and fetches everything after
// <after> from the catch-up endpoint; it must get all expected cards. Prints one JSON line.
"use strict";
const signalR = require("@microsoft/signalr");
const [baseUrl, wallsArg, token, slug, after, expectedArg, windowArg] = process.argv.slice(2);
const walls = Number(wallsArg), expected = Number(expectedArg), windowMs = Number(windowArg) * 1000;
const now = () => performance.now();
const lat = [];
let errors = 0, incomplete = 0;
const conns = [];

async function one() {
  await new Promise((r) => setTimeout(r, Math.random() * windowMs));
  const t0 = now();
  try {
    const c = new signalR.HubConnectionBuilder()
      .withUrl(baseUrl + "/hubs/wall", { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets, headers: { Cookie: "recognition.device=" + token } })
      .configureLogging(signalR.LogLevel.None).build();
    c.on("Events", () => { });
    c.on("Boards", () => { });
    c.on("Unpaired", () => { });
    await c.start();
    conns.push(c);
    const res = await fetch(`${baseUrl}/walls/${slug}?handler=Since&after=${after}`, { headers: { Cookie: "recognition.device=" + token } });
    if (!res.ok) { errors++; return; }
    const html = await res.text();
    const cards = (html.match(/class="wcard"/g) || []).length;
    if (cards < expected) incomplete++;
    lat.push(now() - t0);
  } catch (e) {
    errors++;
  }
}

(async () => {
  const started = now();
  await Promise.all(Array.from({ length: walls }, one));
  lat.sort((a, b) => a - b);
  const p = (q) => lat.length ? lat[Math.min(lat.length - 1, Math.ceil(q / 100 * lat.length) - 1)] : null;
  console.log(JSON.stringify({ walls, caught_up: lat.length, errors, incomplete, p50: p(50), p99: p(99), elapsed_s: (now() - started) / 1000 }));
  await Promise.all(conns.map((c) => c.stop().catch(() => { })));
  process.exit(0);
})();
