using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Features.Walls;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Walls;

/// <summary>A frame to many walls is handed out a slice at a time, spaced where many are connected.</summary>
public sealed partial class RelayTests
{
    /// <summary>A connection as the hub registers it, for counting only (the recording hub sends nowhere).</summary>
    private sealed class Caller(string id) : HubCallerContext
    {
        public override string ConnectionId => id;
        public override string? UserIdentifier => null;
        public override ClaimsPrincipal? User => null;
        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override CancellationToken ConnectionAborted => CancellationToken.None;
        public override void Abort() { }
    }

    [Fact]
    public async Task With_many_walls_at_a_site_a_frame_s_slices_are_spaced_so_requests_are_not_queued_behind_one_burst()
    {
        async Task<TimeSpan> SpreadOfNextFrameAsync(int i)
        {
            _app.Hub.SliceTimes.Clear();
            var r = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [_w.Bob], _w.Badges["mentor"], null,
                $"第 {i} 次：你每天下班后多留半小时带新人练习扭矩扳手的校验。", "public", 0, Idempotency.NewKey()), _app.Clock.UtcNow);
            Assert.True(r.Ok, r.Error);
            await WaitForRelayAsync();
            var times = _app.Hub.SliceTimes.Where(t => t.Group.StartsWith(WallHub.SiteGroup(_w.SiteId, "zh-CN") + "#", StringComparison.Ordinal)).Select(t => t.At).ToList();
            Assert.Equal(WallHub.Slices, times.Count); // every slice once
            return System.Diagnostics.Stopwatch.GetElapsedTime(times.Min(), times.Max());
        }

        await SpreadOfNextFrameAsync(0); // a few walls: the slices go one after another, nothing to spread
        var open = _app.Get<WallConnections>();
        for (var i = 0; i < EventRelay.PaceFromWalls; i++) open.Add(10_000 + i, _w.SiteId, null, WallHub.SiteGroup(_w.SiteId, "zh-CN"), new Caller($"tv-{i}"));
        try
        {
            var spread = await SpreadOfNextFrameAsync(1);
            Assert.True(spread >= TimeSpan.FromMilliseconds(WallHub.Slices - 1), $"{spread.TotalMilliseconds} ms from the first slice to the last");
        }
        finally
        {
            for (var i = 0; i < EventRelay.PaceFromWalls; i++) open.Remove($"tv-{i}");
        }
    }
}
