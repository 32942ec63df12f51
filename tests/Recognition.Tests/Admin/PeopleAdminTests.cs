using System.Net;
using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Kiosk;

namespace Recognition.Tests.Admin;

public sealed class PeopleAdminTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
    }

    private static Dictionary<string, string> NewPerson(long site, string no = "N100") => new()
    {
        ["SiteId"] = site.ToString(), ["EmployeeNo"] = no, ["NameZh"] = "新同事", ["NameEn"] = "New Colleague", ["Locale"] = "en-US", ["Version"] = "0",
    };

    [Fact]
    public async Task A_site_admin_creates_a_person_who_is_audited_with_the_values_and_can_find_them()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        var form = NewPerson(_w.SiteId);
        form["TeamId"] = _w.TeamA.ToString();
        form["GenerateBadge"] = "true";
        var res = await admin.PostFormAsync("/Admin/Person?handler=Save", form, formPage: "/Admin/Person");
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var row = (await DbProbe.QueryAsync<(long Id, string Badge, long Team, string Locale)>(_app.Db,
            "SELECT id, badge_code, team_id, locale FROM employees WHERE employee_no = 'N100'")).Single();
        Assert.Matches("^B[0-9A-F]{20}$", row.Badge); // 80 random bits
        Assert.Equal((_w.TeamA, "en-US"), (row.Team, row.Locale));
        var after = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT after_json FROM audit_log WHERE action = 'person.create'");
        Assert.Contains("\"nameZh\":\"新同事\"", after);
        var list = await admin.GetDocAsync("/Admin/People?q=新同");
        Assert.Single(list.QuerySelectorAll("#people tbody tr"));
    }

    [Fact]
    public async Task A_site_admin_sees_and_touches_nobody_at_another_site()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        var list = await admin.GetDocAsync($"/Admin/People?q=EB1&site={_w.SiteB}&status=all");
        Assert.Empty(list.QuerySelectorAll("#people tbody tr"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync($"/Admin/Person?id={_w.Eve}")).StatusCode);

        var before = await DbProbe.FingerprintAsync(_app.Db);
        var edit = NewPerson(_w.SiteB, "EB1");
        edit["Id"] = _w.Eve.ToString();
        edit["Version"] = "1";
        var res = await admin.PostFormAsync("/Admin/Person?handler=Save", edit, formPage: "/Admin/Person");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostFormAsync("/Admin/Person?handler=Active",
            new() { ["Id"] = _w.Eve.ToString(), ["active"] = "false" }, formPage: "/Admin/Person")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostFormAsync("/Admin/Person?handler=Reset",
            new() { ["Id"] = _w.Eve.ToString() }, formPage: "/Admin/Person")).StatusCode);
        // Creating someone at the other site, or on a team of the other site, is refused too.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostFormAsync("/Admin/Person?handler=Save", NewPerson(_w.SiteB), formPage: "/Admin/Person")).StatusCode);
        var wrongTeam = NewPerson(_w.SiteId);
        wrongTeam["TeamId"] = _w.TeamC.ToString();
        var teamRes = await admin.PostFormAsync("/Admin/Person?handler=Save", wrongTeam, formPage: "/Admin/Person");
        Assert.Equal("所选班组不存在、已停用或不在此厂区。", (await Session.Doc(teamRes)).QuerySelector("#person-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        // An organisation admin sees both sites.
        var org = await Session.SignInAsync(_app, "OA1");
        Assert.Single((await org.GetDocAsync($"/Admin/People?q=EB1&site={_w.SiteB}")).QuerySelectorAll("#people tbody tr"));
        Assert.Equal(HttpStatusCode.OK, (await org.Client.GetAsync($"/Admin/Person?id={_w.Eve}")).StatusCode);
    }

    [Fact]
    public async Task Bad_input_gets_a_localized_error_and_writes_nothing()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        var cases = new (string Field, string Value, string Error)[]
        {
            ("EmployeeNo", "E1", "此工号已被使用。"),
            ("EmployeeNo", "", "工号只能包含字母、数字和 . _ -，以字母或数字开头，最多 32 个字符。"),
            ("NameZh", "\u200B\u202E ", "请至少填写一个姓名（中文或英文）。"),
            ("Email", "not-an-email", "邮箱格式不正确。"),
            ("BadgeCode", "B-E1", "此工牌编码已被使用。"),
            ("ManagerId", _w.AdminB.ToString(), "所选上级不存在、已停用或不在此厂区。"),
        };
        foreach (var (field, value, error) in cases)
        {
            var before = await DbProbe.FingerprintAsync(_app.Db);
            var form = NewPerson(_w.SiteId);
            form[field] = value;
            if (field == "NameZh") form["NameEn"] = "";
            var res = await admin.PostFormAsync("/Admin/Person?handler=Save", form, formPage: "/Admin/Person");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
            Assert.Equal(error, (await Session.Doc(res)).QuerySelector("#person-error")!.TextContent);
            Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        }
        // Hostile text is stored as plain, one-line text and shown escaped.
        var hostile = NewPerson(_w.SiteId, "N200");
        hostile["NameZh"] = "<script>alert(1)</script>\u200B\n赵\u202E磊";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Admin/Person?handler=Save", hostile, formPage: "/Admin/Person")).StatusCode);
        Assert.Equal("<script>alert(1)</script> 赵磊", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT name_zh FROM employees WHERE employee_no = 'N200'"));
        var html = await (await admin.Client.GetAsync("/Admin/People?q=N200")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)</script>", html);
    }

    [Fact]
    public async Task Two_admins_saving_the_same_person_the_second_is_told_and_nothing_is_lost()
    {
        var one = await Session.SignInAsync(_app, "A1");
        var two = await Session.SignInAsync(_app, "OA1");
        var form = NewPerson(_w.SiteId, "E3");
        form["Id"] = _w.Bob.ToString();
        form["Version"] = "1"; // both loaded version 1
        form["NameEn"] = "Qiang Liu (first)";
        Assert.Equal(HttpStatusCode.Redirect, (await one.PostFormAsync("/Admin/Person?handler=Save", form, formPage: "/Admin/Person")).StatusCode);
        form["NameEn"] = "Qiang Liu (second)";
        var res = await two.PostFormAsync("/Admin/Person?handler=Save", form, formPage: "/Admin/Person");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.StartsWith("在你编辑期间，其他人修改了此人的资料", (await Session.Doc(res)).QuerySelector("#person-error")!.TextContent);
        Assert.Equal("Qiang Liu (first)", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT name_en FROM employees WHERE id = @id", new { id = _w.Bob }));
    }

    [Fact]
    public async Task Deactivation_ends_open_sessions_blocks_office_and_kiosk_and_keeps_history()
    {
        var bob = await Session.SignInAsync(_app, "E3");
        Assert.Equal(HttpStatusCode.OK, (await bob.Client.GetAsync("/Me")).StatusCode);
        await _app.Db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET badge_code = 'B-E3' WHERE id = @id", new { id = _w.Bob }, t));
        Assert.NotNull((await _app.Get<KioskSignIn>().ByBadgeAsync(_w.SiteId, 1, "B-E3", _app.Clock.UtcNow)).Value);
        var ledgerBefore = await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM points_ledger");
        var admin = await Session.SignInAsync(_app, "A1");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Admin/Person?handler=Active",
            new() { ["Id"] = _w.Bob.ToString(), ["active"] = "false" }, formPage: "/Admin/Person")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await bob.Client.GetAsync("/Me")).StatusCode); // the open session is gone
        var again = Session.Anonymous(_app);
        Assert.NotNull((await Session.Doc(await again.PostFormAsync("/Account/SignIn", new() { ["Login"] = "E3", ["Password"] = World.Password }))).QuerySelector("#signin-error"));
        Assert.Null((await _app.Get<KioskSignIn>().ByBadgeAsync(_w.SiteId, 1, "B-E3", _app.Clock.UtcNow)).Value);
        Assert.Equal(ledgerBefore, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM points_ledger"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.deactivate'"));
    }

    [Fact]
    public async Task A_role_change_reaches_an_open_session_at_once()
    {
        var bob = await Session.SignInAsync(_app, "E3");
        Assert.Equal(HttpStatusCode.OK, (await bob.Client.GetAsync("/")).StatusCode);
        var admin = await Session.SignInAsync(_app, "A1");
        var form = NewPerson(_w.SiteId, "E3");
        (form["Id"], form["Version"], form["Supervisor"], form["NameZh"], form["NameEn"]) = (_w.Bob.ToString(), "1", "true", "刘强", "Qiang Liu");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Admin/Person?handler=Save", form, formPage: "/Admin/Person")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await bob.Client.GetAsync("/")).StatusCode);
        var fresh = await Session.SignInAsync(_app, "E3");
        Assert.Equal(HttpStatusCode.OK, (await fresh.Client.GetAsync("/Supervisor/Team")).StatusCode);
    }

    [Fact]
    public async Task A_password_reset_link_works_once_and_the_old_password_stops_working()
    {
        var bob = await Session.SignInAsync(_app, "E3");
        var admin = await Session.SignInAsync(_app, "A1");
        var res = await admin.PostFormAsync("/Admin/Person?handler=Reset", new() { ["Id"] = _w.Bob.ToString() }, formPage: "/Admin/Person");
        var link = (await Session.Doc(res)).QuerySelector("#reset-link code")!.TextContent;
        var path = new Uri(link).PathAndQuery;
        Assert.Equal(HttpStatusCode.Redirect, (await bob.Client.GetAsync("/Me")).StatusCode);
        var old = Session.Anonymous(_app);
        Assert.NotNull((await Session.Doc(await old.PostFormAsync("/Account/SignIn", new() { ["Login"] = "E3", ["Password"] = World.Password }))).QuerySelector("#signin-error"));

        var anon = Session.Anonymous(_app);
        var weak = await anon.PostFormAsync(path, new() { ["Password"] = "short", ["Confirm"] = "short" }, formPage: path);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, weak.StatusCode);
        var ok = await anon.PostFormAsync(path, new() { ["Password"] = "new-pass-2026", ["Confirm"] = "new-pass-2026" }, formPage: path);
        Assert.NotNull((await Session.Doc(ok)).QuerySelector("#reset-done"));
        await Session.SignInAsync(_app, "E3", "new-pass-2026");
        Assert.Equal(HttpStatusCode.Gone, (await anon.Client.GetAsync(path)).StatusCode); // used once
    }

    [Fact]
    public async Task Office_sessions_end_after_their_absolute_lifetime_however_active()
    {
        var bob = await Session.SignInAsync(_app, "E3");
        for (var h = 0; h < 11; h++)
        {
            _app.Clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal(HttpStatusCode.OK, (await bob.Client.GetAsync("/")).StatusCode);
        }
        _app.Clock.Advance(TimeSpan.FromHours(1.5));
        Assert.Equal(HttpStatusCode.Redirect, (await bob.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task People_pages_are_for_admins_only()
    {
        var bob = await Session.SignInAsync(_app, "E3");
        Assert.NotEqual(HttpStatusCode.OK, (await bob.Client.GetAsync("/Admin/People")).StatusCode);
        var sup = await Session.SignInAsync(_app, "S1");
        Assert.NotEqual(HttpStatusCode.OK, (await sup.Client.GetAsync($"/Admin/Person?id={_w.Bob}")).StatusCode);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
