// Usage: node fanout.js <baseUrl> <walls> <deviceToken>
// Connects <walls> SignalR wall clients (WebSockets, no negotiation), prints "ready <n>", then reads
// lines on stdin: "mark <kind> <id> <t0EpochMs>" and finally "report", which prints one JSON line
// with latency percentiles (receipt on every wall minus t0) per kind.
"use strict";
const signalR = require("@microsoft/signalr");
const readline = require("readline");
const [baseUrl, wallsArg, token] = process.argv.slice(2);
const walls = Number(wallsArg);
const now = () => performance.timeOrigin + performance.now();
const receipts = { card: new Map(), bench: new Map() };
const conns = [];
let errors = 0;

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

let boardsPushes = 0;

async function connectOne() {
  const c = new signalR.HubConnectionBuilder()
    .withUrl(baseUrl + "/hubs/wall", { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets, headers: { Cookie: "recognition.device=" + token } })
    .configureLogging(signalR.LogLevel.None)
    .build();
  // Every message wall.js handles (tests/…/Walls/BenchParityTests keeps the two in step): cards and ticks, the pushed
  // side panel (which the product's wall applies instead of fetching it), and unpairing.
  c.on("Events", (list) => { for (const m of list) record(m.kind, String(m.id)); });
  c.on("Boards", (m) => { boardsPushes++; });
  c.on("Unpaired", () => { });
  await c.start();
  conns.push(c);
}

(async () => {
  for (let i = 0; i < walls; i += 200) {
    const batch = [];
    for (let j = i; j < Math.min(walls, i + 200); j++) batch.push(connectOne().catch(() => { errors++; }));
    await Promise.all(batch);
  }
  console.log(`ready ${conns.length} errors ${errors}`);
  const marks = { card: new Map(), bench: new Map() };
  const rl = readline.createInterface({ input: process.stdin });
  rl.on("line", (line) => {
    const parts = line.trim().split(" ");
    if (parts[0] === "mark") marks[parts[1]].set(parts[2], Number(parts[3]));
    if (parts[0] === "report") {
      setTimeout(() => {
        const out = { connected: conns.length, errors };
        for (const kind of ["card", "bench"]) {
          const lat = [];
          let missing = 0;
          for (const [id, t0] of marks[kind]) {
            const got = receipts[kind].get(id) || { n: 0, t: [] };
            missing += conns.length - got.n;
            for (let i = 0; i < got.n; i++) lat.push(got.t[i] - t0);
          }
          lat.sort((a, b) => a - b);
          const p = (q) => lat.length ? lat[Math.min(lat.length - 1, Math.ceil(q / 100 * lat.length) - 1)] : null;
          out[kind] = { messages: marks[kind].size, receipts: lat.length, missing, p50: p(50), p99: p(99), max: lat.length ? lat[lat.length - 1] : null };
        }
        out.boards_pushes = boardsPushes;
        console.log(JSON.stringify(out));
        Promise.all(conns.map((c) => c.stop().catch(() => { }))).then(() => process.exit(0));
      }, 3000);
    }
  });
})();
