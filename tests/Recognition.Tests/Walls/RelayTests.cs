using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Devices;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Features.Walls;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Walls;

public sealed partial class RelayTests : IAsyncLifetime
{
    private readonly RecordingApp _app = new();
    private World _w = null!;

    private sealed class RecordingApp() : AppFactory(new() { ["Walls:PollMilliseconds"] = "200" })
    {
        public RecordingWallHub Hub { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<IHubContext<WallHub, IWallClient>>(Hub));
        }
    }

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app, crowd: 20);
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 1000);
    }

    private async Task WaitForRelayAsync()
    {
        var max = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COALESCE(MAX(id), 0) FROM events");
        var relay = _app.Get<EventRelay>();
        for (var i = 0; i < 200 && relay.Last < max; i++) await Task.Delay(50);
        Assert.Equal(max, relay.Last);
    }

    [Fact]
    public async Task The_boards_are_pushed_rendered_once_per_language_and_coalesced_never_pulled()
    {
        var awards = _app.Get<AwardService>();
        for (var i = 0; i < 5; i++)
        {
            var r = await awards.AwardAsync(new AwardCommand(_w.Giver, [_w.Bob], _w.Badges["mentor"], null,
                $"第 {i} 次：你每天下班后多留半小时带新人练习扭矩扳手的校验。", "public", 5, Idempotency.NewKey()), _app.Clock.UtcNow);
            Assert.True(r.Ok, r.Error);
        }
        await WaitForRelayAsync();
        var last = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT MAX(id) FROM events");
        (string Group, BoardsMessage Message)[] pushed = [];
        for (var i = 0; i < 60; i++)
        {
            pushed = _app.Hub.Boards.ToArray();
            if (pushed.Any(b => b.Message.Seq == last)) break;
            await Task.Delay(100);
        }
        var zh = pushed.Last(b => b.Group == WallHub.BoardsGroup(_w.SiteId, null, "zh-CN"));
        var en = pushed.Last(b => b.Group == WallHub.BoardsGroup(_w.SiteId, null, "en-US"));
        Assert.Equal(last, zh.Message.Seq);
        Assert.Contains("刘强", zh.Message.Html);          // Bob on the people boards, in Chinese…
        Assert.Contains("Qiang Liu", en.Message.Html);     // …and in English
        Assert.Contains("id=\"stat-today\">5<", zh.Message.Html);
        // Five events within one interval make one render per group and language, not five.
        Assert.True(pushed.Count(b => b.Group == zh.Group) <= 2, $"{pushed.Count(b => b.Group == zh.Group)} pushes for 5 events");
    }

    [Fact]
    public async Task Reactions_reach_the_walls_folded_per_card_with_the_counts_now_keep_the_sequence_whole_and_never_touch_the_boards()
    {
        var awards = _app.Get<AwardService>();
        async Task<long> Give(string visibility) => (await awards.AwardAsync(new AwardCommand(_w.Giver, [_w.Bob], _w.Badges["mentor"], null,
            "你每天下班后多留半小时带新人练习扭矩扳手的校验。", visibility, 5, Idempotency.NewKey()), _app.Clock.UtcNow)).Id!.Value;
        var open = await Give("public");
        var secret = await Give("private");
        await WaitForRelayAsync();
        await Task.Delay(2500); // the boards' own push for the awards has gone out
        var boardsBefore = _app.Hub.Boards.Count;
        var sentBefore = _app.Hub.Sent.Count;

        // Twenty people react to the public card at once, and the two people to the private one.
        var reactions = _app.Get<Recognition.Web.Features.Social.Reactions>();
        var crowd = _w.Crowd.Take(20).ToList();
        await Task.WhenAll(crowd.Select((p, i) => Task.Run(() => reactions.SetAsync(open, p, _w.SiteId, i % 2 == 0 ? "like" : "learned", true, _app.Clock.UtcNow))));
        Assert.True((await reactions.SetAsync(secret, _w.Bob, _w.SiteId, "heart", true, _app.Clock.UtcNow)).Ok);
        await WaitForRelayAsync();

        var events = await DbProbe.QueryAsync<long>(_app.Db, "SELECT id FROM events WHERE kind = 'reaction.changed' ORDER BY id");
        Assert.Equal(21, events.Count);
        var zh = _app.Hub.Sent.Skip(sentBefore).Where(x => x.Group == WallHub.SiteGroup(_w.SiteId, "zh-CN")).Select(x => x.Message).ToList();
        Assert.Equal(events, zh.Select(m => m.Seq).ToList()); // every event travels (the walls' sequence has no hole)…
        var carried = zh.Where(m => m.Kind == "reactions").ToList();
        Assert.True(carried.Count < 10, $"{carried.Count} updates for 20 reactions"); // …but folded: a batch carries a card's counts once
        Assert.All(carried, m => Assert.Equal(open, m.Id));
        Assert.Equal(10, carried[^1].Counts!["like"]); // the counts as they are now: 10 of each kind…
        Assert.Equal(10, carried[^1].Counts!["learned"]);
        Assert.Null(carried[^1].Html); // …as numbers: the page draws them in its own language (Wall.cshtml's #wreact-kinds)
        Assert.DoesNotContain(zh, m => m.Id == secret && m.Kind != "tick"); // a private card's reactions reach no wall
        var en = _app.Hub.Sent.Skip(sentBefore).Where(x => x.Group == WallHub.SiteGroup(_w.SiteId, "en-US") && x.Message.Kind == "reactions").ToList();
        Assert.Equal(carried[^1].Counts, en[^1].Message.Counts);
        await Task.Delay(2500);
        Assert.Equal(boardsBefore, _app.Hub.Boards.Count); // reactions rank nobody: the boards were not pushed again

        // A wall that missed them catches up with the counts.
        var catchUp = await _app.Get<WallQueries>().SinceAsync(_w.SiteId, null, events[0] - 1);
        Assert.Equal(20, catchUp.Reacted[open].Values.Sum());
        Assert.False(catchUp.Reacted.ContainsKey(secret));
    }

    [Fact]
    public async Task Under_concurrent_writers_every_event_reaches_the_site_group_once_in_order_with_its_predecessor()
    {
        var awards = _app.Get<AwardService>();
        var claims = _app.Get<ClaimService>();
        var people = _w.Crowd.Concat([_w.Giver, _w.Alice, _w.Bob, _w.Carol, _w.Dave]).ToList();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var giver = people[(w * 40 + i) % people.Count];
                var to = people[(w * 40 + i + 1) % people.Count];
                if (i % 5 == 4)
                {
                    await claims.SubmitAsync(new ClaimCommand(giver, _w.Rules["hazard_report"], "2 号通道地面有油渍，已放警示牌。", null, null, Idempotency.NewKey()), _app.Clock.UtcNow);
                }
                await awards.AwardAsync(new AwardCommand(giver, [to], _w.Badges["mentor"], null, "你每天下班后多留半小时带新人练习扭矩扳手的校验。",
                    i % 3 == 0 ? "private" : "public", 0, Idempotency.NewKey()), _app.Clock.UtcNow);
            }
        })).ToArray();
        await Task.WhenAll(writers);
        await WaitForRelayAsync();

        var events = await DbProbe.QueryAsync<long>(_app.Db, "SELECT id FROM events WHERE site_id = @s ORDER BY id", new { s = _w.SiteId });
        Assert.True(events.Count >= 160);
        foreach (var culture in new[] { "zh-CN", "en-US" })
        {
            var sent = _app.Hub.Sent.Where(x => x.Group == WallHub.SiteGroup(_w.SiteId, culture)).Select(x => x.Message).ToList();
            Assert.Equal(events, sent.Select(m => m.Seq).ToList()); // none skipped, none twice, in order
            for (var i = 1; i < sent.Count; i++) Assert.Equal(sent[i - 1].Seq, sent[i].Prev);
            // Under load, what arrives within Walls:BatchMilliseconds travels as one frame: far fewer frames than events.
            var frames = _app.Hub.Frames.Where(f => f.Group == WallHub.SiteGroup(_w.SiteId, culture)).ToList();
            Assert.Equal(events.Count, frames.Sum(f => f.Events));
            Assert.True(frames.Count < events.Count / 2, $"{frames.Count} frames for {events.Count} events");
            // Each frame went to every slice of the group, one slice at a time (WallHub.Slices).
            Assert.All(Enumerable.Range(0, WallHub.Slices), k =>
                Assert.Equal(frames.Count, _app.Hub.SliceFrames.GetValueOrDefault(WallHub.SliceGroup(WallHub.SiteGroup(_w.SiteId, culture), k))));
        }
        var cards = _app.Hub.Sent.Where(x => x.Group == WallHub.SiteGroup(_w.SiteId, "zh-CN") && x.Message.Kind == "card").ToList();
        var publicCount = await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions WHERE visibility = 'public'");
        Assert.Equal(publicCount, cards.Count);
        Assert.All(cards, c => Assert.Contains("wcard", c.Message.Html));
    }

    [Fact]
    public async Task Private_recognitions_travel_as_ticks_without_content_and_revocations_as_removals()
    {
        var awards = _app.Get<AwardService>();
        var priv = await awards.AwardAsync(new AwardCommand(_w.Giver, [_w.Bob], _w.Badges["mentor"], null, "私下感谢你耐心带我熟悉新设备的点检流程。", "private", 0, Idempotency.NewKey()), _app.Clock.UtcNow);
        var pub = await awards.AwardAsync(new AwardCommand(_w.Giver, [_w.Bob], _w.Badges["mentor"], null, "你把新人常犯的十个错误整理成一页纸贴在工位旁。", "public", 0, Idempotency.NewKey()), _app.Clock.UtcNow);
        await WaitForRelayAsync(); // (a card already revoked when the relay reads it is sent as a tick, which is right but not this test)
        await _app.Get<RevokeService>().RevokeAsync(pub.Id!.Value, _w.AdminScope, "测试撤销原因", null, _app.Clock.UtcNow);
        await WaitForRelayAsync();
        var sent = _app.Hub.Sent.Where(x => x.Group == WallHub.SiteGroup(_w.SiteId, "en-US")).Select(x => x.Message).ToList();
        var tick = sent.Single(m => m.Id == priv.Id && m.Kind != "revoked");
        Assert.Equal(("tick", (string?)null), (tick.Kind, tick.Html));
        Assert.Empty(tick.Teams); // nothing about whom: no team ids for a recognition the walls do not show
        Assert.DoesNotContain(sent, m => m.Html?.Contains("私下感谢") == true);
        Assert.Contains(sent, m => m.Kind == "card" && m.Id == pub.Id && m.Html!.Contains("from Wei Wang"));
        Assert.Contains(sent, m => m.Kind == "revoked" && m.Id == pub.Id);
    }

    [Fact]
    public async Task Revoking_a_display_tells_that_display_alone()
    {
        var devices = _app.Get<DeviceService>();
        var d = await devices.CreateAsync(_w.Admin, _w.SiteId, null, "display", "Canteen TV", "zh-CN", _app.Clock.UtcNow);
        await devices.RevokeAsync(_w.AdminScope, d.Id!.Value, _app.Clock.UtcNow);
        await WaitForRelayAsync();
        Assert.Equal([WallHub.DeviceGroup(d.Id!.Value)], _app.Hub.Unpaired.ToList());
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
