using Microsoft.Playwright;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Devices;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Walls;

[Collection(BrowserCollection.Name)]
public sealed class WallBrowserTests(BrowserFixture browser) : WallBrowserBase(browser)
{
    [BrowserFact]
    public async Task A_recognition_given_in_one_browser_appears_on_the_wall_within_two_seconds()
    {
        var wall = await PairedWallAsync();
        var requests = new List<string>();
        wall.Request += (_, r) => requests.Add(r.Url);
        var giver = await Browser.NewPageAsync(_app.ServerAddress);
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
            Assert.True(Browser.CspViolations.All(v => !v.Contains("/walls/", StringComparison.Ordinal)), string.Join("\n", Browser.CspViolations));
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
    public async Task The_admin_sees_each_wall_connected_with_its_screen_and_version_renames_it_sends_reload_and_is_told_when_it_stays_offline()
    {
        var wall = await PairedWallAsync();
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MAX(id) FROM devices WHERE kind = 'display'");
        var admin = await Browser.SignedInPageAsync(_app.ServerAddress, "A1", "zh-CN", 1280, 800);
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
}
