using System.Net;
using System.Text;
using Recognition.Tests.Support;
using Recognition.Web.Features.Insights;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Coaching;

/// <summary>
/// Fairness of value (issue #37): points per recognition and the share with points by shift, role, tenure band and gender,
/// beside the site, through the rollups, the page, its CSV, the clue queue and the people admin that records gender.
/// </summary>
public sealed class FairnessTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app, crowd: 20);
        await _app.SetPolicyAsync(r => { r.DailyRecognitionCap = 1000; r.MonthlyAllowance = 100000; r.MaxSharePercentToOnePerson = 100; });
        // Women: the first ten of the crowd (five in each team); men: the other ten. Tenure: half under a year, half 3–10 years,
        // crossing gender, so no difference between the two breakdowns singles anyone out. The named people have neither.
        for (var i = 0; i < 20; i++)
        {
            await _app.Db.WriteAsync((c, t) => c.ExecAsync(t, "UPDATE employees SET gender = @g, hire_day = @h WHERE id = @id",
                new { g = i < 10 ? "f" : "m", h = i % 4 < 2 ? 20260601 : 20200101, id = _w.Crowd[i] }));
        }
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task GiveAsync(long to, int points)
    {
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [to], _w.Badges["mentor"], null,
            "你今天帮我们班组调试了新模具，整条线提前一小时恢复了生产，谢谢！", "public", points, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
    }

    [Fact]
    public async Task A_group_given_less_value_per_recognition_is_marked_becomes_a_clue_and_small_groups_read_less_than_five()
    {
        // Women receive 24 recognitions without points, men 24 with 5 points each: the site is 2.5 points and 50 %.
        for (var i = 0; i < 24; i++)
        {
            await GiveAsync(_w.Crowd[i % 10], 0);
            await GiveAsync(_w.Crowd[10 + i % 10], 5);
        }
        var result = await _app.Get<InsightsBuilder>().RebuildAsync(_w.SiteId, _app.Clock.UtcNow);
        var (site, rows) = await _app.Get<InsightsQueries>().FairnessAsync(_w.SiteId, 20);
        Assert.Equal("2.5", site.PointsPerRecognition);
        Assert.Equal(50, site.WithPointsPct.Value);
        var women = rows.Single(r => r.GroupKey == "Insights.Gender.f");
        var men = rows.Single(r => r.GroupKey == "Insights.Gender.m");
        Assert.Equal((24, "0.0", 0), (women.Figures.Received.Value, women.Figures.PointsPerRecognition, women.Figures.WithPointsPct.Value));
        Assert.Equal((24, "5.0", 100), (men.Figures.Received.Value, men.Figures.PointsPerRecognition, men.Figures.WithPointsPct.Value));
        Assert.True(women.Flagged && men.Flagged);
        // Tenure bands mix both, so they sit at the site's figure and are not marked; nobody has "another" gender: hidden, not 0.
        Assert.All(rows.Where(r => r.DimKey == "Insights.Tenure" && !r.Figures.Received.Hidden), r => Assert.False(r.Flagged));
        Assert.True(rows.Single(r => r.GroupKey == "Insights.Tenure1to3").Figures.PointsPer10.Hidden);
        Assert.True(rows.Single(r => r.GroupKey == "Insights.Gender.x").Figures.WithPointsPct.Hidden);
        Assert.False(rows.Single(r => r.GroupKey == "Insights.TenureUnder1").Figures.Received.Hidden);

        // The rebuild put both on the clue queue for HR, with the figures, in the reader's language; no revoke button.
        Assert.True(result.Clues >= 2);
        var clues = await DbProbe.QueryAsync<(string Key, string Detail, string People)>(_app.Db, "SELECT clue_key, detail, people FROM insight_clues WHERE kind = 'fairness'");
        Assert.Equal(2, clues.Count);
        Assert.All(clues, c => Assert.Equal("", c.People));
        var admin = await Session.SignInAsync(_app, "A1");
        var queue = await admin.GetDocAsync("/Insights/Clues");
        var cards = queue.QuerySelectorAll("article[data-kind=fairness]");
        Assert.Equal(2, cards.Length);
        Assert.Contains(cards, c => c.TextContent.Contains("性别 · 女: 0.0 / 2.5; 0% / 50%", StringComparison.Ordinal));
        Assert.All(cards, c => Assert.Null(c.QuerySelector("form[action*=Revoke]")));
        await _app.Db.WriteAsync((c, t) => c.ExecAsync(t, "UPDATE employees SET locale = 'en-US' WHERE id = @id", new { id = _w.Admin }));
        var english = await Session.SignInAsync(_app, "A1");
        Assert.Contains("Gender · Men: 5.0 / 2.5; 100% / 50%", (await english.GetDocAsync("/Insights/Clues")).Body!.TextContent, StringComparison.Ordinal);
        // A second rebuild the same month does not add them again.
        await _app.Get<InsightsBuilder>().RebuildAsync(_w.SiteId, _app.Clock.UtcNow);
        Assert.Equal(2, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM insight_clues WHERE kind = 'fairness'"));

        // The page: the site row, the marked groups, "<5" for a group under five; the CSV says the same.
        var page = await english.GetDocAsync($"/Insights/Fairness?site={_w.SiteId}");
        Assert.Contains("2.5", page.QuerySelector("#fairness-site")!.TextContent);
        Assert.NotNull(page.QuerySelector("tr[data-group='Insights.Gender.f'].flagged .fairness-flag"));
        Assert.Contains("<5", page.QuerySelector("tr[data-group='Insights.Gender.x']")!.TextContent);
        var csv = Encoding.UTF8.GetString(await english.Client.GetByteArrayAsync($"/Insights/Fairness?handler=Csv&site={_w.SiteId}"));
        Assert.Contains("Gender,Women,10,24,0.0,0,yes", csv);
        Assert.Contains("Gender,Another or not said,<5,<5,<5,<5,no", csv);
    }

    [Fact]
    public async Task Only_admins_of_the_site_see_it_and_a_site_that_is_not_theirs_is_refused_with_the_reason()
    {
        await _w.AddSecondSiteAsync(_app);
        var admin = await Session.SignInAsync(_app, "A1");
        var res = await admin.Client.GetAsync($"/Insights/Fairness?site={_w.SiteB}");
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Contains("你不能查看这个厂区。", await res.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/Insights/Fairness")).StatusCode); // their own site by default
        var supervisor = await Session.SignInAsync(_app, "S1");
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.Client.GetAsync("/Insights/Fairness")).StatusCode);
        var org = await Session.SignInAsync(_app, "OA1");
        Assert.Equal(HttpStatusCode.OK, (await org.Client.GetAsync($"/Insights/Fairness?site={_w.SiteB}")).StatusCode);
    }

    [Fact]
    public async Task HR_records_gender_on_the_person_form_and_in_the_import_and_a_bad_value_is_refused_and_writes_nothing()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        var form = $"/Admin/Person?id={_w.Dave}";
        var doc = await admin.GetDocAsync(form);
        var fields = doc.QuerySelectorAll("form#person-form input[name], form#person-form select[name]")
            .Where(e => e.GetAttribute("type") is not ("checkbox" or "submit") && e.GetAttribute("name") != "__RequestVerificationToken")
            .ToDictionary(e => e.GetAttribute("name")!, e => e.GetAttribute("value") ?? e.QuerySelector("option[selected]")?.GetAttribute("value") ?? "");
        fields["Gender"] = "q";
        var bad = await admin.PostFormAsync("/Admin/Person?handler=Save", fields, form);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("性别“q”无效", await bad.Content.ReadAsStringAsync());
        Assert.Null(await DbProbe.ScalarAsync<string?>(_app.Db, $"SELECT gender FROM employees WHERE id = {_w.Dave}"));
        fields["Gender"] = "m";
        var ok = await admin.PostFormAsync("/Admin/Person?handler=Save", fields, form);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal("m", await DbProbe.ScalarAsync<string?>(_app.Db, $"SELECT gender FROM employees WHERE id = {_w.Dave}"));
        Assert.Equal("m", (await admin.GetDocAsync(form)).QuerySelector("#gender option[selected]")?.GetAttribute("value"));

        // The import: a column of its own; a bad value names the row and the value, and nothing is applied.
        var import = _app.Get<Recognition.Web.Features.Admin.People.PeopleImport>();
        var scope = Recognition.Web.Domain.AdminScope.CommandLine;
        var badFile = Encoding.UTF8.GetBytes("employee_no,gender\nE2,f\nE3,woman\n");
        var plan = await import.ApplyAsync(badFile, new(_w.SiteId, false), scope, null, _app.Clock.UtcNow);
        Assert.False(plan.Applied);
        Assert.Contains(plan.Errors, e => e.Key == "People.BadGender" && e.EmployeeNo == "E3");
        Assert.Null(await DbProbe.ScalarAsync<string?>(_app.Db, $"SELECT gender FROM employees WHERE id = {_w.Alice}"));
        plan = await import.ApplyAsync(Encoding.UTF8.GetBytes("employee_no,gender\nE2,f\nE5,\n"), new(_w.SiteId, false), scope, null, _app.Clock.UtcNow);
        Assert.True(plan.Applied);
        Assert.Equal("f", await DbProbe.ScalarAsync<string?>(_app.Db, $"SELECT gender FROM employees WHERE id = {_w.Alice}"));
        Assert.Null(await DbProbe.ScalarAsync<string?>(_app.Db, $"SELECT gender FROM employees WHERE id = {_w.Dave}")); // emptied
        Assert.Contains(",f\r\n", Encoding.UTF8.GetString((await import.ExportAsync(_w.SiteId)).File)); // the export re-imports it
    }
}
