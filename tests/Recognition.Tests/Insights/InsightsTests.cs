using System.Net;
using System.Text;
using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Insights;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Insights;

/// <summary>Insights and the anti-gaming queue, through the rollups, the pages and the database.</summary>
public sealed class InsightsTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private long _small;
    private long[] _smallPeople = [];
    private const string Msg = "你今天帮我们班组调试了新模具，整条线提前一小时恢复了生产，谢谢！";

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app, crowd: 20);
        await _app.SetPolicyAsync(r => { r.DailyRecognitionCap = 1000; r.MonthlyAllowance = 100000; r.MaxSharePercentToOnePerson = 100; });
        // A team of three: every figure about it must read "<5".
        (_small, _smallPeople) = await _app.Db.WriteAsync(async (c, t) =>
        {
            var team = await c.ScalarAsync<long>(t, _app.Db.Dialect.InsertReturningId("teams", "site_id, code, name_zh, name_en, kind", "@s, 'SM', '小组', 'Small crew', 'standing'"), new { s = _w.SiteId });
            var ids = new List<long>();
            for (var i = 0; i < 3; i++)
            {
                ids.Add(await c.ScalarAsync<long>(t, _app.Db.Dialect.InsertReturningId("employees", "site_id, team_id, employee_no, name_zh, name_en, roles, created_utc",
                    "@s, @team, @no, @no, @no, 1, @now"), new { s = _w.SiteId, team, no = $"SM{i}", now = DateTime.UtcNow }));
            }
            return (team, ids.ToArray());
        });
    }

    [Fact]
    public async Task The_page_says_when_it_was_built_in_site_time_and_names_weeks_by_their_monday()
    {
        await Award(_w.Giver, _w.Alice);
        await RebuildAsync();
        var page = await (await Session.SignInAsync(_app, "A1")).GetDocAsync("/Insights");
        var zone = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT time_zone FROM sites WHERE id = " + _w.SiteId);
        var built = await DbProbe.ScalarAsync<DateTime>(_app.Db, "SELECT built_utc FROM ins_builds WHERE site_id = " + _w.SiteId);
        Assert.Contains(Recognition.Web.Domain.SiteTime.Format(built, zone), page.DocumentElement.TextContent); // the site's clock, not UTC
        var labels = page.QuerySelectorAll("svg.heatmap text").Select(t => t.TextContent).Where(t => System.Text.RegularExpressions.Regex.IsMatch(t, @"^\d\d-\d\d$")).ToList();
        Assert.NotEmpty(labels);
        Assert.DoesNotContain(page.QuerySelectorAll("svg.heatmap text"), t => System.Text.RegularExpressions.Regex.IsMatch(t.TextContent, @"^W\d\d$"));
        var monday = System.Globalization.ISOWeek.ToDateTime(2026, 45, DayOfWeek.Monday);
        Assert.Equal("11-02", Recognition.Web.Features.Insights.Charts.WeekLabel(202645)); // ISO week 45 of 2026 starts on Monday 2 November
        Assert.Equal(DayOfWeek.Monday, monday.DayOfWeek);
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task<long> Award(long giver, long to, string message = Msg, DateTime? at = null)
    {
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(giver, [to], _w.Badges["mentor"], null, message, "public", 0, Idempotency.NewKey()), at ?? _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    private Task RebuildAsync() => _app.Get<InsightsBuilder>().RebuildAsync(_w.SiteId, _app.Clock.UtcNow);

    private InsightsQueries Q => _app.Get<InsightsQueries>();
    private static readonly InsightsQueries.Scope Nothing = new(null, null);

    [Fact]
    public async Task The_heatmap_participation_and_islands_count_what_happened_and_groups_under_five_read_less_than_five()
    {
        var a = _w.Crowd.Where((_, i) => i % 2 == 0).ToList(); // team A's crowd
        var b = _w.Crowd.Where((_, i) => i % 2 == 1).ToList(); // team B's crowd
        for (var i = 0; i < 6; i++) await Award(a[i], a[i + 1]);     // inside team A only
        await Award(b[0], b[1]);                                     // inside team B
        await Award(_smallPeople[0], _smallPeople[1]);               // inside the small team
        await RebuildAsync();
        var scope = new InsightsQueries.Scope(_w.SiteId, null);
        var heat = await Q.HeatmapAsync(scope);
        var week = heat.Weeks.Count - 1;
        Assert.Equal(6, heat.Rows.Single(r => r.TeamId == _w.TeamA).Cells[week].Value);
        Assert.Equal(1, heat.Rows.Single(r => r.TeamId == _w.TeamB).Cells[week].Value);
        Assert.All(heat.Rows.Single(r => r.TeamId == _small).Cells, c => Assert.True(c.Hidden));

        var p = await Q.ParticipationAsync(scope);
        var teamA = p.Teams.Single(t => t.Group == "冲压一线" || t.Group == "Stamping 1");
        Assert.Equal(6, teamA.Gave.Value);
        Assert.Equal(6, teamA.Received.Value);
        Assert.True(p.Teams.Single(t => t.Group is "小组" or "Small crew").Gave.Hidden);

        // Islands: team A received nothing from outside; after one thanks from team B, it is no longer a team island.
        Assert.Contains(await Q.IslandsAsync(scope, 8), r => r.TeamIsland && r.Team is "冲压一线" or "Stamping 1");
        Assert.DoesNotContain(await Q.IslandsAsync(scope, 8), r => r.Team is "小组" or "Small crew"); // under five: never listed
        await Award(b[2], a[0]);
        await RebuildAsync();
        Assert.DoesNotContain(await Q.IslandsAsync(scope, 8), r => r.TeamIsland && r.Team is "冲压一线" or "Stamping 1");

        // The page and its CSV say "<5" for the small team, whatever the filters; the page shows the data table.
        var admin = await Session.SignInAsync(_app, "A1");
        var page = await admin.GetDocAsync($"/Insights?site={_w.SiteId}");
        Assert.NotNull(page.QuerySelector("#heatmap svg.heatmap"));
        Assert.Contains("<5", page.QuerySelector("#participation")!.TextContent);
        var csv = Encoding.UTF8.GetString(await admin.Client.GetByteArrayAsync($"/Insights?handler=Csv&table=heatmap&site={_w.SiteId}"));
        var smallLine = csv.Split("\r\n").Single(l => l.StartsWith("小组", StringComparison.Ordinal));
        Assert.DoesNotContain("0", smallLine.Split(',').Skip(1)); // every cell suppressed, the size too
        // A shift made of the small team only: every figure suppressed.
        var shift = await _app.Db.WriteAsync(async (c, t) =>
        {
            var id = await c.ScalarAsync<long>(t, _app.Db.Dialect.InsertReturningId("shifts", "site_id, code, name_zh, name_en, start_minute, end_minute", "@s, 'N', '夜班', 'Night', 1320, 360"), new { s = _w.SiteId });
            await c.ExecuteAsync("INSERT INTO team_shifts (team_id, shift_id) VALUES (@team, @id)", new { team = _small, id }, t);
            return id;
        });
        var bySmallShift = await Q.ParticipationAsync(new InsightsQueries.Scope(_w.SiteId, shift));
        Assert.All(bySmallShift.Shifts.Concat(bySmallShift.Teams).Concat(bySmallShift.Sites), g => Assert.True(g.Gave.Hidden && g.Received.Hidden));
        Assert.All(await Q.EquityAsync(new InsightsQueries.Scope(_w.SiteId, shift), k => k), e => Assert.True(e.PerHead10.Hidden));
    }

    [Fact]
    public async Task Quiet_managers_and_drop_alerts_are_found()
    {
        var reports = _w.Crowd.Take(6).ToList();
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET manager_id = @m WHERE id IN @reports", new { m = _w.SupA, reports }, t));
        // Team B was busy for eight weeks, then went quiet.
        var b = _w.Crowd.Where((_, i) => i % 2 == 1).ToList();
        for (var week = 2; week < 10; week++)
            for (var i = 0; i < 4; i++) await Award(b[i], b[i + 1], at: _app.Clock.UtcNow.AddDays(-7 * week));
        await RebuildAsync();
        var scope = new InsightsQueries.Scope(_w.SiteId, null);
        Assert.Contains(await Q.SilentManagersAsync(scope), m => m.Id == _w.SupA && m.Gave60 == 0);
        Assert.Contains(await Q.DropsAsync(scope), d => d.Team is "质量部" or "Quality");
        await Award(_w.SupA, reports[0]);
        await RebuildAsync();
        Assert.DoesNotContain(await Q.SilentManagersAsync(scope), m => m.Id == _w.SupA);
    }

    [Fact]
    public async Task Clues_are_found_with_their_evidence_and_only_an_admin_decision_changes_anything()
    {
        var c = _w.Crowd;
        for (var i = 0; i < 4; i++) { await Award(c[0], c[1], $"{Msg} 互相{i}"); await Award(c[1], c[0], $"{Msg} 回敬{i}"); } // reciprocal pair
        for (var i = 0; i < 3; i++) { await Award(c[2], c[3], $"{Msg} 环{i}a"); await Award(c[3], c[4], $"{Msg} 环{i}b"); await Award(c[4], c[2], $"{Msg} 环{i}c"); } // ring of 3
        for (var i = 5; i < 10; i++) await Award(c[10], c[i], "你把 5S 做得很好，工作区一直很整洁，我们都向你学习。"); // same words to five people
        for (var i = 11; i < 17; i++) await Award(c[18], c[i], "谢谢你今天的帮忙辛苦！"); // very short, six times (also the same words to six)
        // The badge's own suggested phrase, chosen for five people at the kiosk: using the product, not a clue.
        var phrase = (await DbProbe.ScalarAsync<string>(_app.Db, "SELECT phrases_zh FROM badges WHERE code = 'mentor'")).Split('\n')[0];
        for (var i = 5; i < 10; i++) await Award(c[19], c[i], phrase);
        await RebuildAsync();
        var clues = await DbProbe.QueryAsync<(long Id, string Kind, string People, string Evidence)>(_app.Db, "SELECT id, kind, people, evidence FROM insight_clues WHERE status = 'open'");
        var pair = clues.Single(x => x.Kind == "reciprocal");
        Assert.Equal(8, pair.Evidence.Split(',').Length);
        Assert.Contains(clues, x => x.Kind == "ring" && x.People.Split(',').Length == 3);
        Assert.Contains(clues, x => x.Kind == "duplicate" && x.People == c[10].ToString());
        Assert.Contains(clues, x => x.Kind == "template" && x.People == c[18].ToString());
        Assert.DoesNotContain(clues, x => x.People == c[19].ToString());
        // Found, not acted on: every recognition is still active.
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions WHERE status <> 'active'"));
        // A rebuild finds the same clues again without duplicating them.
        await RebuildAsync();
        Assert.Equal(clues.Count, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM insight_clues"));

        var admin = await Session.SignInAsync(_app, "A1");
        var queue = await admin.GetDocAsync("/Insights/Clues");
        Assert.Equal(8, queue.QuerySelectorAll($"#clue-{pair.Id} .rcard").Length);
        var dismiss = await admin.PostFormAsync($"/Insights/Clues?handler=Dismiss&id={pair.Id}", new(), formPage: "/Insights/Clues");
        Assert.Equal(HttpStatusCode.OK, dismiss.StatusCode);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions WHERE status <> 'active'"));
        var ring = clues.Single(x => x.Kind == "ring");
        var noReason = await admin.PostFormAsync($"/Insights/Clues?handler=Revoke&id={ring.Id}", new() { ["reason"] = "x" }, formPage: "/Insights/Clues");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        var revoke = await admin.PostFormAsync($"/Insights/Clues?handler=Revoke&id={ring.Id}", new() { ["reason"] = "小圈子互刷，已与三人沟通" }, formPage: "/Insights/Clues");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(9, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions WHERE status = 'revoked'"));
        Assert.Equal("revoked", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM insight_clues WHERE id = @Id", new { ring.Id }));
        // Decided once: a second decision is refused; a rebuild leaves the decision as it was.
        var again = await admin.PostFormAsync($"/Insights/Clues?handler=Dismiss&id={ring.Id}", new(), formPage: "/Insights/Clues");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        await RebuildAsync();
        Assert.Equal("dismissed", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT status FROM insight_clues WHERE id = @Id", new { pair.Id }));
    }

    [Fact]
    public async Task Reciprocal_add_ons_and_a_reaction_ring_are_clues_for_a_conversation_that_revoke_nothing()
    {
        var c = _w.Crowd;
        // c0 and c1 add points to each other's recognitions (given by others) three times each: all that either adds.
        var addOns = _app.Get<Recognition.Web.Features.Social.AddOns>();
        var reactions = _app.Get<Recognition.Web.Features.Social.Reactions>();
        for (var i = 0; i < 3; i++)
        {
            var toC1 = await Award(c[5 + i], c[1], $"{Msg} 给c1 {i}");
            var toC0 = await Award(c[5 + i], c[0], $"{Msg} 给c0 {i}");
            Assert.True((await addOns.AddAsync(toC1, c[0], _w.SiteId, 5, null, Idempotency.NewKey(), _app.Clock.UtcNow)).Ok);
            Assert.True((await addOns.AddAsync(toC0, c[1], _w.SiteId, 5, null, Idempotency.NewKey(), _app.Clock.UtcNow)).Ok);
        }
        // c2, c3, c4 react (applause) to what the others of the three receive, five recognitions each way, and to nothing else.
        var received = new Dictionary<long, List<long>>();
        foreach (var who in new[] { c[2], c[3], c[4] })
        {
            received[who] = [];
            for (var i = 0; i < 5; i++) received[who].Add(await Award(c[10 + i], who, $"{Msg} 收到{who}-{i}"));
        }
        foreach (var (from, to) in new[] { (c[2], c[3]), (c[3], c[4]), (c[4], c[2]) })
        {
            foreach (var id in received[to]) Assert.True((await reactions.SetAsync(id, from, _w.SiteId, "like", true, _app.Clock.UtcNow)).Ok);
        }
        // Someone who reacts widely is no ring.
        foreach (var id in received.Values.SelectMany(x => x)) Assert.True((await reactions.SetAsync(id, c[19], _w.SiteId, "heart", true, _app.Clock.UtcNow)).Ok);
        await RebuildAsync();
        var clues = await DbProbe.QueryAsync<(long Id, string Kind, string People, string Evidence)>(_app.Db, "SELECT id, kind, people, evidence FROM insight_clues WHERE status = 'open'");
        var pair = clues.Single(x => x.Kind == "reciprocal_addon");
        Assert.Equal(string.Join(',', new[] { c[0], c[1] }.Order()), pair.People);
        Assert.Equal(6, pair.Evidence.Split(',').Length);
        var ring = clues.Single(x => x.Kind == "reaction_ring");
        Assert.Equal(string.Join(',', new[] { c[2], c[3], c[4] }.Order()), ring.People);
        Assert.Equal(15, ring.Evidence.Split(',').Length);
        Assert.DoesNotContain(clues, x => x.People.Split(',').Contains(c[19].ToString()));

        // The queue shows them with the evidence and offers no revoke; a crafted revoke is refused and changes nothing.
        var admin = await Session.SignInAsync(_app, "A1");
        var queue = await admin.GetDocAsync("/Insights/Clues");
        Assert.Equal(15, queue.QuerySelectorAll($"#clue-{ring.Id} .rcard").Length);
        Assert.Null(queue.QuerySelector($"#clue-{ring.Id} form[action*='Revoke']"));
        var crafted = await admin.PostFormAsync($"/Insights/Clues?handler=Revoke&id={pair.Id}", new() { ["reason"] = "互相追加积分，撤销" }, formPage: "/Insights/Clues");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, crafted.StatusCode);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM recognitions WHERE status <> 'active'"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostFormAsync($"/Insights/Clues?handler=Dismiss&id={pair.Id}", new(), formPage: "/Insights/Clues")).StatusCode);
    }

    [Fact]
    public async Task Nobody_reaches_another_site_or_another_person_s_radar()
    {
        await _w.AddSecondSiteAsync(_app);
        await Award(_w.Giver, _w.Alice);
        await RebuildAsync();
        // A site admin asking for another site: a clear error, no figures.
        var adminB = await Session.SignInAsync(_app, "AB1");
        var res = await adminB.Client.GetAsync($"/Insights?site={_w.SiteId}");
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        var doc = await Session.Doc(res);
        Assert.NotNull(doc.QuerySelector("#insights-error"));
        Assert.Null(doc.QuerySelector("#participation"));
        Assert.Equal(HttpStatusCode.BadRequest, (await adminB.Client.GetAsync($"/Insights?handler=Csv&table=heatmap&site={_w.SiteId}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await adminB.Client.GetAsync("/Insights?handler=Csv&table=salaries")).StatusCode);
        // A tampered shift (another site's) is refused too.
        var shiftA = await _app.Db.WriteAsync((c, t) => c.ScalarAsync<long>(t, _app.Db.Dialect.InsertReturningId("shifts", "site_id, code, name_zh, name_en, start_minute, end_minute",
            "@s, 'X', '早班', 'Early', 360, 840"), new { s = _w.SiteId }));
        Assert.Equal(HttpStatusCode.BadRequest, (await adminB.Client.GetAsync($"/Insights?shift={shiftA}")).StatusCode);
        // Supervisors and employees don't reach HR insights or the review queue.
        var sup = await Session.SignInAsync(_app, "S1");
        Assert.Equal(HttpStatusCode.Forbidden, (await sup.Client.GetAsync("/Insights")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sup.Client.GetAsync("/Insights/Clues")).StatusCode);
        // My radar is on my page; another person's profile never shows one.
        var alice = await Session.SignInAsync(_app, "E2");
        Assert.NotNull((await alice.GetDocAsync("/Me")).QuerySelector("#my-radar svg.radar"));
        Assert.Null((await alice.GetDocAsync($"/People/{_w.Giver}")).QuerySelector("svg.radar"));
        // The supervisor's team view has the heatmap and, for a team of five or more, the radar.
        var team = await sup.GetDocAsync($"/Supervisor/Team?team={_w.TeamA}");
        Assert.NotNull(team.QuerySelector("#team-heatmap svg.heatmap"));
        Assert.NotNull(team.QuerySelector("#team-radar svg.radar"));
        Assert.StartsWith("value,received", (await sup.Client.GetStringAsync($"/Supervisor/Team?handler=Csv&table=radar&team={_w.TeamA}")).TrimStart('\uFEFF'));
        // Another team's supervisor, asking for team A: refused, no figures.
        var supB = await Session.SignInAsync(_app, "S2");
        Assert.Equal(HttpStatusCode.Forbidden, (await supB.Client.GetAsync($"/Supervisor/Team?team={_w.TeamA}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supB.Client.GetAsync($"/Supervisor/Team?handler=Csv&table=radar&team={_w.TeamA}")).StatusCode);
    }

    [PdfFact]
    public async Task The_shift_meeting_pdf_carries_the_team_trends()
    {
        await Award(_w.Giver, _w.Alice);
        await RebuildAsync();
        var sup = await Session.SignInAsync(_app, "S1");
        var pdf = await sup.Client.GetByteArrayAsync($"/Supervisor/Summary?handler=Pdf&team={_w.TeamA}");
        await Poppler.CheckAsync(pdf);
        var text = await Poppler.TextAsync(pdf);
        Assert.Contains("Team trends", text);
        Assert.Contains("Values radar", text);
    }
}
