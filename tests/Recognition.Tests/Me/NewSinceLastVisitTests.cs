using Recognition.Tests.Support;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Me;

/// <summary>Opening Me shows which items arrived since the last visit, then counts them as read.</summary>
public sealed class NewSinceLastVisitTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    [Fact]
    public async Task New_recognitions_and_claim_decisions_are_marked_once()
    {
        var old = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [_w.Bob], _w.Badges["mentor"], null,
            "你每天下班后多留半小时带新人练习扭矩扳手的校验。", "public", 0, Idempotency.NewKey()), _app.Clock.UtcNow);
        var bob = await Session.SignInAsync(_app, "E3");
        Assert.NotNull((await bob.GetDocAsync("/Me")).QuerySelector($"#r-{old.Id}.new")); // first visit: it is new
        Assert.Null((await bob.GetDocAsync("/Me")).QuerySelector($"#r-{old.Id}.new"));    // seen

        var fresh = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Alice, [_w.Bob], _w.Badges["mentor"], null,
            "谢谢你上周帮我顶了两个夜班，让我能陪家人去医院。", "public", 0, Idempotency.NewKey()), _app.Clock.UtcNow);
        var claim = await _app.Get<ClaimService>().SubmitAsync(new ClaimCommand(_w.Bob, _w.Rules["hazard_report"], "三号线地面有油，已放警示牌，请尽快清理。", null, null, Idempotency.NewKey()), _app.Clock.UtcNow);
        await _app.Get<ClaimService>().ApproveAsync(claim.Id!.Value, _w.SupB, null, false, _app.Clock.UtcNow);
        var me = await bob.GetDocAsync("/Me");
        Assert.Contains("2", me.QuerySelector("#me-new")!.TextContent);
        Assert.NotNull(me.QuerySelector($"#r-{fresh.Id}.new .new-pill"));
        Assert.Null(me.QuerySelector($"#r-{old.Id}.new"));
        Assert.NotNull(me.QuerySelector($"tr.new[data-claim='{claim.Id}']"));
        var again = await bob.GetDocAsync("/Me");
        Assert.Null(again.QuerySelector("#me-new"));
        Assert.Empty(again.QuerySelectorAll(".new"));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
