using System.Net;
using Recognition.Tests.Support;

namespace Recognition.Tests.Social;

/// <summary>Award programs: HR defines, colleagues nominate, judges score blind and decide, winners are announced and paid.</summary>
public sealed class ProgramTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private const string Reason = "连续三个月带头做班前安全检查，发现并上报了七处隐患，其中两处避免了夹手事故。";

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static Dictionary<string, string> Form(long badge, string opens = "2026-11-01", string closes = "2026-11-20", string judges = "S1, e5", string nominators = "everyone") => new()
    {
        ["NameZh"] = "安全之星 · 11月", ["NameEn"] = "Safety Star · November", ["BadgeId"] = badge.ToString(), ["Nominators"] = nominators,
        ["Opens"] = opens, ["Closes"] = closes, ["PrizePoints"] = "50", ["Budget"] = "80", ["Criteria"] = "主动发现并消除安全隐患，带动班组安全习惯。", ["Judges"] = judges,
    };

    private static Task<HttpResponseMessage> NominateAsync(Session s, long program, string nominee, string reason = Reason) =>
        s.PostFormAsync("/Programs?handler=Nominate", new() { ["ProgramId"] = program.ToString(), ["NomineeNo"] = nominee, ["Reason"] = reason });

    [Fact]
    public async Task A_program_from_nomination_to_blind_judging_to_winners_paid_from_its_budget()
    {
        var hr = await Session.SignInAsync(_app, "A1");
        var badge = _w.Badges["safety_star"];
        // Bad input: a clear refusal, nothing written.
        var bad = await hr.PostFormAsync("/Admin/Programs", Form(badge, opens: "2026-11-20", closes: "2026-11-01"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("截止不能早于开始", (await Session.Doc(bad)).QuerySelector("#program-error")!.TextContent);
        var noJudge = await hr.PostFormAsync("/Admin/Programs", Form(badge, judges: "S1, NOBODY"));
        Assert.Contains("NOBODY", (await Session.Doc(noJudge)).QuerySelector("#program-error")!.TextContent);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM award_programs"));
        Assert.Equal(HttpStatusCode.Redirect, (await hr.PostFormAsync("/Admin/Programs", Form(badge))).StatusCode);
        var program = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM award_programs");

        // Nominations: Wang Wei and Liu Qiang nominate Jing; Wang Wei nominates Lei (a judge). Refusals in the person's language.
        var wei = await Session.SignInAsync(_app, "E1");
        var bob = await Session.SignInAsync(_app, "E3");
        var dave = await Session.SignInAsync(_app, "E5");
        Assert.Equal(HttpStatusCode.Redirect, (await NominateAsync(wei, program, "E2")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await NominateAsync(bob, program, "e2", "每次换模都主动检查安全锁，还教会了新人怎么做点检，这个月零事故。")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await NominateAsync(wei, program, "E5")).StatusCode);
        Assert.Contains("已在这个评选活动中提名过", (await Session.Doc(await NominateAsync(wei, program, "E2"))).QuerySelector("#program-error")!.TextContent);
        Assert.Contains("不能提名自己", (await Session.Doc(await NominateAsync(bob, program, "E3"))).QuerySelector("#program-error")!.TextContent);
        Assert.Contains("你是这个评选活动的评委", (await Session.Doc(await NominateAsync(dave, program, "E2"))).QuerySelector("#program-error")!.TextContent);
        Assert.Contains("E6", (await Session.Doc(await NominateAsync(bob, program, "E6"))).QuerySelector("#program-error")!.TextContent); // left the company
        Assert.Contains("至少", (await Session.Doc(await NominateAsync(bob, program, "E4", "好"))).QuerySelector("#program-error")!.TextContent);
        var other = await Session.SignInAsync(_app, "EB1"); // another site: the program does not exist for them
        Assert.Null((await other.GetDocAsync("/Programs")).QuerySelector($"#program-{program}"));
        Assert.Contains("这里没有这个评选活动", (await Session.Doc(await NominateAsync(other, program, "E2"))).QuerySelector("#program-error")!.TextContent);
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM nominations"));

        // Judges: Lei scores Jing 5; the supervisor sees Jing's two nominations and Lei's, but not Lei's score. Lei never sees his own.
        var sup = await Session.SignInAsync(_app, "S1");
        var leiView = await dave.GetDocAsync($"/Programs/{program}/Judge");
        Assert.Null(leiView.QuerySelector($"#nominee-{_w.Dave}"));
        var jingNomination = long.Parse(leiView.QuerySelector($"#nominee-{_w.Alice} .nomination")!.Id!["nomination-".Length..]);
        Assert.Equal(HttpStatusCode.Redirect, (await dave.PostFormAsync($"/Programs/{program}/Judge?handler=Score",
            new() { ["nominationId"] = jingNomination.ToString(), ["score"] = "5" }, formPage: $"/Programs/{program}/Judge")).StatusCode);
        var own = await DbProbe.ScalarAsync<long>(_app.Db, $"SELECT id FROM nominations WHERE nominee_id = {_w.Dave}");
        var ownScore = await dave.PostFormAsync($"/Programs/{program}/Judge?handler=Score", new() { ["nominationId"] = own.ToString(), ["score"] = "5" }, formPage: $"/Programs/{program}/Judge");
        Assert.Contains("不能评审关于自己的提名", (await Session.Doc(ownScore)).QuerySelector("#judge-error")!.TextContent);
        var supView = await sup.GetDocAsync($"/Programs/{program}/Judge");
        Assert.Equal(2, supView.QuerySelectorAll($"#nominee-{_w.Alice} .nomination").Length);
        Assert.NotNull(supView.QuerySelector($"#nominee-{_w.Dave}"));
        Assert.Null(supView.QuerySelector($"#nomination-{jingNomination} option[selected]")); // Lei's 5 is his alone
        Assert.Equal(HttpStatusCode.Redirect, (await sup.PostFormAsync($"/Programs/{program}/Judge?handler=Shortlist",
            new() { ["nominationId"] = jingNomination.ToString(), ["on"] = "true" }, formPage: $"/Programs/{program}/Judge")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Client.GetAsync($"/Programs/{program}/Judge")).StatusCode); // not a judge

        // Deciding: not while nominations are open; after, not beyond the budget (2 × 50 > 80), then Jing alone.
        var early = await sup.PostFormAsync($"/Programs/{program}/Judge?handler=Decide", new() { ["winners"] = _w.Alice.ToString() }, formPage: $"/Programs/{program}/Judge");
        Assert.Contains("2026-11-20", (await Session.Doc(early)).QuerySelector("#judge-error")!.TextContent);
        _app.Clock.Set(new DateTime(2026, 11, 21, 2, 0, 0, DateTimeKind.Utc));
        (sup, bob, dave) = (await Session.SignInAsync(_app, "S1"), await Session.SignInAsync(_app, "E3"), await Session.SignInAsync(_app, "E5")); // three days on
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var over = await sup.PostFormAsync($"/Programs/{program}/Judge?handler=Decide", new() { ["winners"] = _w.Alice.ToString() }, formPage: $"/Programs/{program}/Judge",
            extra: [new("winners", _w.Dave.ToString())]);
        Assert.Contains("预算不足", (await Session.Doc(over)).QuerySelector("#judge-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        Assert.Equal(HttpStatusCode.Redirect, (await sup.PostFormAsync($"/Programs/{program}/Judge?handler=Decide",
            new() { ["winners"] = _w.Alice.ToString() }, formPage: $"/Programs/{program}/Judge")).StatusCode);
        var won = await DbProbe.QueryAsync<(long Id, long Badge, long Points, string Visibility, string Message)>(_app.Db,
            "SELECT id, badge_id, points_each, visibility, message FROM recognitions");
        var recognition = Assert.Single(won);
        Assert.Equal((badge, 50L, "public"), (recognition.Badge, recognition.Points, recognition.Visibility));
        Assert.StartsWith("安全之星 · 11月 · ", recognition.Message);
        Assert.Equal(50, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(50, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT spent FROM budget_months WHERE owner_kind = 'program' AND owner_id = {program}"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COUNT(*) FROM events WHERE kind = 'recognition.created' AND subject_id = {recognition.Id}"));
        Assert.Contains("已经评定", (await Session.Doc(await sup.PostFormAsync($"/Programs/{program}/Judge?handler=Decide",
            new() { ["winners"] = _w.Dave.ToString() }, formPage: "/Programs"))).QuerySelector("#judge-error")!.TextContent);

        // Everyone sees the winner (and her certificate); nobody sees who else was nominated.
        var page = await bob.GetDocAsync("/Programs");
        Assert.Contains("陈静", page.QuerySelector($"#program-{program} .winners")!.TextContent);
        Assert.DoesNotContain("赵磊", page.QuerySelector($"#program-{program}")!.TextContent);
        var leiPage = await dave.GetDocAsync("/Programs");
        Assert.DoesNotContain("赵磊", leiPage.QuerySelector($"#program-{program}")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await (await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US")).Client.GetAsync($"/print/certificates/recognition/{recognition.Id}")).StatusCode);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'program.decided'"));
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'nomination.created'"));
    }
}
