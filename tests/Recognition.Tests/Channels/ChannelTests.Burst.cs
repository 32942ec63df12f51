using Recognition.Tests.Support;

namespace Recognition.Tests.Channels;

/// <summary>A burst of commits (reactions at a shift change) against the dispatcher's passes.</summary>
public sealed partial class ChannelTests
{
    [Fact]
    public async Task A_burst_of_commits_gets_a_few_dispatcher_passes_instead_of_a_cursor_write_after_each()
    {
        var id = await AwardAsync(_w.Alice, "你把夜班交接表改成了一页纸，交接时间少了一半。");
        async Task<bool> CaughtUp() => await DbProbe.ScalarAsync<long?>(_app.Db, "SELECT last_id FROM relay_cursors WHERE name = 'channels'")
            == await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MAX(id) FROM events");
        for (var i = 0; i < 100 && !await CaughtUp(); i++) await Task.Delay(100);

        // Twenty reactions, one every 40 ms: each commit wakes the dispatcher, and each pass that finds events moves its cursor
        // in a write of its own. One pass per Channels:BatchMilliseconds (250) takes them a few at a time.
        var commits = 0;
        _app.Get<Recognition.Web.Infrastructure.Data.Db>().Committed += () => Interlocked.Increment(ref commits);
        var reactions = _app.Get<Recognition.Web.Features.Social.Reactions>();
        foreach (var (person, kind) in new[] { _w.Bob, _w.Carol, _w.Dave, _w.Admin }.SelectMany(p => Recognition.Web.Features.Social.Reactions.Kinds.Select(k => (p, k))))
        {
            Assert.True((await reactions.SetAsync(id, person, _w.SiteId, kind, true, _app.Clock.UtcNow)).Ok);
            await Task.Delay(40);
        }
        for (var i = 0; i < 100 && !await CaughtUp(); i++) await Task.Delay(100);
        Assert.True(await CaughtUp());
        Assert.Equal(20, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM reactions"));
        Assert.InRange(commits, 20, 20 + 8); // the reactions' own, and at most a handful of cursor moves (one each: ~40)
    }
}
