// Usage: node people.js <baseUrl>
// The connections the plant's people hold while they work, through the pages' own live.js (BenchParityTests
// keeps them in step): an office user's open page holds /hubs/me (personal.js: "Toast", no request after it); a kiosk's
// idle screen holds /hubs/wall with its device cookie (kiosk.js: "Events" inserted in place, "Unpaired") and refreshes
// its feed every 300 s (hx-trigger "every 300s").
// Reads lines on stdin: "me <cookie header>", "kiosk <device token>", and finally "report", which prints one JSON line.
"use strict";
const signalR = require("@microsoft/signalr");
const live = require("../../wwwroot/js/live.js"); // the pages' own live connection
const readline = require("readline");
const [baseUrl] = process.argv.slice(2);
const counts = { me: 0, kiosk: 0, toasts: 0, kiosk_events: 0, feed_fetches: 0, feed_errors: 0, errors: 0 };
const conns = [];
const timers = [];

async function connect(hub, cookie, handlers) {
  const c = live.connect({
    signalR, base: baseUrl, hub, quiet: true, on: handlers,
    query: hub === "/hubs/wall" ? live.deviceQuery("bench", 1280, 800) : undefined, // as kiosk.js reports itself
    transport: { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets, headers: { Cookie: cookie } },
  });
  await c.start();
  conns.push(c);
}

// What each page's script handles, by hub.
const handlers = {
  "/hubs/me": {
    Toast: () => { counts.toasts++; },
    FeedChanged: () => { }, // only the feed page watches the feed (WatchFeed); the office users' pages here do not, so none arrives
    ReactionsChanged: () => { }, // the same: only to the feed page, which then asks for the bars it shows
  },
  "/hubs/wall": {
    Events: (list) => { counts.kiosk_events += list.length; }, // same language as the screen: inserted, no request
    Boards: () => { }, // the idle screen shows no boards
    Unpaired: () => { },
    Reload: () => { }, // never sent in the bench: no admin asks
  },
};

function me(cookie) {
  connect("/hubs/me", cookie, handlers["/hubs/me"])
    .then(() => { counts.me++; }, () => { counts.errors++; });
}

function kiosk(token) {
  const cookie = "recognition.device=" + token;
  connect("/hubs/wall", cookie, handlers["/hubs/wall"]).then(() => {
    counts.kiosk++;
    timers.push(setInterval(() => {
      fetch(baseUrl + "/kiosk?handler=Feed", { headers: { Cookie: cookie } })
        .then((r) => { if (r.ok) counts.feed_fetches++; else counts.feed_errors++; return r.text(); })
        .catch(() => { counts.feed_errors++; });
    }, 300 * 1000));
  }, () => { counts.errors++; });
}

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const i = line.indexOf(" ");
  const verb = i < 0 ? line.trim() : line.slice(0, i), arg = i < 0 ? "" : line.slice(i + 1).trim();
  if (verb === "me") me(arg);
  if (verb === "kiosk") kiosk(arg);
  if (verb === "report") {
    timers.forEach(clearInterval);
    console.log(JSON.stringify(counts));
    Promise.all(conns.map((c) => c.stop().catch(() => { }))).then(() => process.exit(0));
  }
});
