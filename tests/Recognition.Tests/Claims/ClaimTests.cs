using System.Net;
using Recognition.Tests.Support;
using Recognition.Web.Features.Claims;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Claims;

public sealed class ClaimTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private ClaimService _claims = null!;
    private const string Hazard = "2 号通道地面有油渍，已放警示牌，需要清理。";

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        _claims = _app.Get<ClaimService>();
    }

    private async Task<long> Submit(long who, string rule = "hazard_report", string text = Hazard)
    {
        var o = await _claims.SubmitAsync(new ClaimCommand(who, _w.Rules[rule], text, "2 号车间", null, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    [Fact]
    public async Task A_hazard_report_through_the_page_waits_for_approval_then_earns_points()
    {
        var s = await Session.SignInAsync(_app, "E1");
        var res = await s.PostFormAsync("/Claims/New", new() { ["RuleId"] = _w.Rules["hazard_report"].ToString(), ["Description"] = Hazard, ["Location"] = "2 号车间" });
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM claims WHERE status = 'pending'");
        Assert.Equal(0, await DbProbe.BalanceAsync(_app.Db, _w.Giver));

        var sup = await Session.SignInAsync(_app, "S1");
        var queue = await sup.GetDocAsync("/Supervisor/Approvals");
        Assert.NotNull(queue.QuerySelector($"#claim-{id}"));
        var approve = await sup.PostFormAsync("/Supervisor/Approvals?handler=Approve", new() { ["id"] = id.ToString() }, formPage: "/Supervisor/Approvals");
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Equal(10, await DbProbe.BalanceAsync(_app.Db, _w.Giver));
        Assert.Equal("claim.approved", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT kind FROM events ORDER BY id DESC"));

        // Approving twice: a clear error, nothing written.
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var again = await sup.PostFormAsync("/Supervisor/Approvals?handler=Approve", new() { ["id"] = id.ToString() }, formPage: "/Supervisor/Approvals");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Equal("这条申报已经处理过了。", (await Session.Doc(again)).QuerySelector("#approvals-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task Concurrent_double_approval_pays_once()
    {
        var id = await Submit(_w.Giver);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _claims.ApproveAsync(id, _w.SupA, null, false, _app.Clock.UtcNow))));
        Assert.Equal(1, outcomes.Count(o => o.Ok));
        Assert.Equal(10, await DbProbe.BalanceAsync(_app.Db, _w.Giver));
    }

    [Fact]
    public async Task Only_the_team_s_supervisor_or_an_admin_decides_and_never_on_their_own_claim()
    {
        var id = await Submit(_w.Giver);
        var before = await DbProbe.FingerprintAsync(_app.Db);
        Assert.Equal("Error.NotYourTeam", (await _claims.ApproveAsync(id, _w.SupB, null, false, _app.Clock.UtcNow)).Error);
        var own = await Submit(_w.SupA);
        before = await DbProbe.FingerprintAsync(_app.Db);
        Assert.Equal("Error.OwnClaim", (await _claims.ApproveAsync(own, _w.SupA, null, false, _app.Clock.UtcNow)).Error);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        Assert.True((await _claims.ApproveAsync(id, _w.Admin, _w.AdminScope, false, _app.Clock.UtcNow)).Ok);

        // An employee cannot reach the approve handler at all.
        var employee = await Session.SignInAsync(_app, "E2");
        var res = await employee.PostFormAsync("/Supervisor/Approvals?handler=Approve", new() { ["id"] = own.ToString() }, formPage: "/Recognize");
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
        Assert.Equal("pending", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM claims WHERE id = @own", new { own }));
    }

    [Fact]
    public async Task Withdrawing_an_approval_posts_a_reversing_entry_that_points_at_the_original()
    {
        var id = await Submit(_w.Giver);
        Assert.True((await _claims.ApproveAsync(id, _w.SupA, null, false, _app.Clock.UtcNow)).Ok);
        Assert.Equal("Error.ReasonRequired", (await _claims.RejectAsync(id, _w.SupA, null, " ", _app.Clock.UtcNow)).Error);
        Assert.True((await _claims.RejectAsync(id, _w.SupA, null, "重复报告", _app.Clock.UtcNow)).Ok);
        var rows = await DbProbe.QueryAsync<(long Id, int Points, string Kind, long? Reverses)>(_app.Db, "SELECT id, points, kind, reverses_id FROM points_ledger ORDER BY id");
        Assert.Equal(2, rows.Count);
        Assert.Equal((10, "claim", (long?)null), (rows[0].Points, rows[0].Kind, rows[0].Reverses));
        Assert.Equal((-10, "reversal", (long?)rows[0].Id), (rows[1].Points, rows[1].Kind, rows[1].Reverses));
        Assert.Equal(0, await DbProbe.BalanceAsync(_app.Db, _w.Giver));
        Assert.Equal("Error.AlreadyDecided", (await _claims.RejectAsync(id, _w.SupA, null, "again", _app.Clock.UtcNow)).Error);
        await DbProbe.AssertLedgerConsistentAsync(_app.Db);
    }

    [Fact]
    public async Task The_daily_cap_stops_the_fourth_hazard_approval_and_writes_nothing()
    {
        var ids = new List<long>();
        for (var i = 0; i < 4; i++) ids.Add(await Submit(_w.Giver));
        for (var i = 0; i < 3; i++) Assert.True((await _claims.ApproveAsync(ids[i], _w.SupA, null, false, _app.Clock.UtcNow)).Ok);
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var fourth = await _claims.ApproveAsync(ids[3], _w.SupA, null, false, _app.Clock.UtcNow);
        Assert.Equal(("Error.CapDay", 3), (fourth.Error, (int)fourth.Args[0]));
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task An_adopted_suggestion_earns_the_bigger_bonus_and_only_suggestions_can_be_adopted()
    {
        var idea = await Submit(_w.Giver, "suggestion", "建议在工具柜上贴形迹管理标识，找工具更快。");
        var hazard = await Submit(_w.Giver);
        Assert.Equal("Error.AdoptOnlySuggestion", (await _claims.ApproveAsync(hazard, _w.SupA, null, true, _app.Clock.UtcNow)).Error);
        Assert.True((await _claims.ApproveAsync(idea, _w.SupA, null, true, _app.Clock.UtcNow)).Ok);
        Assert.Equal(50, await DbProbe.BalanceAsync(_app.Db, _w.Giver));
    }

    [Fact]
    public async Task Five_approved_hazard_reports_in_90_days_earn_Safety_Sentinel_once()
    {
        for (var day = 0; day < 6; day++)
        {
            var id = await Submit(_w.Giver);
            Assert.True((await _claims.ApproveAsync(id, _w.SupA, null, false, _app.Clock.UtcNow)).Ok);
            _app.Clock.Advance(TimeSpan.FromDays(1));
        }
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM employee_badges WHERE badge_id = @b", new { b = _w.Badges["safety_sentinel"] }));
        Assert.Equal(6 * 10 + 20, await DbProbe.BalanceAsync(_app.Db, _w.Giver)); // plus the badge's bonus
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM events WHERE kind = 'badge.earned'"));
        // Four more make a fresh run of five: the badge is earned a second time.
        for (var day = 0; day < 4; day++)
        {
            Assert.True((await _claims.ApproveAsync(await Submit(_w.Giver), _w.SupA, null, false, _app.Clock.UtcNow)).Ok);
            _app.Clock.Advance(TimeSpan.FromDays(1));
        }
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM employee_badges"));
        var me = await (await Session.SignInAsync(_app, "E1")).GetDocAsync("/Me");
        Assert.Contains("安全哨兵", me.QuerySelector("#my-badges")!.TextContent);
    }

    [Fact]
    public async Task Customer_praise_is_recorded_by_the_supervisor_and_approved_at_once()
    {
        var s = await Session.SignInAsync(_app, "S1");
        var res = await s.PostFormAsync("/Supervisor/Approvals?handler=Praise",
            new() { ["employeeId"] = _w.Alice.ToString(), ["description"] = "客户来信表扬她当天就解决了包装破损的问题。" }, formPage: "/Supervisor/Approvals");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal(20, await DbProbe.BalanceAsync(_app.Db, _w.Alice));
        Assert.Equal(_w.SupA, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT recorded_by FROM claims"));
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var other = await s.PostFormAsync("/Supervisor/Approvals?handler=Praise",
            new() { ["employeeId"] = _w.Bob.ToString(), ["description"] = "客户来信表扬他当天就解决了包装破损的问题。" }, formPage: "/Supervisor/Approvals");
        Assert.Equal("此人不在你负责的班组。", (await Session.Doc(other)).QuerySelector("#approvals-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        var nobody = await s.PostFormAsync("/Supervisor/Approvals?handler=Praise",
            new() { ["employeeId"] = "", ["description"] = "客户来信表扬他当天就解决了包装破损的问题。" }, formPage: "/Supervisor/Approvals");
        Assert.NotNull((await Session.Doc(nobody)).QuerySelector("#approvals-error"));
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        // The picker starts with nobody chosen and tells namesakes apart; withdrawing an approval opens on demand.
        var page = await s.GetDocAsync("/Supervisor/Approvals");
        var options = page.QuerySelectorAll("#praise-employee option").Select(o => o.TextContent).ToList();
        Assert.Equal("", page.QuerySelector("#praise-employee option")!.GetAttribute("value"));
        Assert.Contains("陈静 (E2)", options);
        var praised = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM claims WHERE employee_id = @a", new { a = _w.Alice });
        var recent = page.QuerySelector($"#claim-{praised}")!;
        Assert.NotNull(recent.QuerySelector("details.withdraw > form"));
        Assert.DoesNotContain(recent.Children, c => c.TagName == "FORM");
    }

    [Fact]
    public async Task Photos_must_be_real_images_within_the_size_limit()
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII=");
        async Task<HttpResponseMessage> Post(Session s, byte[] bytes, string name)
        {
            var doc = await s.GetDocAsync("/Claims/New");
            var form = new MultipartFormDataContent
            {
                { new StringContent(doc.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!), "__RequestVerificationToken" },
                { new StringContent(doc.QuerySelector("input[name=IdempotencyKey]")!.GetAttribute("value")!), "IdempotencyKey" },
                { new StringContent(_w.Rules["hazard_report"].ToString()), "RuleId" },
                { new StringContent(Hazard), "Description" },
                { new ByteArrayContent(bytes), "Photo", name },
            };
            return await s.Client.PostAsync("/Claims/New", form);
        }
        var s = await Session.SignInAsync(_app, "E1");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var notImage = await Post(s, "MZ not an image at all"u8.ToArray(), "photo.jpg");
        Assert.Equal("照片必须是 JPEG、PNG、GIF 或 WebP 图片。", (await Session.Doc(notImage)).QuerySelector("#claim-error")!.TextContent);
        var big = new byte[3 * 1024 * 1024];
        png.CopyTo(big, 0);
        var tooBig = await Post(s, big, "big.png");
        Assert.Equal("照片太大（最多 2 MB）。", (await Session.Doc(tooBig)).QuerySelector("#claim-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        Assert.Equal(HttpStatusCode.Redirect, (await Post(s, png, "ok.png")).StatusCode);
        Assert.Equal("image/png", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT content_type FROM claim_photos"));
        // The team's supervisor can see it; another supervisor cannot.
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT claim_id FROM claim_photos");
        Assert.Equal(HttpStatusCode.OK, (await (await Session.SignInAsync(_app, "S1")).Client.GetAsync($"/Supervisor/Approvals?handler=Photo&id={id}")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await (await Session.SignInAsync(_app, "S2")).Client.GetAsync($"/Supervisor/Approvals?handler=Photo&id={id}")).StatusCode);
    }

    [Fact]
    public async Task A_decompression_bomb_is_refused_from_its_header_and_a_large_photo_is_stored_at_most_2048_px()
    {
        var bomb = TestImages.Png(12_000, 12_000); // 144 megapixels (576 MB decoded) in a few hundred KB
        Assert.True(bomb.Length < PhotoLimit, $"{bomb.Length} bytes");
        var large = TestImages.Png(6_000, 5_000); // 30 megapixels: allowed, decoded in blocks
        var s = await Session.SignInAsync(_app, "E2"); // Alice reads English
        async Task<HttpResponseMessage> Post(byte[] bytes) => await s.PostFileAsync("/Claims/New", "/Claims/New", "Photo", "photo.png", bytes,
            new() { ["RuleId"] = _w.Rules["hazard_report"].ToString(), ["Description"] = Hazard });
        var before = await DbProbe.FingerprintAsync(_app.Db);
        GC.Collect();
        var rss = Environment.WorkingSet;
        var refused = await Post(bomb);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("The photo has too many pixels (at most 40 megapixels). Take it again at a normal camera setting, or send a smaller copy.",
            (await Session.Doc(refused)).QuerySelector("#claim-error")!.TextContent);
        var grew = (Environment.WorkingSet - rss) / (1024 * 1024);
        Assert.True(grew < 100, $"the process grew by {grew} MB"); // decoding it would take 576 MB
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        Assert.Equal(HttpStatusCode.Redirect, (await Post(large)).StatusCode);
        var stored = await DbProbe.ScalarAsync<byte[]>(_app.Db, "SELECT bytes FROM claim_photos");
        using var codec = SkiaSharp.SKCodec.Create(new MemoryStream(stored));
        Assert.Equal((2048, 1706), (codec.Info.Width, codec.Info.Height));
    }

    private const int PhotoLimit = 2 * 1024 * 1024;

    [Fact]
    public async Task Bad_claims_are_refused_and_a_double_submit_makes_one_claim()
    {
        var before = await DbProbe.FingerprintAsync(_app.Db);
        Assert.Equal("Error.MessageTooShort", (await _claims.SubmitAsync(new ClaimCommand(_w.Giver, _w.Rules["hazard_report"], "油", null, null, Idempotency.NewKey()), _app.Clock.UtcNow)).Error);
        Assert.Equal("Error.UnknownRule", (await _claims.SubmitAsync(new ClaimCommand(_w.Giver, _w.Rules["suggestion_adopted"], Hazard, null, null, Idempotency.NewKey()), _app.Clock.UtcNow)).Error);
        Assert.Equal("Error.UnknownRule", (await _claims.SubmitAsync(new ClaimCommand(_w.Giver, 9999, Hazard, null, null, Idempotency.NewKey()), _app.Clock.UtcNow)).Error);
        Assert.Equal("Error.GiverInactive", (await _claims.SubmitAsync(new ClaimCommand(_w.Gone, _w.Rules["hazard_report"], Hazard, null, null, Idempotency.NewKey()), _app.Clock.UtcNow)).Error);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        var key = Idempotency.NewKey();
        var twice = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() =>
            _claims.SubmitAsync(new ClaimCommand(_w.Giver, _w.Rules["hazard_report"], Hazard, null, null, key), _app.Clock.UtcNow))));
        Assert.Single(twice.Select(o => o.Id).Distinct());
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM claims"));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
