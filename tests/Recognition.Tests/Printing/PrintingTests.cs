using System.Net;
using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Printing;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Printing;

public sealed class PrintingTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private long _public, _team, _private, _otherTeam;
    private const string Range = "from=2026-11-17&to=2026-11-18";

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        var awards = _app.Get<AwardService>();
        async Task<long> Give(long giver, long to, string badge, string visibility, string text)
        {
            var o = await awards.AwardAsync(new AwardCommand(giver, [to], _w.Badges[badge], null, text, visibility, 10, Idempotency.NewKey()), _app.Clock.UtcNow);
            Assert.True(o.Ok, o.Error);
            return o.Id!.Value;
        }
        _public = await Give(_w.Bob, _w.Alice, "cross_team_star", "public", "你把冲压和装配的交接单重新设计了，换班时缺料一目了然。");
        _team = await Give(_w.Giver, _w.Dave, "safety_star", "team", "你发现 3 号压机的光幕支架松动，立即停机挂牌。");
        _private = await Give(_w.Giver, _w.Alice, "mentor", "private", "私下感谢你耐心带我熟悉新设备的点检流程。");
        _otherTeam = await Give(_w.Giver, _w.Bob, "bright_idea", "public", "你用颜色标签区分待检品和合格品，这个月没有混料。");
        var claims = _app.Get<ClaimService>();
        var c = await claims.SubmitAsync(new ClaimCommand(_w.Dave, _w.Rules["hazard_report"], "2 号通道地面有油渍，已放警示牌。", "2 号车间", null, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True((await claims.ApproveAsync(c.Id!.Value, _w.SupA, null, false, _app.Clock.UtcNow)).Ok);
    }

    [PdfFact]
    public async Task The_shift_summary_pdf_lists_the_team_s_public_and_team_recognitions_and_thanks_the_reporters()
    {
        var sup = await Session.SignInAsync(_app, "S1");
        var res = await sup.Client.GetAsync($"/Supervisor/Summary?handler=Pdf&team={_w.TeamA}&{Range}");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("application/pdf", res.Content.Headers.ContentType!.MediaType);
        var pdf = await res.Content.ReadAsByteArrayAsync();
        await Poppler.CheckAsync(pdf);
        var text = await Poppler.TextAsync(pdf);
        Assert.Contains("班前会认可摘要", text);
        Assert.Contains("冲压一线 Stamping 1", text);
        Assert.Contains("陈静 Jing Chen", text);          // public, recipient in team A
        Assert.Contains("赵磊 Lei Zhao", text);           // team-visible, recipient in team A
        Assert.Contains("跨部门协同之星", text);
        Assert.Contains("交接单", text);
        Assert.DoesNotContain("私下感谢", text);           // private never printed
        Assert.DoesNotContain("颜色标签", text);           // Bob is in team B
        Assert.Contains("认可 Recognitions: 2", text);
        Assert.Contains("安全报告 Safety reports: 1", text);
        Assert.Contains("2 号通道地面有油渍", text);
        Assert.Contains("第 1 / 1 页", text);
        var (pages, size) = await Poppler.InfoAsync(pdf);
        Assert.Equal(1, pages);
        Assert.StartsWith("595", size); // A4 portrait, in points
        Assert.InRange(pdf.Length, 5_000, 400_000); // subset-embedded font, not the whole 10 MB
    }

    [PdfFact]
    public async Task A_long_summary_flows_onto_numbered_pages()
    {
        var awards = _app.Get<AwardService>();
        for (var i = 0; i < 60; i++)
        {
            _app.Clock.Advance(TimeSpan.FromMinutes(20));
            await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM giving_counts", transaction: t)); // the daily cap is not under test here
            var o = await awards.AwardAsync(new AwardCommand(i % 2 == 0 ? _w.Bob : _w.Carol, [i % 2 == 0 ? _w.Alice : _w.Dave], _w.Badges["mentor"], null,
                $"第 {i} 次：你每天下班后多留半小时带新人练习扭矩扳手的校验，现在新同事已经能独立上岗了。", "public", 0, Idempotency.NewKey()), _app.Clock.UtcNow);
            Assert.True(o.Ok, o.Error);
        }
        var sup = await Session.SignInAsync(_app, "S1");
        var pdf = await sup.Client.GetByteArrayAsync($"/Supervisor/Summary?handler=Pdf&team={_w.TeamA}&from=2026-11-17&to=2026-11-19");
        var (pages, _) = await Poppler.InfoAsync(pdf);
        Assert.True(pages >= 3, $"{pages} pages");
        var text = await Poppler.TextAsync(pdf);
        Assert.Contains($"第 {pages} / {pages} 页", text);
        Assert.Contains("第 59 次", text);
    }

    [PdfFact]
    public async Task A_certificate_is_a_landscape_page_with_the_recipient_badge_and_message()
    {
        var sup = await Session.SignInAsync(_app, "S1");
        var res = await sup.Client.GetAsync($"/print/certificates/recognition/{_public}");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var pdf = await res.Content.ReadAsByteArrayAsync();
        await Poppler.CheckAsync(pdf); // a valid file, not just one that opens
        var text = await Poppler.TextAsync(pdf);
        Assert.Contains("荣誉证书", text);
        Assert.Contains("陈静 Jing Chen", text);
        Assert.Contains("跨部门协同之星 Cross-team Star", text);
        Assert.Contains("刘强 Qiang Liu", text); // the giver
        Assert.Contains("测试厂 Test Plant", text);
        var (pages, size) = await Poppler.InfoAsync(pdf);
        Assert.Equal(1, pages);
        Assert.StartsWith("842 x 595", size); // A4 landscape
    }

    [PdfFact]
    public async Task The_batch_holds_one_certificate_per_printable_recipient()
    {
        var sup = await Session.SignInAsync(_app, "S1");
        var pdf = await sup.Client.GetByteArrayAsync($"/Supervisor/Summary?handler=Certificates&team={_w.TeamA}&{Range}");
        var (pages, _) = await Poppler.InfoAsync(pdf);
        Assert.Equal(2, pages); // the public and the team recognition; never the private one
        var text = await Poppler.TextAsync(pdf);
        Assert.DoesNotContain("私下感谢", text);
        Assert.DoesNotContain("1 / 2", text); // certificates are for framing: no page numbers across the batch
    }

    [Fact]
    public async Task Printing_for_another_team_or_a_private_recognition_is_refused()
    {
        var supB = await Session.SignInAsync(_app, "S2");
        Assert.Equal(HttpStatusCode.Forbidden, (await supB.Client.GetAsync($"/Supervisor/Summary?handler=Pdf&team={_w.TeamA}&{Range}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supB.Client.GetAsync($"/Supervisor/Team?team={_w.TeamA}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await supB.Client.GetAsync($"/print/certificates/recognition/{_public}")).StatusCode);
        var supA = await Session.SignInAsync(_app, "S1");
        Assert.Equal(HttpStatusCode.NotFound, (await supA.Client.GetAsync($"/print/certificates/recognition/{_private}")).StatusCode);
        var employee = await Session.SignInAsync(_app, "E3");
        Assert.Equal(HttpStatusCode.Forbidden, (await employee.Client.GetAsync($"/Supervisor/Summary?team={_w.TeamB}")).StatusCode);
        // The recipient may print their own certificate, private or not; an admin any non-private one.
        var alice = await Session.SignInAsync(_app, "E2");
        Assert.Equal(HttpStatusCode.OK, (await alice.Client.GetAsync($"/print/certificates/recognition/{_private}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Client.GetAsync($"/print/certificates/recognition/{_otherTeam}")).StatusCode);
        var admin = await Session.SignInAsync(_app, "A1");
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync($"/print/certificates/recognition/{_otherTeam}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync($"/print/certificates/recognition/{_private}")).StatusCode);
    }

    [Fact]
    public async Task Verify_shows_public_facts_and_a_revoked_recognition_as_revoked()
    {
        var code = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT verify_code FROM recognitions WHERE id = @id", new { id = _public });
        Assert.Equal(32, code.Length);
        var anon = Session.Anonymous(_app, "zh-CN");
        var page = await anon.GetDocAsync($"/verify/{code}");
        Assert.NotNull(page.QuerySelector("#verify-valid"));
        Assert.Equal("陈静", page.QuerySelector("#verify-recipients")!.TextContent);
        Assert.Contains("交接单", page.QuerySelector("#verify-message")!.TextContent);
        var privateCode = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT verify_code FROM recognitions WHERE id = @id", new { id = _private });
        Assert.Null((await anon.GetDocAsync($"/verify/{privateCode}")).QuerySelector("#verify-message")); // facts only, not the private message

        Assert.True((await _app.Get<RevokeService>().RevokeAsync(_public, _w.AdminScope, "重复提交，撤回", null, _app.Clock.UtcNow)).Ok);
        var revoked = await anon.GetDocAsync($"/verify/{code}");
        Assert.Contains("已于", revoked.QuerySelector("#verify-revoked")!.TextContent);
        Assert.Null(revoked.QuerySelector("#verify-valid"));
        // A revoked recognition can no longer be printed.
        var sup = await Session.SignInAsync(_app, "S1");
        Assert.Equal(HttpStatusCode.NotFound, (await sup.Client.GetAsync($"/print/certificates/recognition/{_public}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await anon.Client.GetAsync("/verify/" + new string('a', 32))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.Client.GetAsync("/verify/1' OR '1'='1")).StatusCode);
    }

    [Fact]
    public async Task The_team_view_shows_this_month_per_member_and_a_nudge_list_for_the_supervisor_only()
    {
        var sup = await Session.SignInAsync(_app, "S1");
        var doc = await sup.GetDocAsync($"/Supervisor/Team?team={_w.TeamA}");
        string Cell(long id, string cls) => doc.QuerySelector($"#team-members tr[data-id='{id}'] .{cls}")!.TextContent;
        Assert.Equal("2", Cell(_w.Alice, "received")); // public + private, both count for her
        Assert.Equal("3", Cell(_w.Giver, "given"));
        var nudge = doc.QuerySelectorAll("#team-nudge li").Select(li => long.Parse(li.GetAttribute("data-id")!)).ToList();
        Assert.Contains(_w.Giver, nudge);
        Assert.DoesNotContain(_w.Alice, nudge);
        Assert.DoesNotContain(_w.SupA, nudge);
        Assert.Equal("0", doc.QuerySelector("#team-pending")!.TextContent);
        var employee = await Session.SignInAsync(_app, "E1");
        Assert.Equal(HttpStatusCode.Forbidden, (await employee.Client.GetAsync("/Supervisor/Team")).StatusCode);
    }

    [Theory]
    [InlineData("2026-11-18 05:45", "2026-11-17 14:00")] // before shift A: since yesterday's A ended
    [InlineData("2026-11-18 07:00", "2026-11-17 14:00")] // during shift A
    [InlineData("2026-11-18 14:30", "2026-11-17 14:00")] // after shift A: still covers today's shift
    public void The_default_window_starts_where_the_previous_occurrence_of_the_shift_ended(string localNow, string expectedLocalStart)
    {
        var now = Recognition.Web.Domain.SiteTime.ToUtc(DateTime.Parse(localNow, System.Globalization.CultureInfo.InvariantCulture), "Asia/Shanghai");
        var w = ShiftSummaryQueries.DefaultWindow(now, "Asia/Shanghai", 360, 840);
        Assert.Equal(expectedLocalStart, Recognition.Web.Domain.SiteTime.Format(w.FromUtc, "Asia/Shanghai"));
        Assert.Equal(now, w.ToUtc);
    }

    [Fact]
    public void The_night_shift_window_crosses_midnight()
    {
        var now = Recognition.Web.Domain.SiteTime.ToUtc(new DateTime(2026, 11, 18, 21, 30, 0), "Asia/Shanghai");
        var w = ShiftSummaryQueries.DefaultWindow(now, "Asia/Shanghai", 1320, 360); // C: 22:00–06:00
        Assert.Equal("2026-11-18 06:00", Recognition.Web.Domain.SiteTime.Format(w.FromUtc, "Asia/Shanghai"));
    }

    [Fact]
    public async Task Bad_date_ranges_get_a_clear_message()
    {
        var sup = await Session.SignInAsync(_app, "S1");
        var doc = await sup.GetDocAsync($"/Supervisor/Summary?team={_w.TeamA}&from=2026-11-18&to=2026-11-01");
        Assert.Equal("请填写开始和结束日期，开始日期不能晚于结束日期。", doc.QuerySelector("#summary-error")!.TextContent);
        var tooLong = await sup.GetDocAsync($"/Supervisor/Summary?team={_w.TeamA}&from=2026-01-01&to=2026-11-01");
        Assert.Equal("摘要最多覆盖 92 天。", tooLong.QuerySelector("#summary-error")!.TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, (await sup.Client.GetAsync($"/Supervisor/Summary?handler=Pdf&team={_w.TeamA}&from=x&to=y")).StatusCode);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
