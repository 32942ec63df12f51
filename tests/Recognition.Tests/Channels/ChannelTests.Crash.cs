using System.Net;
using Recognition.Tests.Support;

namespace Recognition.Tests.Channels;

/// <summary>kill -9 of the app's own process while a webhook is on the wire.</summary>
public sealed partial class ChannelTests
{
    [Fact]
    public async Task Kill_9_while_a_webhook_is_on_the_wire_loses_nothing_and_repeats_only_that_message_under_its_own_id()
    {
        var dir = Path.Combine(Path.GetTempPath(), "recognition-tests", Guid.NewGuid().ToString("N"));
        var setup = new AppFactory(Fast, dataDir: dir);
        setup.Clock.Set(DateTime.UtcNow);
        var w = await World.CreateAsync(setup);
        var hook = await AddAsync(await Session.SignInAsync(setup, "A1"), w.SiteId, "webhook", "HR", _fakes.WebhookUrl);
        _fakes.WebhookSecret = hook.QuerySelector("#channel-secret")!.TextContent.Trim();
        var connection = setup.Db.ConnectionString;
        await setup.DisposeAsync();

        var env = new Dictionary<string, string>
        {
            ["Recognition__ConnectionStrings__Recognition"] = connection, ["Recognition__Security__AllowInsecureCookies"] = "true",
            ["Recognition__Channels__LeaseSeconds"] = "3", ["Recognition__Channels__PollMilliseconds"] = "100", ["Recognition__Channels__SenderPollMilliseconds"] = "100",
        };
        _fakes.HoldNext = 1; // the first webhook is received and never answered
        var first = await AppServer.StartAsync(env);
        var giver = first.Session();
        Assert.Equal(HttpStatusCode.Redirect, (await giver.PostFormAsync("/Account/SignIn", new() { ["Login"] = "E1", ["Password"] = World.Password })).StatusCode);
        foreach (var (to, words) in new[] { (w.Alice, "你把夜班交接表改成了一页纸，交接时间少了一半。"), (w.Bob, "你发现了冲床光栅的遮挡问题并马上报告。"), (w.Dave, "谢谢你周末来帮忙盘点，数据一次就对上了。") })
        {
            var res = await giver.PostFormAsync("/Recognize", new()
            {
                ["RecipientIds"] = to.ToString(), ["BadgeId"] = w.Badges["mentor"].ToString(), ["Message"] = words, ["Visibility"] = "public", ["PointsEach"] = "0",
            });
            Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        }
        var held = await _fakes.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // All three queued (the first is on the wire): under load the dispatcher may still be planning the last one.
        var queued = new Recognition.Web.Infrastructure.Data.Db(TestEngine.Provider, connection);
        for (var i = 0; i < 100 && await DbProbe.ScalarAsync<long>(queued, "SELECT COUNT(*) FROM deliveries") < 3; i++) await Task.Delay(100);
        await first.KillHardAsync(); // mid-send: the receiver has the request, the app never hears the answer
        await first.DisposeAsync();
        var db = new Recognition.Web.Infrastructure.Data.Db(TestEngine.Provider, connection);
        Assert.Equal(0, await DbProbe.ScalarAsync<long>(db, "SELECT COUNT(*) FROM deliveries WHERE state = 'sent'"));
        Assert.Equal(3, await DbProbe.ScalarAsync<long>(db, "SELECT COUNT(*) FROM deliveries"));

        await using var second = await AppServer.StartAsync(env);
        await WaitAsync(() => _fakes.For("webhook").Count() >= 3, "every webhook after the restart", 30);
        await Task.Delay(1500);
        var ids = _fakes.Received.Where(r => r.Target == "webhook").Select(r => r.Headers["webhook-id"]).ToList();
        Assert.Equal(3, ids.Count); // each answered once: none lost, none sent twice after it was marked sent
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Contains(held, ids); // the one cut off went again under the id the receiver already saw, so it can drop the repeat
        Assert.Equal(3, await DbProbe.ScalarAsync<long>(db, "SELECT COUNT(*) FROM deliveries WHERE state = 'sent'"));
    }
}
