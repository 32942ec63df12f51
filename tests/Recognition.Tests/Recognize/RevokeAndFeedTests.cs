using System.Net;
using Recognition.Tests.Support;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Recognize;

public sealed class RevokeAndFeedTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    private async Task<long> Give(long to, string visibility, int points = 10, string text = "你把交接单重新设计了，换班时缺料一目了然。")
    {
        var o = await _app.Get<AwardService>().AwardAsync(
            new AwardCommand(_w.Giver, [to], _w.Badges["cross_team_star"], null, text, visibility, points, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    [Fact]
    public async Task An_admin_revokes_with_a_reason_the_points_are_reversed_and_it_leaves_the_feeds()
    {
        var id = await Give(_w.Bob, "public", 20);
        var admin = await Session.SignInAsync(_app, "A1");
        var noReason = await admin.PostFormAsync("/Admin?handler=Revoke", new() { ["id"] = id.ToString(), ["reason"] = "x" }, formPage: "/Admin");
        Assert.Equal("请填写至少 5 个字的原因。", (await Session.Doc(noReason)).QuerySelector("#admin-error")!.TextContent);
        Assert.Equal("active", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM recognitions"));

        var res = await admin.PostFormAsync("/Admin?handler=Revoke", new() { ["id"] = id.ToString(), ["reason"] = "重复提交，误操作撤回" }, formPage: "/Admin");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("revoked", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM recognitions"));
        Assert.Equal(0, await DbProbe.BalanceAsync(_app.Db, _w.Bob));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM points_ledger WHERE reverses_id IS NOT NULL"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM events WHERE kind = 'recognition.revoked' AND subject_id = @id", new { id }));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'recognition.revoked' AND actor_id = @a", new { a = _w.Admin }));
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);

        var again = await admin.PostFormAsync("/Admin?handler=Revoke", new() { ["id"] = id.ToString(), ["reason"] = "再撤一次试试看" }, formPage: "/Admin");
        Assert.Equal("这条认可已经被撤销了。", (await Session.Doc(again)).QuerySelector("#admin-error")!.TextContent);

        var bob = await Session.SignInAsync(_app, "E3");
        Assert.Null((await bob.GetDocAsync("/Feed")).QuerySelector($"#r-{id}"));
        Assert.NotNull((await bob.GetDocAsync("/Me")).QuerySelector($"#r-{id}.revoked")); // it stays in their own history, marked
    }

    [Fact]
    public async Task Only_admins_can_revoke()
    {
        var id = await Give(_w.Bob, "public");
        var sup = await Session.SignInAsync(_app, "S1");
        var res = await sup.PostFormAsync("/Admin?handler=Revoke", new() { ["id"] = id.ToString(), ["reason"] = "主管无权撤销" }, formPage: "/Recognize");
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
        Assert.Equal("active", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM recognitions"));
    }

    [Fact]
    public async Task Private_and_team_recognitions_stay_out_of_the_site_feed_and_public_profile()
    {
        var pub = await Give(_w.Bob, "public");
        var team = await Give(_w.Bob, "team");
        var priv = await Give(_w.Bob, "private");
        var alice = await Session.SignInAsync(_app, "E2"); // team A; Bob is team B
        var site = await alice.GetDocAsync("/Feed");
        Assert.NotNull(site.QuerySelector($"#r-{pub}"));
        Assert.Null(site.QuerySelector($"#r-{team}"));
        Assert.Null(site.QuerySelector($"#r-{priv}"));
        var profile = await alice.GetDocAsync($"/People/{_w.Bob}");
        Assert.NotNull(profile.QuerySelector($"#r-{pub}"));
        Assert.Null(profile.QuerySelector($"#r-{team}"));
        Assert.Null(profile.QuerySelector($"#r-{priv}"));

        var carol = await Session.SignInAsync(_app, "E4"); // Bob's team mate
        var teamFeed = await carol.GetDocAsync("/Feed?scope=team");
        Assert.NotNull(teamFeed.QuerySelector($"#r-{team}"));
        Assert.Null(teamFeed.QuerySelector($"#r-{priv}"));

        var bob = await Session.SignInAsync(_app, "E3");
        var me = await bob.GetDocAsync("/Me");
        Assert.NotNull(me.QuerySelector($"#r-{priv}"));
    }

    [Fact]
    public async Task The_feed_pages_newest_first_and_htmx_gets_only_the_next_page()
    {
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE allowances SET budget = 10000", null, t));
        var ids = new List<long>();
        for (var i = 0; i < 25; i++)
        {
            _app.Clock.Advance(TimeSpan.FromHours(3)); // the daily cap is 10
            ids.Add(await Give(i % 2 == 0 ? _w.Bob : _w.Carol, "public", 0));
        }
        var s = await Session.SignInAsync(_app, "E2");
        var first = await s.GetDocAsync("/Feed");
        var shown = first.QuerySelectorAll(".rcard").Select(e => long.Parse(e.GetAttribute("data-id")!)).ToList();
        Assert.Equal(ids.AsEnumerable().Reverse().Take(20), shown);
        var more = first.QuerySelector("#feed-more")!.GetAttribute("hx-get")!;
        var req = new HttpRequestMessage(HttpMethod.Get, more);
        req.Headers.Add("HX-Request", "true");
        var partial = await s.Client.SendAsync(req);
        var html = await partial.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", html);
        Assert.Contains("HX-Request", partial.Headers.Vary);
        var rest = (await Session.Doc(partial)).QuerySelectorAll(".rcard").Select(e => long.Parse(e.GetAttribute("data-id")!)).ToList();
        Assert.Equal(ids.Take(5).Reverse(), rest);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
