using System.Net;
using Recognition.Tests.Support;
using Recognition.Web.Features.Recognize;

namespace Recognition.Tests.Recognize;

public sealed class AwardConcurrencyTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app, crowd: 50);
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 1000);
    }

    [Fact]
    public async Task Twenty_identical_concurrent_posts_create_one_recognition()
    {
        var s = await Session.SignInAsync(_app, "E1");
        var doc = await s.GetDocAsync("/Recognize");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = doc.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["IdempotencyKey"] = doc.QuerySelector("input[name=IdempotencyKey]")!.GetAttribute("value")!,
            ["RecipientIds"] = _w.Bob.ToString(), ["BadgeId"] = _w.Badges["safety_star"].ToString(),
            ["Message"] = "你发现 3 号压机的光幕支架松动，立即停机挂牌。", ["Visibility"] = "public", ["PointsEach"] = "10",
        };
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => s.Client.PostAsync("/Recognize", new FormUrlEncodedContent(fields))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM recognitions");
        Assert.All(responses, r => Assert.Contains($"done={id}", r.Headers.Location!.OriginalString)); // every tap sees the same result
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions"));
        Assert.Equal(10, await DbProbe.BalanceAsync(_app.Db, _w.Bob));
        Assert.Equal(10, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT spent FROM allowances"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM events"));
    }

    [Fact]
    public async Task Fifty_concurrent_awards_from_one_giver_never_overspend_the_allowance()
    {
        var awards = _app.Get<AwardService>();
        var now = _app.Clock.UtcNow;
        var outcomes = await Task.WhenAll(_w.Crowd.Select(r => Task.Run(() => awards.AwardAsync(
            new AwardCommand(_w.Giver, [r], _w.Badges["mentor"], null, "你每天下班后多留半小时带新人练习扭矩扳手的校验。", "public", 5, Guid.NewGuid().ToString("N")), now))));
        Assert.Equal(20, outcomes.Count(o => o.Ok)); // 100 allowance / 5 points
        Assert.All(outcomes.Where(o => !o.Ok), o => Assert.Equal("Error.OverAllowance", o.Error));
        Assert.Equal(100, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT spent FROM allowances"));
        Assert.Equal(100, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT SUM(points) FROM points_ledger"));
        Assert.Equal(20, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions"));
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task Concurrent_awards_to_one_person_stop_at_the_share_cap()
    {
        var awards = _app.Get<AwardService>();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => awards.AwardAsync(
            new AwardCommand(_w.Giver, [_w.Bob], _w.Badges["mentor"], null, "你每天下班后多留半小时带新人练习扭矩扳手的校验。", "public", 5, Guid.NewGuid().ToString("N")), _app.Clock.UtcNow))));
        Assert.Equal(8, outcomes.Count(o => o.Ok)); // 40 % of 100 = 40 = 8 × 5
        Assert.Equal(40, await DbProbe.BalanceAsync(_app.Db, _w.Bob));
        Assert.Equal(40, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT spent FROM allowances"));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
