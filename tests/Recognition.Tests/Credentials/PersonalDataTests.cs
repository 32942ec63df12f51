using System.Net;
using System.Text.Json;
using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Me;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Credentials;

/// <summary>The personal export, the transparency page that describes it, the printed record, HR's export, and retention.</summary>
public sealed class PersonalDataTests : IAsyncLifetime
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

    private async Task<long> GiveAsync(long from, long to, string message, string badge = "mentor")
    {
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(from, [to], _w.Badges[badge], null, message, "public", 5, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    private Task SetActiveAsync(long id, bool active) =>
        _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET active = @active WHERE id = @id", new { active, id }, t));

    [Fact]
    public async Task Every_column_that_points_at_a_person_is_exported_or_listed_with_its_reason_and_the_transparency_page_lists_exactly_the_export()
    {
        // Every foreign key to employees in the real schema: a new table with person data and no entry fails here.
        var linked = await _app.Db.ReadAsync(c => c.QueryAsync<string>(
            @"SELECT m.name || '.' || p.""from"" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p
              WHERE m.type = 'table' AND p.""table"" = 'employees' ORDER BY 1", new { }));
        var covered = PersonalData.Sections.SelectMany(s => s.Covers).Concat(PersonalData.NotExportedColumns.Select(n => n.Column)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal([], linked.Where(l => !covered.Contains(l)).ToArray());
        // And nothing listed that is not there (a renamed column would leave a stale entry).
        var columns = (await _app.Db.ReadAsync(c => c.QueryAsync<string>(
            "SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'", new { }))).ToHashSet(StringComparer.Ordinal);
        Assert.Equal([], covered.Where(c => !columns.Contains(c)).ToArray());

        var id = await GiveAsync(_w.Giver, _w.Alice, "You found the leak in line 3 before the night shift came in.");
        await GiveAsync(_w.Alice, _w.Dave, "你把新来的同事带得很好，一周就能独立上岗。");
        var alice = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        Assert.Equal(HttpStatusCode.Redirect, (await alice.PostFormAsync($"/r/{id}?handler=React", new() { ["kind"] = "like", ["on"] = "true" }, formPage: $"/r/{id}")).StatusCode);

        var page = await alice.GetDocAsync("/Transparency");
        var listed = page.QuerySelectorAll("#export-sections li").Select(li => li.GetAttribute("data-section")).ToList();
        Assert.Equal(PersonalData.Sections.Select(s => s.Key), listed);
        Assert.Equal(4, page.QuerySelectorAll("#export-not li").Length);

        var res = await alice.Client.GetAsync("/me/export.json");
        Assert.Equal("application/json", res.Content.Headers.ContentType!.MediaType);
        var export = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["generated_utc", "format", .. listed!], export.EnumerateObject().Select(p => p.Name));
        Assert.Equal("E2", export.GetProperty("profile")[0].GetProperty("employee_no").GetString());
        Assert.Contains(export.GetProperty("recognitions_received").EnumerateArray(), r => r.GetProperty("message").GetString()!.Contains("leak in line 3", StringComparison.Ordinal));
        Assert.Single(export.GetProperty("recognitions_given").EnumerateArray());
        Assert.Equal("like", export.GetProperty("reactions")[0].GetProperty("kind").GetString());
        Assert.Equal(await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COUNT(*) FROM points_ledger WHERE employee_id = {_w.Alice}"), export.GetProperty("ledger").GetArrayLength());
        Assert.Equal(5, export.GetProperty("ledger").EnumerateArray().Sum(l => l.GetProperty("points").GetInt32()));
        Assert.Contains(export.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "me.export");
        // Nobody else's words are in it.
        Assert.DoesNotContain(export.GetProperty("recognitions_received").EnumerateArray(), r => r.GetProperty("message").GetString()!.Contains("一周就能独立上岗", StringComparison.Ordinal));

        var csv = await alice.Client.GetStringAsync("/me/export.csv");
        foreach (var key in listed) Assert.Contains($"# {key}\r\n", csv);
        Assert.Contains("leak in line 3", csv);
    }

    [Fact]
    public async Task HR_exports_a_person_who_left_within_their_sites_and_the_record_prints_by_year_and_value()
    {
        // Arranged: recognised in two years while still here, then left.
        await SetActiveAsync(_w.Gone, true);
        await GiveAsync(_w.Giver, _w.Gone, "Thank you for ten years of careful work on the press line.", "safety_star");
        _app.Clock.Advance(TimeSpan.FromDays(400));
        await GiveAsync(_w.Giver, _w.Gone, "You trained every new starter on lockout-tagout this spring.");
        await SetActiveAsync(_w.Gone, false);
        var hr = await Session.SignInAsync(_app, "A1");
        var json = await hr.Client.GetAsync($"/admin/people/{_w.Gone}/export.json");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("recognitions_received").GetArrayLength());
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COUNT(*) FROM audit_log WHERE action = 'people.export' AND actor_id = {_w.Admin} AND target = 'employee:{_w.Gone}'"));
        var person = await hr.GetDocAsync($"/Admin/Person?id={_w.Gone}");
        Assert.NotNull(person.QuerySelector($"#person-export a[href='/admin/people/{_w.Gone}/export.csv']"));

        var pdf = await (await hr.Client.GetAsync($"/admin/people/{_w.Gone}/record.pdf")).Content.ReadAsByteArrayAsync();
        await Poppler.CheckAsync(pdf);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "screenshots", "recognition-record.pdf"), pdf); // to look at
        var text = await Poppler.TextAsync(pdf);
        Assert.Contains("Recognition record", text);
        Assert.Contains("离职者", text);
        Assert.Contains("2026", text);
        Assert.Contains("2027", text);
        Assert.True(text.IndexOf("2027", StringComparison.Ordinal) < text.IndexOf("2026 ", StringComparison.Ordinal), "newest year first");
        Assert.Contains("lockout-tagout", text);
        Assert.Contains("学习 Learning", text); // grouped under its value

        // Another site's admin and an employee get nothing.
        var other = await Session.SignInAsync(_app, "AB1");
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/admin/people/{_w.Gone}/export.json")).StatusCode);
        var employee = await Session.SignInAsync(_app, "E1");
        Assert.NotEqual(HttpStatusCode.OK, (await employee.Client.GetAsync($"/admin/people/{_w.Gone}/export.json")).StatusCode);
        // The person's own record from /Me.
        var own = await (await (await Session.SignInAsync(_app, "E2")).Client.GetAsync("/me/record.pdf")).Content.ReadAsByteArrayAsync();
        Assert.Contains("陈静", await Poppler.TextAsync(own));
    }

    [Fact]
    public async Task Retention_counts_first_then_blanks_only_old_text_of_people_who_left_and_the_ledger_is_untouched()
    {
        var old = await GiveAsync(_w.Giver, _w.Alice, "Old words from someone who has since left the company.");
        var recent = await GiveAsync(_w.Giver, _w.Dave, "Recent words from the same person, still within the years kept.");
        var staying = await GiveAsync(_w.Dave, _w.Alice, "Words from someone who still works here, just as old.");
        // Arranged: the first and third were written three years ago; then the giver left.
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE recognitions SET created_utc = @at WHERE id IN @ids", new { at = _app.Clock.UtcNow.AddYears(-3), ids = new[] { old, staying } }, t));
        await SetActiveAsync(_w.Giver, false);
        var hr = await Session.SignInAsync(_app, "A1");
        var bad = await hr.PostFormAsync("/Admin/DataKeeping?handler=Save", new() { ["years"] = "0" }, formPage: "/Admin/DataKeeping");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("年限须为 1 到 50 的整数，留空表示全部保留。", (await Session.Doc(bad)).QuerySelector("#retention-error")!.TextContent);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM retention_policies"));
        Assert.Equal(HttpStatusCode.Redirect, (await hr.PostFormAsync("/Admin/DataKeeping?handler=Save", new() { ["years"] = "2" }, formPage: "/Admin/DataKeeping")).StatusCode);
        // Refused again with a policy saved: the box shows what was typed (to correct it), not the saved two years.
        var again = await Session.Doc(await hr.PostFormAsync("/Admin/DataKeeping?handler=Save", new() { ["years"] = "99" }, formPage: "/Admin/DataKeeping"));
        Assert.Equal("99", again.QuerySelector("input[name=years]")!.GetAttribute("value"));
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT leaver_text_years FROM retention_policies"));
        Assert.Equal(HttpStatusCode.Redirect, (await hr.PostFormAsync("/Admin/DataKeeping?handler=Save", new() { ["years"] = "2" }, formPage: "/Admin/DataKeeping")).StatusCode);

        var ledger = await DbProbe.FingerprintAsync(_app.Db);
        var dry = await Session.Doc(await hr.PostFormAsync("/Admin/DataKeeping?handler=DryRun", [], formPage: "/Admin/DataKeeping"));
        Assert.Equal("1", dry.QuerySelector("#retention-counts tr[data-kind=recognitions] td:last-child")!.TextContent);
        Assert.Equal(ledger, await DbProbe.FingerprintAsync(_app.Db)); // a dry run writes nothing

        var balances = await _app.Db.ReadAsync(c => c.QueryAsync<(long, long)>("SELECT employee_id, balance FROM point_balances ORDER BY employee_id", new { }));
        var ledgerRows = await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM points_ledger");
        var applied = await Session.Doc(await hr.PostFormAsync("/Admin/DataKeeping?handler=Apply", [], formPage: "/Admin/DataKeeping"));
        Assert.Equal("true", applied.QuerySelector("#retention-counts")!.GetAttribute("data-applied"));
        Assert.Equal("", await DbProbe.ScalarAsync<string>(_app.Db, $"SELECT message FROM recognitions WHERE id = {old}"));
        Assert.StartsWith("Recent words", await DbProbe.ScalarAsync<string>(_app.Db, $"SELECT message FROM recognitions WHERE id = {recent}"));
        Assert.StartsWith("Words from someone who still works here", await DbProbe.ScalarAsync<string>(_app.Db, $"SELECT message FROM recognitions WHERE id = {staying}"));
        Assert.Equal(balances, await _app.Db.ReadAsync(c => c.QueryAsync<(long, long)>("SELECT employee_id, balance FROM point_balances ORDER BY employee_id", new { })));
        Assert.Equal(ledgerRows, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM points_ledger"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'retention.apply'"));
        // The daily run after it finds nothing more; another site's admin cannot reach this site's settings.
        Assert.All(await _app.Get<RetentionService>().ApplyAsync(_w.SiteId, null, null), c => Assert.Equal(0, c.Rows));
        Assert.Equal(HttpStatusCode.NotFound, (await (await Session.SignInAsync(_app, "AB1")).Client.GetAsync($"/Admin/DataKeeping?site={_w.SiteId}")).StatusCode);
    }
}
