using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Insights;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Insights;

/// <summary>A rebuild writes the difference from what is stored, in short transactions, and ends where a build from nothing ends.</summary>
public sealed class RollupWriteTests : IAsyncLifetime
{
    private readonly AppFactory _app = new(new() { ["Insights:RowsPerWrite"] = "3" });
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app, crowd: 12);
        await _app.SetPolicyAsync(r => { r.DailyRecognitionCap = 1000; r.MonthlyAllowance = 100000; r.MaxSharePercentToOnePerson = 100; });
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task<long> Award(long giver, long to, DateTime at)
    {
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(giver, [to], _w.Badges["mentor"], null,
            "你今天帮我们班组调试了新模具，整条线提前一小时恢复了生产，谢谢！", "public", 0, Idempotency.NewKey()), at);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    private Task<string> StoredAsync() => _app.Db.ReadAsync(async c =>
    {
        var rows = new List<string>();
        foreach (var table in RollupTable.All)
        {
            rows.AddRange((await c.QueryAsync($"SELECT * FROM {table.Name}")).Select(r => table.Name + ":" + string.Join(",", ((IDictionary<string, object>)r).Values)));
        }
        rows.Sort(StringComparer.Ordinal);
        return string.Join("\n", rows);
    });

    [Fact]
    public async Task A_rebuild_writes_only_what_changed_in_short_transactions_and_ends_where_a_build_from_nothing_ends()
    {
        var builder = _app.Get<InsightsBuilder>();
        var now = _app.Clock.UtcNow;
        var ids = new List<long>();
        for (var i = 0; i < 10; i++) ids.Add(await Award(_w.Crowd[i], _w.Crowd[i + 1], now.AddDays(-3 * i)));

        var first = await builder.RebuildAsync(_w.SiteId, now);
        Assert.True(first.RowsWritten > 3); // more than one transaction's worth: written in parts
        var again = await builder.RebuildAsync(_w.SiteId, now);
        Assert.Equal(0, again.RowsWritten); // nothing happened since: nothing written
        Assert.Contains($"ins_person_value:{_w.Crowd[5]},", await StoredAsync());

        // A revocation and a new recognition change a few rows (and delete the revoked one's).
        Assert.True((await _app.Get<RevokeService>().RevokeAsync(ids[4], _w.AdminScope, "测试撤销原因", null, now)).Ok);
        await Award(_w.Crowd[0], _w.Crowd[11], now);
        var changed = await builder.RebuildAsync(_w.SiteId, now);
        Assert.InRange(changed.RowsWritten, 1, first.RowsWritten - 1);
        var written = await StoredAsync();
        Assert.DoesNotContain($"ins_person_value:{_w.Crowd[5]},", written); // the revoked recognition's only value row is gone

        // The same as rebuilding from empty tables.
        await _app.Db.WriteAsync(async (c, t) =>
        {
            foreach (var table in RollupTable.All) await c.ExecuteAsync($"DELETE FROM {table.Name}", transaction: t);
        });
        await builder.RebuildAsync(_w.SiteId, now);
        Assert.Equal(await StoredAsync(), written);
    }
}
