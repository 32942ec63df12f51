using Microsoft.Playwright;
using Recognition.Tests.Support;

namespace Recognition.Tests.Recognize;

[Collection(BrowserCollection.Name)]
public sealed class RecognizeBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new(realPort: true);
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    private Task<IPage> SignedInPage(string login, string locale = "zh-CN") => browser.SignedInPageAsync(_app.ServerAddress, login, locale);

    [BrowserFact]
    public async Task Pages_keep_to_the_csp_without_inline_styles_and_badge_colours_still_show()
    {
        var page = await SignedInPage("E1");
        browser.CspViolations.Clear();
        foreach (var url in new[] { "/Recognize", "/Me", $"/People/{_w.Bob}", "/" })
        {
            await page.GotoAsync(url);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        await page.GotoAsync("/Recognize");
        var colour = await page.EvalOnSelectorAsync<string>(".badge-icon", "e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual("rgba(0, 0, 0, 0)", colour); // painted from data-color by script
        await page.FillAsync("#people-search", "刘"); // htmx swaps content in
        await page.WaitForSelectorAsync($"[data-person-id='{_w.Bob}']");
        Assert.True(browser.CspViolations.Count == 0, string.Join("\n", browser.CspViolations));
    }

    [BrowserFact]
    public async Task The_counter_counts_what_the_server_counts_and_emoji_are_never_cut()
    {
        var page = await SignedInPage("E1", "en-US");
        await page.GotoAsync("/Recognize");
        var rules = new Recognition.Web.Domain.RulesOptions();
        foreach (var text in new[] { new string('\u200B', 30) + "好", "👍🏽" + string.Concat(Enumerable.Repeat("𠀀", 300)), "a\u202Eb 👩\u200D🔧 做得好" })
        {
            await page.FillAsync("#message", text);
            var shown = await page.TextContentAsync("#message-count");
            var clean = Recognition.Web.Domain.MessageRules.Clean(text);
            var weighted = Recognition.Web.Domain.MessageRules.WeightedLength(clean, rules.CjkWeight);
            var length = Recognition.Web.Domain.MessageRules.Length(clean);
            Assert.StartsWith(length > rules.MessageMaxLength ? $"{length} / " : $"{weighted} / ", shown);
            Assert.Equal(text, await page.InputValueAsync("#message")); // no maxlength cutting surrogate pairs
        }
    }

    [BrowserFact]
    public async Task A_person_recognises_a_colleague_through_the_real_page()
    {
        var page = await SignedInPage("E1");
        await page.ClickAsync("a[href='/Recognize']");
        await page.FillAsync("#people-search", "刘");
        await page.ClickAsync($"[data-person-id='{_w.Bob}']");
        await page.WaitForSelectorAsync($"#chosen [data-chip='{_w.Bob}']");
        await page.CheckAsync($"input[name=BadgeId][value='{_w.Badges["customer_guardian"]}']");
        await page.FillAsync("#message", "你在给客户的汇报里加了两张对比表，客户当场续签了订单。");
        await page.CheckAsync("input[name=PointsEach][value='20']");
        await BrowserFixture.ShotAsync(page, "recognize-form-zh");
        // A double click on submit still makes one recognition.
        await page.DblClickAsync("#award-submit");
        await page.WaitForSelectorAsync("#award-done");
        await BrowserFixture.ShotAsync(page, "recognize-done-zh");
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions"));
        Assert.Equal(20, await DbProbe.BalanceAsync(_app.Db, _w.Bob));

        var bob = await SignedInPage("E3");
        await bob.GotoAsync("/Me");
        await Assertions.Expect(bob.Locator(".rcard .message").First).ToContainTextAsync("两张对比表");
        await BrowserFixture.ShotAsync(bob, "me-zh");
    }

    [BrowserFact]
    public async Task A_refused_award_shows_the_reason_in_english_and_keeps_what_was_typed()
    {
        var page = await SignedInPage("E2", "en-US"); // Alice reads English
        await page.GotoAsync("/Recognize");
        await page.FillAsync("#people-search", "carol");
        await page.ClickAsync($"[data-person-id='{_w.Carol}']");
        await page.CheckAsync($"input[name=BadgeId][value='{_w.Badges["bright_idea"]}']");
        await page.FillAsync("#message", "good job");
        await page.ClickAsync("#award-submit");
        await Assertions.Expect(page.Locator("#award-error")).ToContainTextAsync("Please be more specific");
        await Assertions.Expect(page.Locator("#message")).ToHaveValueAsync("good job");
        await Assertions.Expect(page.Locator($"#chosen [data-chip='{_w.Carol}']")).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "recognize-error-en");
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions"));
    }

    [BrowserFact]
    public async Task Enter_in_the_people_search_searches_instead_of_sending_the_form()
    {
        var page = await SignedInPage("E1");
        await page.GotoAsync("/Recognize");
        await page.FillAsync("#people-search", "刘");
        await page.PressAsync("#people-search", "Enter");
        await page.WaitForSelectorAsync($"#people-results [data-person-id='{_w.Bob}']");
        Assert.Null(await page.QuerySelectorAsync("#award-error"));
        Assert.EndsWith("/Recognize", new Uri(page.Url).AbsolutePath);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions"));
    }

    [BrowserFact]
    public async Task The_message_counter_counts_like_the_server_and_the_confirmation_says_what_was_sent()
    {
        var page = await SignedInPage("E2", "en-US"); // Jing Chen reads English
        await page.GotoAsync("/Recognize");
        await page.FillAsync("#message", "做得好");
        await Assertions.Expect(page.Locator("#message-count")).ToHaveTextAsync("6 / at least 20");
        // 250 emoji are 250 characters (the old maxlength cut them to 125); 501 are too long.
        await page.FillAsync("#message", string.Concat(Enumerable.Repeat("👍", 501)));
        await Assertions.Expect(page.Locator("#message-count")).ToHaveTextAsync("501 / at most 500: too long");
        await page.FillAsync("#people-search", "Qiang");
        await page.ClickAsync($"[data-person-id='{_w.Bob}']");
        await page.WaitForSelectorAsync($"#chosen [data-chip='{_w.Bob}']");
        await page.CheckAsync($"input[name=BadgeId][value='{_w.Badges["mentor"]}']");
        const string message = "You stayed late every day this week to coach the two new hires on the press.";
        await page.FillAsync("#message", message);
        await Assertions.Expect(page.Locator("#message-count")).ToHaveTextAsync($"{message.Length} / 20–500");
        await page.CheckAsync("input[name=PointsEach][value='10']");
        await page.ClickAsync("#award-submit");
        await Assertions.Expect(page.Locator("#award-done")).ToContainTextAsync("Sent: you recognised Qiang Liu · Mentor · 10 points each.");
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
