using Recognition.Tests.Support;

namespace Recognition.Tests.Browser;

/// <summary>
/// The top bar as people meet it: on a 390 px phone the sections are a menu that opens as a list inside the screen
/// (nothing cut off at the edge); at 1366 px in English the admin's bar keeps to one line, the leaders' and HR's pages
/// in two small menus. Screenshots: screenshots/nav-*.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NavigationBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new(realPort: true);

    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    [BrowserFact]
    public async Task On_a_phone_the_sections_open_as_a_menu_that_fits_the_screen()
    {
        foreach (var locale in new[] { "zh-CN", "en-US" })
        {
            var page = await browser.SignedInPageAsync(_app.ServerAddress, "S1", locale, 390, 844);
            Assert.False(await page.IsVisibleAsync("#main-nav"));
            Assert.True(await page.IsVisibleAsync("#menu-toggle"));
            var bar = (await page.Locator(".topbar").BoundingBoxAsync())!;
            Assert.True(bar.Height <= 70, $"top bar {bar.Height} px tall with the menu closed ({locale})");

            await page.ClickAsync("#menu-toggle");
            Assert.Equal("true", await page.GetAttributeAsync("#menu-toggle", "aria-expanded"));
            var links = page.Locator("#main-nav a");
            var count = await links.CountAsync();
            Assert.True(count >= 8, $"{count} links in the menu");
            for (var i = 0; i < count; i++)
            {
                var link = links.Nth(i);
                Assert.True(await link.IsVisibleAsync(), $"{await link.GetAttributeAsync("href")} hidden in the open menu ({locale})");
                var box = (await link.BoundingBoxAsync())!;
                Assert.True(box.X >= 0 && box.X + box.Width <= 390 && box.Y + box.Height <= 844, $"{await link.GetAttributeAsync("href")} at {box.X},{box.Y} {box.Width}×{box.Height} is outside the phone's screen ({locale})");
            }
            var wide = await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth");
            Assert.True(wide <= 390, $"the page is {wide} px wide on a 390 px phone ({locale})");
            await BrowserFixture.ShotAsync(page, $"nav-phone-open-{locale}");

            await page.ClickAsync("#main-nav a[href='/Supervisor/Team']");
            await page.WaitForURLAsync("**/Supervisor/Team");
            Assert.False(await page.IsVisibleAsync("#main-nav"));
        }
    }

    [BrowserFact]
    public async Task At_1366_px_in_English_the_admins_bar_is_one_line_and_its_pages_are_one_click_away()
    {
        foreach (var locale in new[] { "en-US", "zh-CN" })
        {
            var page = await browser.SignedInPageAsync(_app.ServerAddress, "A1", locale, 1366, 768);
            if (await page.GetAttributeAsync("html", "lang") != locale)
            {
                await page.ClickAsync("#lang-switch"); // the admin reads Chinese; the English bar is the longer one
                await page.WaitForSelectorAsync($"html[lang='{locale}']");
            }
            Assert.False(await page.IsVisibleAsync("#menu-toggle"));
            var tops = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('#main-nav > a, #main-nav > details > summary')].map(e => Math.round(e.getBoundingClientRect().top))");
            Assert.True(tops.Length >= 6, $"{tops.Length} items in the bar");
            Assert.True(tops.Distinct().Count() == 1, $"the bar's items are on {tops.Distinct().Count()} lines at 1366 px ({locale})");
            var bar = (await page.Locator(".topbar").BoundingBoxAsync())!;
            Assert.True(bar.Height <= 70, $"top bar {bar.Height} px tall at 1366 px ({locale})");

            Assert.False(await page.IsVisibleAsync("#nav-admin a[href='/Admin/Devices']"));
            await page.ClickAsync("#nav-admin summary");
            var devices = page.Locator("#nav-admin a[href='/Admin/Devices']");
            Assert.True(await devices.IsVisibleAsync());
            var box = (await devices.BoundingBoxAsync())!;
            Assert.True(box.X + box.Width <= 1366 && box.Y + box.Height <= 768, $"the admin menu's link is outside the screen ({locale})");
            await BrowserFixture.ShotAsync(page, $"nav-admin-1366-{locale}");
            // A click elsewhere closes the menu; the page it leads to is marked as the current one.
            await page.ClickAsync("main");
            Assert.False(await devices.IsVisibleAsync());
            await page.ClickAsync("#nav-admin summary");
            await devices.ClickAsync();
            await page.WaitForURLAsync("**/Admin/Devices");
            Assert.Equal("page", await page.GetAttributeAsync("#nav-admin a[href='/Admin/Devices']", "aria-current"));
        }
    }

    [BrowserFact]
    public async Task A_new_plant_sees_what_will_appear_and_the_next_step_where_nothing_happened_yet()
    {
        var admin = await browser.SignedInPageAsync(_app.ServerAddress, "A1", "zh-CN", 1280, 800);
        foreach (var (url, id, link) in new[] { ("/", "#home-empty", "/Recognize"), ("/Admin", "#admin-recent-empty", "/Admin/People"), ("/Admin/Rewards", "#reward-list-empty", null) })
        {
            await admin.GotoAsync(url);
            var empty = admin.Locator(id);
            Assert.True(await empty.IsVisibleAsync(), $"{url}: no empty state");
            var box = (await empty.BoundingBoxAsync())!;
            Assert.True(box.Y + box.Height <= 800, $"{url}: the empty state is below the screen");
            if (link is not null) Assert.Equal(1, await empty.Locator($"a[href='{link}']").CountAsync());
            Assert.Equal(0, await admin.Locator("th:empty").CountAsync()); // no headers over nothing
            await BrowserFixture.ShotAsync(admin, "empty" + url.Replace('/', '-'));
        }
        Assert.Equal(0, await admin.Locator("#reward-list").CountAsync());

        var code = await Kiosk.KioskTests.PairCodeAsync(_app, _w);
        var kiosk = await browser.NewPageAsync(_app.ServerAddress, 1280, 800);
        await kiosk.GotoAsync($"/pair?code={code}");
        await kiosk.ClickAsync("#pair-submit");
        await kiosk.WaitForURLAsync("**/kiosk");
        Assert.True(await kiosk.IsVisibleAsync("#kiosk-feed-empty"));
        await BrowserFixture.ShotAsync(kiosk, "empty-kiosk-1280");
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
