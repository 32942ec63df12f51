using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Devices;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Walls;

[Collection(BrowserCollection.Name)]
public sealed class WallBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly int _port = FreePort();
    private AppFactory _app = null!;
    private World _w = null!;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "recognition-tests", Guid.NewGuid().ToString("N"));
    private static readonly Dictionary<string, string?> Settings = [];

    public async Task InitializeAsync()
    {
        _app = new AppFactory(Settings, port: _port, dataDir: _dir);
        _w = await World.CreateAsync(_app);
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 100);
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var p = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return p;
    }

    private async Task<IPage> PairedWallAsync(string locale = "zh-CN", int width = 1920, int height = 1080, DateTime? browserTime = null)
    {
        var devices = _app.Get<DeviceService>();
        var created = await devices.CreateAsync(_w.Admin, _w.SiteId, null, "display", $"Wall {Guid.NewGuid():N}"[..12], locale, _app.Clock.UtcNow);
        var code = (await devices.IssuePairingCodeAsync(created.Id!.Value, AdminScope.CommandLine, _app.Clock.UtcNow))!.PairingCode;
        var page = await browser.NewPageAsync(_app.ServerAddress, width, height, locale);
        if (browserTime is { } t) await page.Clock.SetFixedTimeAsync(t); // Date only: timers keep running
        await page.GotoAsync($"/pair?code={code}");
        await page.ClickAsync("#pair-submit");
        await page.WaitForURLAsync("**/walls/**");
        await page.WaitForFunctionAsync("() => window.recognitionWall && window.recognitionWall.connected()");
        return page;
    }

    private async Task<long> GiveAsync(AwardService awards, long to, string visibility, string message, DateTime now, int points = 0)
    {
        var o = await awards.AwardAsync(new AwardCommand(_w.Giver, [to], _w.Badges["customer_guardian"], null, message, visibility, points, Idempotency.NewKey()), now);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    private async Task<IPage> SignedInAsync(string login, int width, int height, string locale = "zh-CN")
    {
        var page = await browser.NewPageAsync(_app.ServerAddress, width, height, locale);
        await page.GotoAsync("/Account/SignIn");
        await page.FillAsync("#Login", login);
        await page.FillAsync("#Password", World.Password);
        await page.ClickAsync("#signin-submit");
        await page.WaitForURLAsync(u => !u.Contains("SignIn", StringComparison.Ordinal));
        return page;
    }

    [BrowserFact]
    public async Task A_reaction_from_the_feed_or_a_kiosk_tap_shows_on_the_wall_and_on_other_peoples_feeds_live()
    {
        var awards = _app.Get<AwardService>();
        var id = await GiveAsync(awards, _w.Alice, "public", "你把夜班交接表改成了一页纸，交接时间少了一半，新人也看得懂。", _app.Clock.UtcNow, points: 5);
        var wall = await PairedWallAsync();
        await Assertions.Expect(wall.Locator($"#w-{id}")).ToBeVisibleAsync();

        // Jing reads the feed on her phone (in English); Wei applauds from his desk.
        var jing = await SignedInAsync("E2", 390, 844, "en-US");
        await jing.GotoAsync("/Feed");
        await jing.WaitForFunctionAsync("() => window.recognitionPersonal && window.recognitionPersonal.connected()");
        var wei = await SignedInAsync("E1", 1280, 900);
        await wei.GotoAsync("/Feed");
        var like = wei.Locator($"#reacts-{id} button[data-kind=like]");
        var box = (await like.BoundingBoxAsync())!;
        Assert.True(box.Height >= 44 && box.Width >= 44, $"a reaction is a {box.Width}x{box.Height} target");
        await like.ClickAsync();
        await Assertions.Expect(wei.Locator($"#reacts-{id} button[data-kind=like]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(wei.Locator($"#reacts-{id} button[data-kind=like] .n")).ToHaveTextAsync("1");

        // The wall and Jing's feed follow without a reload, within 2.5 s; nothing on the wall's boards changes.
        await Assertions.Expect(wall.Locator($"#w-{id} .wreacts .wreact[data-kind=like] b")).ToHaveTextAsync("1", new() { Timeout = 2500 });
        await Assertions.Expect(jing.Locator($"#reacts-{id} button[data-kind=like] .n")).ToHaveTextAsync("1", new() { Timeout = 2500 });
        await Assertions.Expect(jing.Locator($"#reacts-{id} button[data-kind=like]")).ToHaveAttributeAsync("aria-pressed", "false"); // Wei's, not hers
        // Her own tap on the pushed bar works (the swapped-in buttons are live).
        await jing.Locator($"#reacts-{id} button[data-kind=heart]").ClickAsync();
        await Assertions.Expect(wall.Locator($"#w-{id} .wreacts .wreact[data-kind=heart] b")).ToHaveTextAsync("1", new() { Timeout = 2500 });
        await BrowserFixture.ShotAsync(jing, "feed-reactions-390-en");

        // At a kiosk, Supervisor Zhang scans his badge and taps 学到了 on the same card.
        var devices = _app.Get<DeviceService>();
        var k = await devices.CreateAsync(_w.Admin, _w.SiteId, null, "kiosk", "Kiosk reactions", "zh-CN", _app.Clock.UtcNow);
        var code = (await devices.IssuePairingCodeAsync(k.Id!.Value, AdminScope.CommandLine, _app.Clock.UtcNow))!.PairingCode;
        var kiosk = await browser.NewPageAsync(_app.ServerAddress, 1280, 800);
        await kiosk.GotoAsync($"/pair?code={code}");
        await kiosk.ClickAsync("#pair-submit");
        await kiosk.WaitForURLAsync("**/kiosk");
        await BrowserFixture.ScanAsync(kiosk, "B-S1");
        var learned = kiosk.Locator($"#k-{id} button[data-kind=learned]");
        var kbox = (await learned.BoundingBoxAsync())!;
        Assert.True(kbox.Height >= 56, $"a kiosk reaction is {kbox.Height} px tall");
        await learned.ClickAsync();
        await Assertions.Expect(kiosk.Locator($"#k-{id} button[data-kind=learned]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(wall.Locator($"#w-{id} .wreacts .wreact[data-kind=learned]")).ToContainTextAsync("学到了1", new() { Timeout = 2500 });
        await BrowserFixture.ShotAsync(kiosk, "kiosk-home-reactions-1280-zh");
        await BrowserFixture.ShotAsync(wall, "wall-reactions-1080p-zh");
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COUNT(*) FROM reactions WHERE recognition_id = {id}"));
    }

    [BrowserFact]
    public async Task Today_s_celebrations_are_on_the_wall_at_load_and_a_new_one_arrives_live_in_the_wall_s_language()
    {
        // Jing's fifth anniversary is already celebrated when the wall opens; Carol's birthday comes while it is on.
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c,
            $"UPDATE employees SET hire_day = 20211118 WHERE id = {_w.Alice}; UPDATE employees SET birth_mmdd = 1118, birthday_public = 1 WHERE id = {_w.Carol};", transaction: t));
        var celebrations = _app.Get<Recognition.Web.Features.Celebrations.CelebrationService>();
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, $"UPDATE employees SET birthday_public = 0 WHERE id = {_w.Carol}", transaction: t));
        Assert.Equal(1, await celebrations.RunAsync(_app.Clock.UtcNow));
        var wall = await PairedWallAsync("en-US", 3840, 2160);
        await Assertions.Expect(wall.Locator("#wall-celebrations li.wcel")).ToHaveTextAsync("Jing Chen: 5 year(s) with us");
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, $"UPDATE employees SET birthday_public = 1 WHERE id = {_w.Carol}", transaction: t));
        Assert.Equal(1, await celebrations.RunAsync(_app.Clock.UtcNow));
        await Assertions.Expect(wall.Locator("#wall-celebrations li.wcel[data-kind=birthday]")).ToHaveTextAsync("Carol Smith's birthday", new() { Timeout = 5000 });
        Assert.Equal(2, await wall.Locator("#wall-celebrations li.wcel").CountAsync());
        await BrowserFixture.ShotAsync(wall, "wall-celebrations-4k-en");
    }

    [BrowserFact]
    public async Task A_recognition_given_in_one_browser_appears_on_the_wall_within_two_seconds()
    {
        var wall = await PairedWallAsync();
        var requests = new List<string>();
        wall.Request += (_, r) => requests.Add(r.Url);
        var giver = await browser.NewPageAsync(_app.ServerAddress);
        await giver.GotoAsync("/Account/SignIn");
        await giver.FillAsync("#Login", "E1");
        await giver.FillAsync("#Password", World.Password);
        await giver.ClickAsync("#signin-submit");
        await giver.GotoAsync($"/Recognize?to={_w.Bob}");
        await giver.CheckAsync($"input[name=BadgeId][value='{_w.Badges["safety_star"]}']");
        await giver.FillAsync("#message", "你发现 3 号压机的光幕支架松动，立即停机挂牌，避免了夹手事故。");
        await giver.ClickAsync("#award-submit");
        await giver.WaitForSelectorAsync("#award-done");
        await Assertions.Expect(wall.Locator(".wcard .wmsg", new() { HasTextString = "光幕支架松动" }).First)
            .ToBeVisibleAsync(new() { Timeout = 2000 });
        // The panel follows by push (within the 2 s coalescing interval), and the wall never asked for it.
        await Assertions.Expect(wall.Locator("#stat-today")).ToHaveTextAsync("1", new() { Timeout = 5000 });
        Assert.DoesNotContain(requests, u => u.Contains("handler=Boards", StringComparison.Ordinal));
        await BrowserFixture.ShotAsync(wall, "wall-1080p-zh");
    }

    [BrowserFact]
    public async Task The_wall_reads_from_5_m_shows_nothing_cut_says_which_day_and_never_shows_a_card_twice()
    {
        // The browser's clock decides "today", so the server's and the browser's are pinned to one instant that is
        // at least 20 minutes after the site's midnight (a run started at 23:59 or 00:05 in Shanghai read "yesterday").
        var now = AwayFromMidnight(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        _app.Clock.Set(now);
        var awards = _app.Get<AwardService>();
        var yesterday = await GiveAsync(awards, _w.Alice, "public", "昨晚夜班你主动留下来帮二线换模，提前四十分钟恢复生产。", now.AddDays(-1));
        var people = new[] { _w.Alice, _w.Bob, _w.Carol, _w.Dave };
        long newest = 0;
        for (var i = 0; i < 16; i++)
        {
            newest = await GiveAsync(awards, people[i % 4], "public",
                $"第 {i} 条：你把首件检验的记录表重新整理成一页，大家在班前会上一眼就能看懂哪里需要复核，谢谢你的细心。", now.AddMinutes(-16 + i), points: 5);
        }
        foreach (var (w, h, locale) in new[] { (1920, 1080, "zh-CN"), (3840, 2160, "en-US") })
        {
            var wall = await PairedWallAsync(locale, w, h, browserTime: now);
            var scale = w / 1920.0;
            // Found and measured in one evaluation: a pushed side panel replaces its elements, which must not happen in between.
            async Task<double> FontSize(string selector) =>
                await wall.EvaluateAsync<double>("s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", selector);
            var message = await FontSize(".wcard .wmsg");
            var meta = await FontSize(".wcard .wmeta");
            var row = await FontSize(".wstat span:last-child");
            Assert.True(message >= 36 * scale - 1 && meta >= 28 * scale - 1 && row >= 26 * scale - 1, $"type at {w}: message {message}, time {meta}, labels {row}");
            var spot = await wall.EvaluateAsync<string?>("() => window.recognitionWall.spotlight()");
            var cut = await wall.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('.wcard, .board li, .board h2, .wstat')].filter(e => e.offsetParent !== null && e.getBoundingClientRect().bottom > innerHeight + 0.5).map(e => e.className + ' ' + e.textContent.slice(0, 30))");
            Assert.True(cut.Length == 0, $"cut at {w}×{h}: {string.Join(" | ", cut)}");
            // Every board fits whole, ranked: the four people of the week and of the month, both teams, none hidden.
            var boards = await wall.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('.board')].map(b => b.id + ':' + (b.hidden ? 'hidden' : [...b.querySelectorAll('li')].filter(li => !li.hidden && li.getBoundingClientRect().bottom <= innerHeight).map(li => li.querySelector('.brank').textContent).join(',')))");
            Assert.Equal(["teams-week:1,2", "teams-month:1,2", "people-week:1,2,3,4", "people-month:1,2,3,4"], boards);
            Assert.Contains(zhSite(locale), await wall.InnerTextAsync("#wall-site"));
            Assert.Matches("^\\d\\d:\\d\\d$", await wall.InnerTextAsync("#wall-clock"));
            Assert.False(await wall.IsVisibleAsync("#wall-welcome")); // a wall with cards shows no welcome
            var visible = await wall.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#wall-cards .wcard')].filter(e => !e.hidden).map(e => e.dataset.id)");
            await BrowserFixture.ShotAsync(wall, $"wall-5m-{w}-{locale}");
            Assert.True(visible.Length >= 2, $"{visible.Length} cards on screen at {w}"); // and the spotlight
            Assert.NotNull(spot); // more cards than fit: the spotlight brings back one that doesn't…
            Assert.DoesNotContain(spot, visible); // …never one already on screen
            var zh = locale == "zh-CN";
            Assert.StartsWith(zh ? "昨天 " : "yesterday ", await wall.Locator($"#w-{yesterday} time").TextContentAsync());
            Assert.StartsWith(zh ? "今天 " : "today ", await wall.Locator($"#w-{newest} time").TextContentAsync());
            await BrowserFixture.ShotAsync(wall, $"wall-5m-{w}-{locale}");
            Assert.True(browser.CspViolations.All(v => !v.Contains("/walls/", StringComparison.Ordinal)), string.Join("\n", browser.CspViolations));
        }
    }

    private static string zhSite(string locale) => locale == "zh-CN" ? "测试厂" : "Test Plant";

    [BrowserFact]
    public async Task A_new_wall_with_nothing_yet_says_what_it_will_show_and_offers_the_thank_you_code_until_the_first_card()
    {
        foreach (var (w, h) in new[] { (1920, 1080), (3840, 2160) })
        {
            var wall = await PairedWallAsync("zh-CN", w, h);
            await Assertions.Expect(wall.Locator("#wall-welcome")).ToBeVisibleAsync();
            var qr = (await wall.Locator("#wall-welcome svg.qr").BoundingBoxAsync())!;
            Assert.True(qr.Y + qr.Height <= h && qr.Width >= 200 * w / 1920.0, $"QR at {w}: {qr.Y}+{qr.Height}, {qr.Width} wide");
            Assert.Contains("/thanks/", await wall.InnerTextAsync("#wall-welcome .wall-link"));
            await BrowserFixture.ShotAsync(wall, $"wall-welcome-{w}");
            await wall.Context.CloseAsync();
        }
        var live = await PairedWallAsync("zh-CN");
        await GiveAsync(_app.Get<AwardService>(), _w.Alice, "public", "你把首件检验的记录表重新整理成一页，谢谢你的细心。", _app.Clock.UtcNow);
        await Assertions.Expect(live.Locator(".wcard")).ToBeVisibleAsync(new() { Timeout = 5000 });
        await Assertions.Expect(live.Locator("#wall-welcome")).ToBeHiddenAsync();
    }

    /// <summary>The instant itself, or one an hour before the site's midnight when it is less than 20 minutes after it.</summary>
    private static DateTime AwayFromMidnight(DateTime utc, TimeZoneInfo zone)
    {
        var sinceMidnight = TimeZoneInfo.ConvertTimeFromUtc(utc, zone).TimeOfDay;
        return sinceMidnight < TimeSpan.FromMinutes(20) ? utc - sinceMidnight - TimeSpan.FromHours(1) : utc;
    }

    [BrowserFact]
    public async Task Private_ones_never_show_and_a_revoked_one_disappears_live()
    {
        var wall = await PairedWallAsync("en-US", 3840, 2160);
        var awards = _app.Get<AwardService>();
        await GiveAsync(awards, _w.Bob, "private", "私下感谢你耐心带我熟悉新设备的点检流程。", _app.Clock.UtcNow);
        await GiveAsync(awards, _w.Bob, "team", "班组内部感谢你周末主动来加班清理模具。", _app.Clock.UtcNow);
        var pub = await GiveAsync(awards, _w.Carol, "public", "You added the two comparison tables to the client deck and the customer renewed.", _app.Clock.UtcNow);
        await Assertions.Expect(wall.Locator($"#w-{pub}")).ToBeVisibleAsync(new() { Timeout = 2000 });
        Assert.Equal(0, await wall.Locator("text=私下感谢").CountAsync());
        Assert.Equal(0, await wall.Locator("text=班组内部感谢").CountAsync());
        await BrowserFixture.ShotAsync(wall, "wall-4k-en");
        await _app.Get<RevokeService>().RevokeAsync(pub, _w.AdminScope, "posted by mistake", null, _app.Clock.UtcNow);
        await Assertions.Expect(wall.Locator($"#w-{pub}")).ToHaveCountAsync(0, new() { Timeout = 2000 });
    }

    [BrowserFact]
    public async Task A_signed_in_recipient_gets_a_toast_and_their_unread_count_goes_up()
    {
        var bob = await browser.NewPageAsync(_app.ServerAddress);
        await bob.GotoAsync("/Account/SignIn");
        await bob.FillAsync("#Login", "E3");
        await bob.FillAsync("#Password", World.Password);
        await bob.ClickAsync("#signin-submit");
        await bob.WaitForSelectorAsync("#home-greeting");
        await bob.WaitForFunctionAsync("() => window.recognitionPersonal && window.recognitionPersonal.connected()");
        await GiveAsync(_app.Get<AwardService>(), _w.Bob, "private", "私下感谢你耐心带我熟悉新设备的点检流程。", _app.Clock.UtcNow);
        await Assertions.Expect(bob.Locator(".toast")).ToContainTextAsync("王伟 认可了你：客户守护者", new() { Timeout = 3000 });
        await Assertions.Expect(bob.Locator("#unread-count")).ToHaveTextAsync("1");
    }

    [BrowserFact]
    public async Task Revoking_the_display_turns_the_wall_to_not_paired_live()
    {
        var wall = await PairedWallAsync();
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MAX(id) FROM devices");
        var open = _app.Get<Recognition.Web.Features.Walls.WallConnections>();
        Assert.Equal(1, open.Count(id));
        await _app.Get<DeviceService>().RevokeAsync(_w.AdminScope, id, _app.Clock.UtcNow);
        await Assertions.Expect(wall.Locator("#unpaired")).ToBeVisibleAsync(new() { Timeout = 3000 });
        // The server closed the connection itself (it doesn't rely on the wall's script to hang up), and it stays closed.
        for (var i = 0; i < 30 && open.Count(id) > 0; i++) await Task.Delay(100);
        Assert.Equal(0, open.Count(id));
        // And it stays closed: the wall's script has stopped for good (no reconnect loop left to come back).
        await wall.WaitForFunctionAsync("() => window.recognitionWall.stopped() && !window.recognitionWall.connected()");
        Assert.Equal(0, open.Count(id));
    }

    [BrowserFact]
    public async Task After_a_server_restart_the_wall_shows_what_was_given_while_it_was_down_exactly_once_and_in_order()
    {
        var wall = await PairedWallAsync();
        var before = await GiveAsync(_app.Get<AwardService>(), _w.Alice, "public", "重启前：你把交接单重新设计了，换班时缺料一目了然。", _app.Clock.UtcNow);
        await Assertions.Expect(wall.Locator($"#w-{before}")).ToBeVisibleAsync(new() { Timeout = 2000 });

        var (provider, cs) = (_app.Db.Provider, _app.Db.ConnectionString);
        var now = _app.Clock.UtcNow;
        _app.Dispose(); // the server goes away; the wall notices and keeps retrying
        await Assertions.Expect(wall.Locator("#wall-status")).ToBeVisibleAsync(new() { Timeout = 10000 });

        // Given while no server runs: written straight through the award code to the same database.
        var offline = new AwardService(new Db(provider, cs), PolicyStore.Fixed(new Db(provider, cs), new() { DailyRecognitionCap = 100 }));
        var during1 = await GiveAsync(offline, _w.Bob, "public", "停机期间一：你在停电时守着冷库门，保住了一整批货。", now.AddMinutes(1));
        var during2 = await GiveAsync(offline, _w.Carol, "public", "停机期间二：你主动帮质量部复检了两百件产品。", now.AddMinutes(2));

        _app = new AppFactory(Settings, port: _port, dataDir: _dir);
        _ = _app.ServerAddress; // starts on the same port and database
        await Assertions.Expect(wall.Locator($"#w-{during2}")).ToBeVisibleAsync(new() { Timeout = 40000 });
        await Assertions.Expect(wall.Locator("#wall-status")).ToBeHiddenAsync(new() { Timeout = 5000 });
        var ids = await wall.Locator("#wall-cards .wcard").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.id)");
        Assert.Equal([during2.ToString(), during1.ToString(), before.ToString()], ids.Take(3));
        Assert.Equal(ids.Length, ids.Distinct().Count()); // exactly once

        // And it is live again afterwards.
        var after = await GiveAsync(_app.Get<AwardService>(), _w.Dave, "public", "重启后：你把新人常犯的错误整理成了一页纸。", now.AddMinutes(3));
        await Assertions.Expect(wall.Locator($"#w-{after}")).ToBeVisibleAsync(new() { Timeout = 2000 });
    }

    [BrowserFact]
    public async Task The_feed_shows_new_public_cards_on_top_without_a_reload_and_catches_up_after_a_server_restart()
    {
        var page = await browser.SignedInPageAsync(_app.ServerAddress, "E3", "en-US", 390, 844);
        await page.GotoAsync("/Feed");
        await page.WaitForFunctionAsync("() => window.recognitionPersonal && window.recognitionPersonal.connected() && window.recognitionPersonal.feedFetches() > 0");
        var loads = 0;
        page.Load += (_, _) => loads++;

        var first = await GiveAsync(_app.Get<AwardService>(), _w.Alice, "public", "Live one: you rebuilt the changeover checklist so the night shift finds parts at once.", _app.Clock.UtcNow);
        var card = page.Locator($"#r-{first}");
        await Assertions.Expect(card).ToBeVisibleAsync(new() { Timeout = 2000 });
        Assert.True((await card.BoundingBoxAsync())!.Y < 844, "the new card is not on the screen");
        // A private one never reaches the feed; a team one only the team's tab.
        var hidden = await GiveAsync(_app.Get<AwardService>(), _w.Alice, "private", "Private: thank you for covering my shift when my child was ill last week.", _app.Clock.UtcNow);
        var team = await GiveAsync(_app.Get<AwardService>(), _w.Carol, "team", "Team only: you sorted the returns shelf so nobody trips over the crates.", _app.Clock.UtcNow);
        var second = await GiveAsync(_app.Get<AwardService>(), _w.Dave, "public", "Live two: you trained the new starter on the torque wrench, patiently and twice.", _app.Clock.UtcNow);
        await Assertions.Expect(page.Locator($"#r-{second}")).ToBeVisibleAsync(new() { Timeout = 2000 });
        Assert.Equal(0, await page.Locator($"#r-{hidden}, #r-{team}").CountAsync());
        var ids = await page.Locator("#feed article.rcard").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.id)");
        Assert.Equal([second.ToString(), first.ToString()], ids.Take(2));
        await BrowserFixture.ShotAsync(page, "feed-live-phone-en");

        // The server goes away; what is given meanwhile appears once, in order, when it is back (the walls' catch-up rule).
        var (provider, cs) = (_app.Db.Provider, _app.Db.ConnectionString);
        var now = _app.Clock.UtcNow;
        _app.Dispose();
        var offline = new AwardService(new Db(provider, cs), PolicyStore.Fixed(new Db(provider, cs), new() { DailyRecognitionCap = 100 }));
        var during1 = await GiveAsync(offline, _w.Bob, "public", "While down one: you kept the cold-store door shut through the power cut.", now.AddMinutes(1));
        var during2 = await GiveAsync(offline, _w.Carol, "public", "While down two: you re-checked two hundred parts for the quality team.", now.AddMinutes(2));
        _app = new AppFactory(Settings, port: _port, dataDir: _dir);
        _ = _app.ServerAddress;
        await Assertions.Expect(page.Locator($"#r-{during2}")).ToBeVisibleAsync(new() { Timeout = 40000 });
        ids = await page.Locator("#feed article.rcard").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.id)");
        Assert.Equal([during2.ToString(), during1.ToString(), second.ToString(), first.ToString()], ids.Take(4));
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(0, loads); // never reloaded
    }

    [BrowserFact]
    public async Task The_admin_sees_each_wall_connected_with_its_screen_and_version_renames_it_sends_reload_and_is_told_when_it_stays_offline()
    {
        var wall = await PairedWallAsync();
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MAX(id) FROM devices WHERE kind = 'display'");
        var admin = await browser.SignedInPageAsync(_app.ServerAddress, "A1", "zh-CN", 1280, 800);
        var row = admin.Locator($"#devices tr[data-id='{id}']");
        for (var i = 0; i < 20 && await DbProbe.ScalarAsync<string?>(_app.Db, $"SELECT screen FROM devices WHERE id = {id}") is null; i++) await Task.Delay(250);
        await admin.GotoAsync("/Admin/Devices");
        await Assertions.Expect(row.Locator(".device-state")).ToHaveTextAsync("在线");
        await Assertions.Expect(row.Locator(".device-seen")).ToContainTextAsync("1920x1080");
        await Assertions.Expect(row.Locator(".device-seen")).ToContainTextAsync(Recognition.Web.Features.Walls.WallModel.Version);
        Assert.Equal(0, await row.Locator(".device-seen .tag").CountAsync()); // the current version: nothing to do
        Assert.True(await row.Locator("button.reload").IsVisibleAsync());
        await BrowserFixture.ShotAsync(admin, "devices-online-1280-zh");

        // Renamed: the list shows the new name, the wall keeps its address.
        var address = wall.Url;
        await row.Locator("form.rename input[name=name]").FillAsync("一号车间大屏");
        await row.Locator("form.rename button").ClickAsync();
        await Assertions.Expect(admin.Locator($"#devices tr[data-id='{id}'] form.rename input[name=name]")).ToHaveValueAsync("一号车间大屏");
        Assert.Equal("一号车间大屏", await DbProbe.ScalarAsync<string>(_app.Db, $"SELECT name FROM devices WHERE id = {id}"));

        // Reload reaches the screen: its page loads again.
        await wall.EvaluateAsync("() => window.__beforeReload = true");
        await admin.Locator($"#devices tr[data-id='{id}'] button.reload").ClickAsync();
        await Assertions.Expect(admin.Locator("#devices-message")).ToBeVisibleAsync();
        await wall.WaitForFunctionAsync("() => window.__beforeReload === undefined && window.recognitionWall && window.recognitionWall.connected()", null, new() { Timeout = 10000 });
        Assert.Equal(address, wall.Url);

        // The screen goes away: offline at once; after Devices:OfflineAlertMinutes in working hours the page says so on top.
        for (var i = 0; i < 40 && await DbProbe.ScalarAsync<DateTime?>(_app.Db, $"SELECT offline_utc FROM devices WHERE id = {id}") is not null; i++) await Task.Delay(250);
        await wall.Context.CloseAsync();
        // The server notices the closed socket when the connection ends (keep-alive, or the client timeout of 30 s under load): up to 60 s.
        for (var i = 0; i < 240 && await DbProbe.ScalarAsync<DateTime?>(_app.Db, $"SELECT offline_utc FROM devices WHERE id = {id}") is null; i++) await Task.Delay(250);
        await admin.GotoAsync("/Admin/Devices");
        await Assertions.Expect(admin.Locator($"#devices tr[data-id='{id}'] .device-state")).ToHaveTextAsync("离线");
        Assert.Equal(0, await admin.Locator("#devices-offline").CountAsync());
        _app.Clock.Advance(TimeSpan.FromMinutes(20)); // 10:20 in Shanghai: working hours
        await admin.GotoAsync("/Admin/Devices");
        await Assertions.Expect(admin.Locator($"#devices-offline li[data-id='{id}']")).ToContainTextAsync("一号车间大屏");
        var box = (await admin.Locator("#devices-offline").BoundingBoxAsync())!;
        Assert.True(box.Y + box.Height <= 800, "the offline alert is below the screen");
        await BrowserFixture.ShotAsync(admin, "devices-offline-1280-zh");
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
