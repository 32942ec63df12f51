using System.Net;
using AngleSharp.Html.Dom;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Features.Social;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Social;

/// <summary>Add-on points and recognising several people or a whole team, through the real app and database.</summary>
public sealed class AddOnTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 100);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<long> GiveAsync(long[] to, string visibility, string message, int points = 5)
    {
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, to, _w.Badges["mentor"], null, message, visibility, points, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    private static Task<HttpResponseMessage> AddAsync(Session s, long id, int points, string? message = null, string? key = null)
    {
        var form = new Dictionary<string, string> { ["AddPoints"] = points.ToString(), ["AddMessage"] = message ?? "" };
        if (key is not null) form["Key"] = key;
        return s.PostFormAsync($"/r/{id}?handler=AddOn", form, formPage: $"/r/{id}");
    }

    private static async Task ScanAsync(Session kiosk) =>
        Assert.Equal("/kiosk/home", (await kiosk.PostFormAsync("/kiosk?handler=Scan", new() { ["code"] = "B-E1" }, formPage: "/kiosk")).Headers.Location!.OriginalString);

    private Task<int> SpentAsync(long who) => DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COALESCE(SUM(spent), 0) FROM allowances WHERE employee_id = {who}");

    [Fact]
    public async Task Someone_with_allowance_adds_points_to_a_public_recognition_once_per_press_and_revoking_takes_them_back()
    {
        var open = await GiveAsync([_w.Alice, _w.Dave], "public", "你们俩把夜班交接表改成了一页纸，交接时间少了一半。");
        var team = await GiveAsync([_w.Dave], "team", "班组内部：这次换模你只用了十一分钟，比标准快了四分钟。");
        var bob = await Session.SignInAsync(_app, "E3");

        // Bob sees the form (he neither gave nor received it) and adds 10 for each of the two, with a word. Pressed twice: once.
        var page = await bob.GetDocAsync($"/r/{open}");
        Assert.NotNull(page.QuerySelector("#addon form"));
        var key = ((IHtmlInputElement)page.QuerySelector("#addon input[name=Key]")!).Value;
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(bob, open, 10, "我们班也受益了", key)).StatusCode);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognition_addons"));
        Assert.Equal(15, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(20, await DbProbe.BalanceAsync(_app.Db, _w.Dave)); // 5 + 5 of the team recognition + 10
        Assert.Equal(20, await SpentAsync(_w.Bob));
        // Earned points: they count where recognition points count (the month's bucket), and the two are told.
        Assert.Equal(15, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT points FROM person_month_points WHERE employee_id = {_w.Alice}"));
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM notifications WHERE kind = 'addon'"));

        // The card says who added what, on the feed and on the recognition page (with the word), in the reader's language.
        var jing = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        var feed = await jing.GetDocAsync("/Feed");
        Assert.Equal("+10 from Qiang Liu", feed.QuerySelector($"#r-{open} .addon")!.TextContent.Trim());
        Assert.Null(feed.QuerySelector($"#r-{open} .addon-link")); // her own recognition: no "add points"
        Assert.Contains("我们班也受益了", (await jing.GetDocAsync($"/r/{open}")).QuerySelector(".addon-notes")!.TextContent);
        Assert.Null((await jing.GetDocAsync($"/r/{open}")).QuerySelector("#addon form"));

        // Refusals, each in the person's language, writing nothing: their own recognition, a step the site does not have,
        // a team recognition, another team's (not visible), another site's, a word that is too long.
        var own = await AddAsync(jing, open, 10);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, own.StatusCode);
        Assert.Contains("cannot add points", (await Session.Doc(own)).QuerySelector("#addon-error")!.TextContent);
        var odd = await AddAsync(bob, open, 7);
        Assert.Contains("积分只能选择：5, 10, 20, 50", (await Session.Doc(odd)).QuerySelector("#addon-error")!.TextContent);
        var carolSession = await Session.SignInAsync(_app, "E5");
        var teamOnly = await carolSession.PostFormAsync($"/r/{team}?handler=AddOn", new() { ["AddPoints"] = "10" }, formPage: $"/r/{open}");
        Assert.Contains("只能为公开的认可追加积分", (await Session.Doc(teamOnly)).QuerySelector("#addon-error")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostFormAsync($"/r/{team}?handler=AddOn", new() { ["AddPoints"] = "10" }, formPage: $"/r/{open}")).StatusCode);
        var siteB = await Session.SignInAsync(_app, "EB1");
        Assert.Equal(HttpStatusCode.NotFound, (await siteB.PostFormAsync($"/r/{open}?handler=AddOn", new() { ["AddPoints"] = "10" }, formPage: "/Feed")).StatusCode);
        var chatty = await AddAsync(bob, open, 10, new string('好', AddOns.MessageMax + 1));
        Assert.Contains(AddOns.MessageMax.ToString(), (await Session.Doc(chatty)).QuerySelector("#addon-error")!.TextContent);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognition_addons"));
        Assert.Equal(20, await SpentAsync(_w.Bob));

        // Revoking the recognition reverses the add-on too: both back to zero, the ledger keeps every entry.
        Assert.True((await _app.Get<RevokeService>().RevokeAsync(open, new Recognition.Web.Domain.AdminScope(_w.Admin, _w.SiteId, Org: false), "写错了收件人", null, _app.Clock.UtcNow)).Ok);
        Assert.Equal(0, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(5, await DbProbe.BalanceAsync(_app.Db, _w.Dave)); // the team recognition stays
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM points_ledger WHERE kind = 'reversal' AND source_type = 'addon'"));
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT points FROM person_month_points WHERE employee_id = {_w.Alice}"));
    }

    [Fact]
    public async Task Parallel_add_ons_over_budget_never_spend_more_than_the_allowance_and_the_ledger_agrees()
    {
        await _app.SetPolicyAsync(r => { r.DailyRecognitionCap = 100; r.MonthlyAllowance = 50; r.MaxSharePercentToOnePerson = 100; });
        var ids = new List<long>();
        for (var i = 0; i < 8; i++) ids.Add(await GiveAsync([i % 2 == 0 ? _w.Alice : _w.Dave], "public", $"第 {i + 1} 次：你把工装夹具的定位销换成了快换式，换型快多了。", points: 0));
        var addOns = _app.Get<AddOns>();
        var results = await Task.WhenAll(ids.Select(id => addOns.AddAsync(id, _w.Bob, _w.SiteId, 20, null, Idempotency.NewKey(), _app.Clock.UtcNow)));
        Assert.Equal(2, results.Count(r => r.Ok)); // 2 × 20 fits in 50; a third would not
        Assert.All(results.Where(r => !r.Ok), r => Assert.Equal("Error.OverAllowance", r.Error));
        Assert.Equal(40, await SpentAsync(_w.Bob));
        Assert.Equal(40, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT SUM(points) FROM points_ledger WHERE source_type = 'addon'"));
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognition_addons"));
        Assert.Equal(40, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT SUM(balance) FROM point_balances WHERE employee_id IN ({_w.Alice}, {_w.Dave})"));
    }

    [Fact]
    public async Task A_whole_team_in_one_recognition_at_the_kiosk_is_one_card_with_points_for_each_within_the_caps()
    {
        // Wang Wei (E1, team A) thanks the whole team at the kiosk: one recognition, a recipient row and 5 points for each
        // active member but himself (Alice, Dave, the supervisor), never the person who left.
        var kiosk = Session.Anonymous(_app, "zh-CN");
        await kiosk.PostFormAsync("/pair", new() { ["Code"] = await Kiosk.KioskTests.PairCodeAsync(_app, _w) });
        await ScanAsync(kiosk);
        var page = await kiosk.GetDocAsync("/kiosk/recognize");
        Assert.NotNull(page.QuerySelector("input[name=WholeTeam]"));
        var res = await kiosk.PostFormAsync("/kiosk/recognize", new()
        {
            ["WholeTeam"] = "true", ["BadgeId"] = _w.Badges["mentor"].ToString(), ["PointsEach"] = "5",
            ["Message"] = "今天全班组一起把三号线的换型时间压到了二十分钟以内。",
        });
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var recipients = (await DbProbe.QueryAsync<long>(_app.Db, "SELECT employee_id FROM recognition_recipients ORDER BY employee_id")).ToList();
        Assert.Equal(new[] { _w.SupA, _w.Alice, _w.Dave }.Order(), recipients);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions"));
        foreach (var p in recipients) Assert.Equal(5, await DbProbe.BalanceAsync(_app.Db, p));
        Assert.Equal(15, await SpentAsync(_w.Giver));
        // Each recipient's history has it; the wall gets one card naming all three.
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM events WHERE kind = 'recognition.created'"));
        var dave = await Session.SignInAsync(_app, "E5");
        Assert.NotNull((await dave.GetDocAsync("/Me")).QuerySelector(".rcard"));

        // Over the allowance's per-person share or the site's recipient limit: a clear refusal, nothing written.
        await _app.SetPolicyAsync(r => { r.DailyRecognitionCap = 100; r.MaxRecipients = 2; });
        await ScanAsync(kiosk);
        var tooMany = await kiosk.PostFormAsync("/kiosk/recognize", new()
        {
            ["WholeTeam"] = "true", ["BadgeId"] = _w.Badges["mentor"].ToString(), ["PointsEach"] = "5",
            ["Message"] = "再一次：全班组一起把三号线的换型时间压到了二十分钟以内。",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
        Assert.Contains("2", (await Session.Doc(tooMany)).QuerySelector("#kiosk-error")!.TextContent);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions"));

        // A tap that names a reaction outside the set is refused on the screen; a card that does not exist is a 404.
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM recognitions"); // Wang Wei is still signed in after the refusal
        var odd = await kiosk.PostFormAsync("/kiosk/home?handler=React", new() { ["id"] = id.ToString(), ["pick"] = "thumbs-down:on" }, formPage: "/kiosk/home");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, odd.StatusCode);
        Assert.Contains("没有这种回应", (await Session.Doc(odd)).QuerySelector("#kiosk-error")!.TextContent);
        var missing = await kiosk.PostFormAsync("/kiosk/home?handler=React", new() { ["id"] = "999999", ["pick"] = "like:on" }, formPage: "/kiosk/home");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM reactions"));
    }

    [Fact]
    public async Task Everyone_in_a_team_at_the_office_comes_as_chips_of_that_team_at_the_site_only()
    {
        var wei = await Session.SignInAsync(_app, "E1");
        var page = await wei.GetDocAsync("/Recognize");
        Assert.NotNull(page.QuerySelector($"#whole-team option[value='{_w.TeamB}']"));
        Assert.Null(page.QuerySelector($"#whole-team option[value='{_w.TeamC}']")); // the other site's team is not offered
        var chips = await wei.GetDocAsync($"/Recognize?handler=Team&teamId={_w.TeamB}");
        Assert.Equal(new[] { _w.SupB, _w.Bob, _w.Carol }.Order(), chips.QuerySelectorAll("input[name=RecipientIds]").Select(i => long.Parse(i.GetAttribute("value")!)).Order());
        // Another site's team gives nobody; his own team leaves him out.
        Assert.Empty((await wei.GetDocAsync($"/Recognize?handler=Team&teamId={_w.TeamC}")).QuerySelectorAll(".chip"));
        Assert.DoesNotContain(_w.Giver.ToString(), (await wei.GetDocAsync($"/Recognize?handler=Team&teamId={_w.TeamA}")).QuerySelectorAll("input[name=RecipientIds]").Select(i => i.GetAttribute("value")));
    }
}
