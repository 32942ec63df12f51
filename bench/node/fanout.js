// Usage: node fanout.js <baseUrl> <walls> <deviceToken> <slug> [threads]
// Connects <walls> wall clients through the product's own live connection (wwwroot/js/live.js: the same handlers, back-off
// and catch-up as wall.js; WebSockets, no negotiation). Each wall first reads the page's data-last-seq and catches up from
// there after connecting, as the wall page does. Prints "ready <n>", then reads
// lines on stdin: "mark <kind> <id> <t0EpochMs>" and finally "report", which prints one JSON line
// with latency percentiles (receipt on every wall minus t0) per kind.
// The walls are spread over [threads] worker threads (default: one per core). One JavaScript thread holding
// 10,000 walls reads at most one core's worth of frames: at 10 awards/s it fell 25 s behind while the server used a
// fifth of a core, so the figures were the client's, not the product's.
"use strict";
const { Worker, isMainThread, parentPort, workerData } = require("worker_threads");
const os = require("os");

if (isMainThread) main(); else wall();

function main() {
  const readline = require("readline");
  const [baseUrl, wallsArg, token, slug, threadsArg] = process.argv.slice(2);
  const walls = Number(wallsArg);
  const threads = Math.max(1, Math.min(walls, Number(threadsArg) || os.cpus().length));
  const workers = [];
  for (let i = 0; i < threads; i++) {
    const share = Math.floor(walls / threads) + (i < walls % threads ? 1 : 0);
    workers.push(new Worker(__filename, { workerData: { baseUrl, walls: share, token, slug } }));
  }
  // Each worker answers once per request: "ready" after connecting, then its receipts at "report".
  const ask = (msg) => Promise.all(workers.map((w) => new Promise((resolve) => { w.once("message", resolve); if (msg) w.postMessage(msg); })));
  ask(null).then((ready) => {
    const connected = ready.reduce((s, r) => s + r.connected, 0), errors = ready.reduce((s, r) => s + r.errors, 0);
    console.log(`ready ${connected} errors ${errors}`);
    const marks = { card: new Map(), bench: new Map(), reactions: new Map() };
    const rl = readline.createInterface({ input: process.stdin });
    rl.on("line", (line) => {
      const parts = line.trim().split(" ");
      if (parts[0] === "mark") marks[parts[1]].set(parts[2], Number(parts[3]));
      if (parts[0] !== "report") return;
      setTimeout(async () => {
        const reports = await ask({ report: true });
        const out = { connected, errors, threads, catch_ups: reports.reduce((s, r) => s + r.catchUps, 0) };
        for (const kind of ["card", "bench", "reactions"]) {
          if (kind === "reactions" && marks.reactions.size === 0) continue;
          const lat = [];
          let missing = 0;
          for (const [id, t0] of marks[kind]) {
            for (const r of reports) {
              const got = r.receipts[kind].get(id);
              const n = got ? got.n : 0;
              missing += r.connected - n;
              for (let i = 0; i < n; i++) lat.push(got.t[i] - t0);
            }
          }
          lat.sort((a, b) => a - b);
          const p = (q) => lat.length ? lat[Math.min(lat.length - 1, Math.ceil(q / 100 * lat.length) - 1)] : null;
          out[kind] = { messages: marks[kind].size, receipts: lat.length, missing, p50: p(50), p99: p(99), max: lat.length ? lat[lat.length - 1] : null };
        }
        out.boards_pushes = reports.reduce((s, r) => s + r.boardsPushes, 0);
        console.log(JSON.stringify(out));
        await ask({ stop: true });
        process.exit(0);
      }, 3000);
    });
  });
}

// One worker: its share of the walls, each doing what wall.js does with every message.
function wall() {
  const signalR = require("@microsoft/signalr");
  const live = require("../../wwwroot/js/live.js");
  const { baseUrl, walls, token, slug } = workerData;
  const cookie = "recognition.device=" + token;
  const now = () => performance.timeOrigin + performance.now();
  const receipts = { card: new Map(), bench: new Map(), reactions: new Map() };
  const conns = [];
  let errors = 0, boardsPushes = 0, catchUps = 0;

  // Receipt times in typed arrays (one per message, a slot per wall): outside the JS heap, so keeping millions of them
  // does not make the client's own garbage collector pause the walls and build a backlog on the server.
  function record(kind, id) {
    const m = receipts[kind];
    if (!m) return;
    const t = now();
    let r = m.get(id);
    if (!r) { r = { n: 0, t: new Float64Array(walls) }; m.set(id, r); }
    if (r.n < r.t.length) r.t[r.n++] = t;
  }

  async function connectOne() {
    const page = await fetch(baseUrl + "/walls/" + encodeURIComponent(slug), { headers: { Cookie: cookie } });
    if (!page.ok) throw new Error("wall page " + page.status);
    const html = await page.text();
    let lastSeq = Number((/data-last-seq="(\d+)"/.exec(html) || [0, 0])[1]);
    const version = (/data-version="([^"]*)"/.exec(html) || [0, ""])[1]; // as wall.js reads it, and reports it when connecting
    // The wall's catch-up after each (re)connect: what arrived since the page was rendered.
    const catchUp = () => {
      fetch(baseUrl + live.catchUpUrl(slug, lastSeq), { headers: { Cookie: cookie }, cache: "no-store" })
        .then((r) => r.text()).then((html) => { catchUps++; const m = /data-last-seq="(\d+)"/.exec(html); if (m) lastSeq = Math.max(lastSeq, Number(m[1])); })
        .catch(() => { });
    };
    const link = live.connect({
      signalR, base: baseUrl, hub: "/hubs/wall", quiet: true, catchUp, query: live.deviceQuery(version, 1920, 1080),
      transport: { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets, headers: { Cookie: cookie } },
      on: {
        // wall.js applies a "reactions" message to the card in place (no request); a card's counts are recorded like a card.
        Events: (list) => { for (const m of list) { record(m.kind, String(m.id)); lastSeq = Math.max(lastSeq, m.seq); } },
        Boards: () => { boardsPushes++; }, // the pushed side panel, which the wall applies instead of fetching it
        Unpaired: () => { },
        Reload: () => { }, // never sent in the bench: no admin asks
      },
    });
    await link.start();
    conns.push(link);
  }

  parentPort.on("message", async (msg) => {
    if (msg.report) parentPort.postMessage({ connected: conns.length, receipts, boardsPushes, catchUps });
    if (msg.stop) {
      await Promise.all(conns.map((c) => c.stop().catch(() => { })));
      parentPort.postMessage({});
    }
  });

  (async () => {
    for (let i = 0; i < walls; i += 100) {
      const batch = [];
      for (let j = i; j < Math.min(walls, i + 100); j++) batch.push(connectOne().catch(() => { errors++; }));
      await Promise.all(batch);
    }
    parentPort.postMessage({ connected: conns.length, errors });
  })();
}
