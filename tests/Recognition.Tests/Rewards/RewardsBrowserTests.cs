using Microsoft.Playwright;
using Recognition.Tests.Support;
using Recognition.Web.Features.Rewards;

namespace Recognition.Tests.Rewards;

/// <summary>
/// Rewards as people use them: the shop on a phone, big tiles at the kiosk (landscape and portrait) with the Redeem button
/// on screen, the keeper's queue and the printable slip, the admin's catalogue and report. axe and the CSP on every page;
/// screenshots in screenshots/rewards-*.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RewardsBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new(realPort: true);
    private World _w = null!;
    private readonly List<string> _violations = [];
    private long _mug;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        _mug = await RewardTests.ItemAsync(_app, _w, cost: 40, stock: 12, limit: 2);
        await RewardTests.ItemAsync(_app, _w, cost: 300, stock: null);
        var catalogue = _app.Get<RewardCatalogue>();
        var scope = new AdminScope(_w.Admin, _w.SiteId, Org: true);
        foreach (var (zh, en, cat, cost) in new[] { ("食堂代金券 20 元", "Canteen voucher ¥20", "voucher", 80), ("优先选班一周", "First pick of shifts for a week", "experience", 150), ("停车位一周", "Parking spot for a week", "experience", 120) })
        {
            Assert.True((await catalogue.SaveAsync(new RewardForm(null, 0, _w.SiteId, cat, zh, en, "凭领取码到行政前台领取。", "Collect at the front desk with your pickup code.", cost, true, 0,
                null, "month", true, null, null, true, null), scope, _app.Clock.UtcNow)).Ok);
        }
        foreach (var p in new[] { _w.Giver, _w.Alice }) await RewardTests.GrantAsync(_app, p, 260);
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task CheckAsync(IPage page, string url, string shot)
    {
        var res = await page.GotoAsync(url);
        Assert.True(res!.Ok, $"{url} → {res.Status}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await BrowserFixture.ShotAsync(page, "rewards-" + shot);
        _violations.AddRange(await Axe.ViolationsAsync(page));
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, $"{url} scrolls sideways at {page.ViewportSize!.Width} px");
    }

    [BrowserFact]
    public async Task The_shop_the_queue_the_slip_and_the_admin_pages_work_at_their_sizes_without_violations()
    {
        IPage? alice = null;
        foreach (var (login, locale, lang) in new[] { ("E1", "zh-CN", "zh"), ("E2", "en-US", "en") })
        {
            var phone = await browser.SignedInPageAsync(_app.ServerAddress, login, locale, 390, 844);
            await CheckAsync(phone, "/Rewards", $"shop-phone-{lang}");
            if (lang == "en")
            {
                // Redeem the mug from the phone: the order appears under "My orders", waiting for approval.
                await phone.FillAsync($"#reward-{_mug} input[name=quantity]", "2");
                await phone.ClickAsync($"#reward-{_mug} button");
                await phone.WaitForURLAsync("**/Rewards?done=*");
                Assert.Equal("pending", await phone.GetAttributeAsync("#my-orders tbody tr", "data-status"));
                Assert.Equal("180", await phone.TextContentAsync("#rewards-balance"));
                await BrowserFixture.ShotAsync(phone, "rewards-ordered-phone-en");
                alice = phone;
            }
        }
        var admin = await browser.SignedInPageAsync(_app.ServerAddress, "A1", "zh-CN", 1280, 900);
        await CheckAsync(admin, "/Rewards/Queue", "queue-zh");
        await admin.ClickAsync("#open-orders button.approve");
        await admin.WaitForSelectorAsync("#queue-message");
        await admin.ClickAsync("#open-orders button.primary");
        await admin.WaitForSelectorAsync("#open-orders tr[data-status=ready]");
        await BrowserFixture.ShotAsync(admin, "rewards-queue-ready-zh");
        // Alice, still on her phone, gets a live toast that leads to her orders.
        var toast = await alice!.WaitForSelectorAsync(".toast", new() { Timeout = 10_000 });
        Assert.Contains("ready to pick up", await toast!.TextContentAsync());
        Assert.EndsWith("/Rewards#orders", await toast.GetAttributeAsync("href"));
        await BrowserFixture.ShotAsync(alice, "rewards-toast-phone-en");
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM reward_orders");
        await CheckAsync(admin, $"/Rewards/Slip?id={id}", "slip-zh");
        await admin.EmulateMediaAsync(new() { Media = Media.Print });
        await BrowserFixture.ShotAsync(admin, "rewards-slip-print-zh");
        await admin.EmulateMediaAsync(new() { Media = Media.Screen });
        foreach (var (url, name) in new[] { ("/Admin/Rewards", "admin"), ($"/Admin/Rewards/Item?id={_mug}", "item"), ("/Admin/Rewards/Item", "new-item"), ("/Admin/Rewards/Report", "report") })
        {
            await CheckAsync(admin, url, $"{name}-zh");
        }
        // The counter scans the slip (a scanner types the QR's text and Enter).
        await admin.GotoAsync("/Rewards/Queue");
        var code = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT pickup_code FROM reward_orders");
        await admin.FocusAsync("#pickup-code");
        await admin.Keyboard.TypeAsync("RCG:PICKUP:" + code);
        await admin.Keyboard.PressAsync("Enter");
        await admin.WaitForSelectorAsync("#queue-message");
        Assert.Equal("handed_over", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM reward_orders"));
        Assert.Empty(_violations);
        Assert.Empty(browser.CspViolations);
    }

    [BrowserFact]
    public async Task At_the_kiosk_the_tiles_and_the_redeem_button_fit_the_screen_in_both_orientations()
    {
        foreach (var (w, h) in new[] { (1280, 800), (1080, 1920) })
        {
            var code = await Kiosk.KioskTests.PairCodeAsync(_app, _w, locale: "zh-CN");
            var kiosk = await browser.NewPageAsync(_app.ServerAddress, w, h, "zh-CN");
            await kiosk.GotoAsync($"/pair?code={code}");
            await kiosk.ClickAsync("#pair-submit");
            await kiosk.WaitForURLAsync("**/kiosk");
            await BrowserFixture.ScanAsync(kiosk, "B-E1");
            await BrowserFixture.ShotAsync(kiosk, $"rewards-kiosk-home-{w}");
            await kiosk.ClickAsync("#go-rewards");
            await kiosk.WaitForURLAsync("**/kiosk/rewards");
            await CheckAsync(kiosk, "/kiosk/rewards", $"kiosk-tiles-{w}");
            var tile = (await kiosk.Locator($"#kiosk-reward-{_mug}").BoundingBoxAsync())!;
            Assert.True(tile.Height >= 180 && tile.Width >= 200, $"tile {tile.Width}×{tile.Height} at {w}");
            await kiosk.ClickAsync($"#kiosk-reward-{_mug}");
            await kiosk.WaitForSelectorAsync("#kiosk-redeem-button");
            await BrowserFixture.ShotAsync(kiosk, $"rewards-kiosk-item-{w}");
            _violations.AddRange(await Axe.ViolationsAsync(kiosk));
            var button = (await kiosk.Locator("#kiosk-redeem-button").BoundingBoxAsync())!;
            Assert.True(button.Y + button.Height <= h, $"Redeem button below the fold at {w}×{h}: {button.Y + button.Height}");
            Assert.True(button.Height >= 56, $"Redeem button {button.Height} px tall");
            await kiosk.ClickAsync("#kiosk-redeem-button");
            await kiosk.WaitForSelectorAsync("#kiosk-thanks");
            await BrowserFixture.ShotAsync(kiosk, $"rewards-kiosk-thanks-{w}");
        }
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM reward_orders WHERE employee_id = @id", new { id = _w.Giver }));
        Assert.Equal(260 - 80, await DbProbe.BalanceAsync(_app.Db, _w.Giver));
        Assert.Empty(_violations);
        Assert.Empty(browser.CspViolations);
    }
}
