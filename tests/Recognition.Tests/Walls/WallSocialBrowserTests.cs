using Microsoft.Playwright;
using Recognition.Tests.Support;
using Recognition.Web.Features.Devices;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Walls;

/// <summary>The social loop live in the browser: reactions, celebrations, the feed and toasts.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WallSocialBrowserTests(BrowserFixture browser) : WallBrowserBase(browser)
{
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
        var kiosk = await Browser.NewPageAsync(_app.ServerAddress, 1280, 800);
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
    public async Task A_signed_in_recipient_gets_a_toast_and_their_unread_count_goes_up()
    {
        var bob = await Browser.NewPageAsync(_app.ServerAddress);
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
    public async Task The_feed_shows_new_public_cards_on_top_without_a_reload_and_catches_up_after_a_server_restart()
    {
        var page = await Browser.SignedInPageAsync(_app.ServerAddress, "E3", "en-US", 390, 844);
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
}
