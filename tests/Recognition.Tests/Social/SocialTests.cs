using System.Net;
using AngleSharp.Html.Dom;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Social;

/// <summary>Reactions and comments through the real app (pages, handlers, database).</summary>
public sealed class SocialTests : IAsyncLifetime
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

    private async Task<long> GiveAsync(long to, string visibility, string message)
    {
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [to], _w.Badges["mentor"], null, message, visibility, 5, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    /// <summary>What a reaction button does: an htmx POST with the page's antiforgery token (read from the feed page).</summary>
    private static async Task<HttpResponseMessage> ReactAsync(Session s, long id, string kind, bool on)
    {
        var doc = await s.GetDocAsync("/Feed");
        var token = doc.QuerySelector("meta[name=csrf-token]")!.GetAttribute("content")!;
        var req = new HttpRequestMessage(HttpMethod.Post, $"/r/{id}?handler=React")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["kind"] = kind, ["on"] = on ? "true" : "false" }),
        };
        req.Headers.Add("HX-Request", "true");
        req.Headers.Add("RequestVerificationToken", token);
        return await s.Client.SendAsync(req);
    }

    private Task<int> ReactionsAsync(long id) => DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM reactions WHERE recognition_id = " + id);

    [Fact]
    public async Task A_reaction_is_set_or_cleared_once_per_kind_and_person_and_only_on_what_the_person_may_see()
    {
        var open = await GiveAsync(_w.Alice, "public", "你把夜班交接表改成了一页纸，交接时间少了一半。");
        var team = await GiveAsync(_w.Dave, "team", "班组内部：这次换模你只用了十一分钟，比标准快了四分钟。");
        var secret = await GiveAsync(_w.Bob, "private", "私下说一句：谢谢你那天帮我顶班，家里的事处理好了。");
        var ledger = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM points_ledger");
        var bob = await Session.SignInAsync(_app, "E3");

        // Bob applauds: the answer is the card's new bar, his button pressed, the count 1. A double tap changes nothing.
        var first = await ReactAsync(bob, open, "like", on: true);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var bar = (await Session.Doc(first)).QuerySelector($"#reacts-{open} button[data-kind=like]")!;
        Assert.Equal("true", bar.GetAttribute("aria-pressed"));
        Assert.Equal("1", bar.QuerySelector(".n")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await ReactAsync(bob, open, "like", on: true)).StatusCode);
        Assert.Equal(1, await ReactionsAsync(open));
        Assert.Equal(HttpStatusCode.OK, (await ReactAsync(bob, open, "learned", on: true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReactAsync(bob, open, "like", on: false)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReactAsync(bob, open, "like", on: false)).StatusCode);
        Assert.Equal(new[] { "learned" }, await DbProbe.QueryAsync<string>(_app.Db, "SELECT kind FROM reactions WHERE recognition_id = " + open));
        // Only real changes are events: on, on (another kind), off — not the repeats.
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM events WHERE kind = 'reaction.changed' AND subject_id = " + open));

        // A kind outside the set: a clear refusal in Bob's language, nothing written.
        var odd = await ReactAsync(bob, open, "thumbs-down", on: true);
        Assert.Equal(HttpStatusCode.BadRequest, odd.StatusCode);
        Assert.Contains("没有这种回应", await odd.Content.ReadAsStringAsync());
        Assert.Equal(1, await ReactionsAsync(open));

        // A team's recognition: its team reacts, another team does not even see it.
        Assert.Equal(HttpStatusCode.NotFound, (await ReactAsync(bob, team, "heart", on: true)).StatusCode);
        var jing = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        Assert.Equal(HttpStatusCode.OK, (await ReactAsync(jing, team, "heart", on: true)).StatusCode);

        // A private one: only the two people — not a colleague, not the site's admin.
        Assert.Equal(HttpStatusCode.NotFound, (await ReactAsync(jing, secret, "heart", on: true)).StatusCode);
        var admin = await Session.SignInAsync(_app, "A1");
        Assert.Equal(HttpStatusCode.NotFound, (await ReactAsync(admin, secret, "heart", on: true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReactAsync(bob, secret, "heart", on: true)).StatusCode);
        var wei = await Session.SignInAsync(_app, "E1");
        Assert.Equal(HttpStatusCode.OK, (await ReactAsync(wei, secret, "heart", on: true)).StatusCode);
        Assert.Equal(2, await ReactionsAsync(secret));

        // Reactions are no points and no ranking: the ledger did not move.
        Assert.Equal(ledger, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM points_ledger"));

        // Another site's admin gets nothing of this site; a revoked recognition takes no more reactions.
        var siteB = await Session.SignInAsync(_app, "AB1");
        Assert.Equal(HttpStatusCode.NotFound, (await ReactAsync(siteB, open, "like", on: true)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await siteB.Client.GetAsync($"/r/{open}")).StatusCode);
        Assert.True((await _app.Get<RevokeService>().RevokeAsync(open, new Recognition.Web.Domain.AdminScope(_w.Admin, _w.SiteId, Org: false), "写错了收件人", null, _app.Clock.UtcNow)).Ok);
        Assert.Equal(HttpStatusCode.NotFound, (await ReactAsync(bob, open, "party", on: true)).StatusCode);

    }

    [Fact]
    public async Task Comments_on_a_public_recognition_are_short_changeable_for_five_minutes_removable_by_the_author_or_an_admin_and_audited()
    {
        var open = await GiveAsync(_w.Alice, "public", "你把夜班交接表改成了一页纸，交接时间少了一半。");
        var team = await GiveAsync(_w.Dave, "team", "班组内部：这次换模你只用了十一分钟，比标准快了四分钟。");
        var bob = await Session.SignInAsync(_app, "E3");
        var page = $"/r/{open}";

        // Empty and too long are refused beside the box, in Bob's language, and nothing is written.
        var empty = await bob.PostFormAsync($"{page}?handler=Comment", new() { ["Body"] = "  \u200B " }, formPage: page);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Contains("请先写评论内容", (await Session.Doc(empty)).QuerySelector("#comment-error")!.TextContent);
        var longOne = await bob.PostFormAsync($"{page}?handler=Comment", new() { ["Body"] = new string('好', 281) }, formPage: page);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, longOne.StatusCode);
        Assert.Contains("280", (await Session.Doc(longOne)).QuerySelector("#comment-error")!.TextContent);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM comments"));

        // The same form sent twice (a double tap) is one comment.
        var form = await bob.GetDocAsync(page);
        var key = ((IHtmlInputElement)form.QuerySelector("input[name=Key]")!).Value;
        for (var i = 0; i < 2; i++)
        {
            var sent = await bob.PostFormAsync($"{page}?handler=Comment", new() { ["Body"] = "学到了，我们班也试试一页纸。", ["Key"] = key }, formPage: page);
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }
        var commentId = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM comments");
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM comments"));
        var shown = await bob.GetDocAsync(page);
        Assert.Contains("一页纸", shown.QuerySelector($"#comment-{commentId}")!.TextContent);
        // The feed shows the count and the latest words, and links to the page; walls never show comments.
        var feed = await (await Session.SignInAsync(_app, "E1")).GetDocAsync("/Feed");
        Assert.Contains("1 条评论", feed.QuerySelector($"#r-{open} .comment-link")!.TextContent);
        Assert.Contains("我们班也试试", feed.QuerySelector($"#r-{open} .comments")!.TextContent);
        var card = (await _app.Get<Recognition.Web.Features.Feed.FeedQueries>().OneAsync(open))!;
        Assert.DoesNotContain("我们班也试试", Recognition.Web.Features.Walls.WallCard.Render(card, "zh-CN"));

        // Bob changes it within five minutes; after that it stays as it is.
        _app.Clock.Advance(TimeSpan.FromMinutes(4));
        var edited = await bob.PostFormAsync($"{page}?handler=EditComment", new() { ["commentId"] = commentId.ToString(), ["body"] = "学到了，我们班下周也试试一页纸。" }, formPage: page);
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Contains("已修改", (await bob.GetDocAsync(page)).QuerySelector($"#comment-{commentId}")!.TextContent);
        _app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, (await bob.GetDocAsync(page)).QuerySelectorAll($"#comment-{commentId} .inline-edit").Length);
        var late = await bob.PostFormAsync($"{page}?handler=EditComment", new() { ["commentId"] = commentId.ToString(), ["body"] = "改晚了" }, formPage: page);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, late.StatusCode);
        Assert.Contains("5 分钟", (await Session.Doc(late)).QuerySelector("#comment-error")!.TextContent);

        // Someone else cannot change or remove it; the site's admin removes it, and the log says who did what.
        var jing = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        var notHers = await jing.PostFormAsync($"{page}?handler=RemoveComment", new() { ["commentId"] = commentId.ToString() }, formPage: page);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notHers.StatusCode);
        Assert.Contains("not yours", (await Session.Doc(notHers)).QuerySelector("#comment-error")!.TextContent);
        var siteB = await Session.SignInAsync(_app, "AB1");
        Assert.Equal(HttpStatusCode.NotFound, (await siteB.PostFormAsync($"{page}?handler=RemoveComment", new() { ["commentId"] = commentId.ToString() }, formPage: "/Feed")).StatusCode);
        var admin = await Session.SignInAsync(_app, "A1");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"{page}?handler=RemoveComment", new() { ["commentId"] = commentId.ToString() }, formPage: page)).StatusCode);
        Assert.Null((await bob.GetDocAsync(page)).QuerySelector($"#comment-{commentId}"));
        Assert.Equal(new[] { "comment.created", "comment.edited", "comment.removed" },
            await DbProbe.QueryAsync<string>(_app.Db, $"SELECT action FROM audit_log WHERE target = 'comment:{commentId}' ORDER BY id"));
        Assert.Equal("admin", await DbProbe.ScalarAsync<string>(_app.Db, $"SELECT detail FROM audit_log WHERE action = 'comment.removed'"));

        // Only public recognitions take comments: a team's recognition page has no form, and a crafted post is refused.
        var dave = await Session.SignInAsync(_app, "E5");
        Assert.Null((await dave.GetDocAsync($"/r/{team}")).QuerySelector("#comment-body"));
        var teamPost = await dave.PostFormAsync($"/r/{team}?handler=Comment", new() { ["Body"] = "谢谢大家！" }, formPage: $"/r/{team}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, teamPost.StatusCode);
        Assert.Contains("只有公开的认可可以评论", (await Session.Doc(teamPost)).QuerySelector("#comment-error")!.TextContent);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM comments"));
    }
}
