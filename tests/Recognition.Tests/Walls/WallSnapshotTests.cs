using Recognition.Tests.Support;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Features.Walls;

namespace Recognition.Tests.Walls;

/// <summary>The walls of a site open with one shared snapshot while nothing happens there.</summary>
public sealed class WallSnapshotTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Walls_share_a_snapshot_until_something_happens_at_the_site_or_it_is_five_seconds_old()
    {
        var snapshots = _app.Get<WallSnapshots>();
        var L = _app.Get<Microsoft.Extensions.Localization.IStringLocalizer<Recognition.Web.SharedResource>>();
        var first = await snapshots.GetAsync(_w.SiteId, null);
        Assert.Same(first, await snapshots.GetAsync(_w.SiteId, null)); // the next wall to load reads one number, not the cards
        Assert.NotSame(first, await snapshots.GetAsync(_w.SiteId, _w.TeamA)); // a team display has its own
        Assert.NotSame(first, await snapshots.GetAsync(_w.SiteB, null)); // and another site its own

        var award = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [_w.Alice], _w.Badges["mentor"], null,
            "你把夜班交接表改成了一页纸，交接时间少了一半。", "public", 0, Guid.NewGuid().ToString("N")), _app.Clock.UtcNow);
        var after = await snapshots.GetAsync(_w.SiteId, null);
        Assert.NotSame(first, after); // a new event at the site: read again
        Assert.Equal(award.Id, after.Cards[0].Id);
        Assert.Contains($"w-{award.Id}", after.Html("zh-CN", L).Cards);
        Assert.Same(after.Html("zh-CN", L).Cards, after.Html("zh-CN", L).Cards); // rendered once per language
        Assert.True((await _app.Get<Recognition.Web.Features.Social.Reactions>().SetAsync(award.Id!.Value, _w.Bob, _w.SiteId, "like", true, _app.Clock.UtcNow)).Ok);
        var reacted = await snapshots.GetAsync(_w.SiteId, null);
        Assert.NotSame(after, reacted); // a reaction changes what a card shows
        Assert.Equal(1, reacted.Cards[0].ReactionCounts["like"]);

        _app.Clock.Advance(WallSnapshots.MaxAge);
        Assert.NotSame(reacted, await snapshots.GetAsync(_w.SiteId, null)); // the boards' day turns, a name is corrected: at most 5 s old
    }
}
