using System.Net;
using Recognition.Tests.Support;

namespace Recognition.Tests.Admin;

public sealed class OrganisationTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private Session _a1 = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
        _a1 = await Session.SignInAsync(_app, "A1");
    }

    // The antiforgery token comes from a page without hidden ids: the organisation page holds one form per row.
    private Task<HttpResponseMessage> Post(string handler, Dictionary<string, string> form) =>
        _a1.PostFormAsync($"/Admin/Organisation?handler={handler}", form, formPage: "/Admin/People");

    [Fact]
    public async Task A_site_admin_adds_an_area_a_shift_and_a_team_with_leaders_and_shifts_all_audited()
    {
        Assert.Equal(HttpStatusCode.Redirect, (await Post("Area", new() { ["site"] = $"{_w.SiteId}", ["nameZh"] = "喷漆车间", ["nameEn"] = "Paint shop", ["active"] = "true" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Post("Shift", new() { ["site"] = $"{_w.SiteId}", ["code"] = "N", ["nameZh"] = "夜班", ["nameEn"] = "Night", ["start"] = "22:00", ["end"] = "06:00", ["active"] = "true" })).StatusCode);
        var night = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM shifts WHERE code = 'N'");
        var team = new Dictionary<string, string> { ["site"] = $"{_w.SiteId}", ["code"] = "PAINT", ["nameZh"] = "喷漆班", ["nameEn"] = "Paint", ["kind"] = "standing", ["active"] = "true" };
        var res = await _a1.PostFormAsync("/Admin/Organisation?handler=Team", team, formPage: "/Admin/People",
            extra: [new("leaders", $"{_w.SupA}"), new("leaders", $"{_w.Admin}"), new("shifts", $"{night}")]);
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var id = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT id FROM teams WHERE code = 'PAINT'");
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM team_leaders WHERE team_id = @id", new { id }));
        Assert.Equal(night, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT shift_id FROM team_shifts WHERE team_id = @id", new { id }));
        Assert.Equal(1320, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT start_minute FROM shifts WHERE id = @night", new { night }));
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action IN ('area.create', 'shift.create', 'team.create')"));
        // Deactivate, never delete: the team stays for history, off the lists.
        team["id"] = $"{id}";
        team.Remove("active");
        Assert.Equal(HttpStatusCode.Redirect, (await Post("Team", team)).StatusCode);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT active FROM teams WHERE id = @id", new { id }));
        Assert.Contains("\"active\":1", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT before_json FROM audit_log WHERE action = 'team.update'"));
    }

    [Fact]
    public async Task Bad_organisation_input_is_refused_with_a_reason_and_writes_nothing()
    {
        var cases = new (string Handler, Dictionary<string, string> Form, string Error)[]
        {
            ("Site", new() { ["id"] = $"{_w.SiteId}", ["code"] = "T1", ["nameZh"] = "测试厂", ["timeZone"] = "Mars/Base", ["locale"] = "zh-CN", ["active"] = "true" }, "请从列表中选择时区。"),
            ("Site", new() { ["code"] = "NEW", ["nameZh"] = "新厂", ["timeZone"] = "Asia/Shanghai", ["active"] = "true" }, "只有集团管理员可以新增厂区。"),
            ("Site", new() { ["id"] = $"{_w.SiteB}", ["code"] = "T2", ["nameZh"] = "深圳厂", ["timeZone"] = "Asia/Shanghai", ["active"] = "true" }, "你只能管理自己厂区的人员。"),
            ("Shift", new() { ["site"] = $"{_w.SiteId}", ["code"] = "X", ["nameZh"] = "班", ["start"] = "25:00", ["end"] = "06:00" }, "请按 HH:mm 填写时间，例如 06:30。"),
            ("Team", new() { ["site"] = $"{_w.SiteId}", ["code"] = "A", ["nameZh"] = "重复", ["kind"] = "standing" }, "此代码已被使用。"),
            ("Team", new() { ["site"] = $"{_w.SiteId}", ["code"] = "Z", ["nameZh"] = "\u200B", ["kind"] = "standing" }, "请填写名称。"),
            ("Team", new() { ["site"] = $"{_w.SiteId}", ["code"] = "Z", ["nameZh"] = "新队", ["kind"] = "standing", ["leaders"] = $"{_w.AdminB}" }, "负责人必须是此厂区在职的主管或管理员。"),
            ("Team", new() { ["site"] = $"{_w.SiteId}", ["id"] = $"{_w.TeamC}", ["code"] = "C", ["nameZh"] = "偷改", ["kind"] = "standing" }, "找不到，或不在你管理的厂区。"),
            ("Area", new() { ["site"] = $"{_w.SiteB}", ["nameZh"] = "别人的区域" }, "你只能管理自己厂区的人员。"),
        };
        foreach (var (handler, form, error) in cases)
        {
            var before = await DbProbe.FingerprintAsync(_app.Db);
            var res = await Post(handler, form);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
            Assert.Equal(error, (await Session.Doc(res)).QuerySelector("#org-error")!.TextContent);
            Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        }
    }

    [Fact]
    public async Task An_organisation_admin_adds_a_site_and_the_audit_page_shows_it_to_them_but_not_to_a_site_admin()
    {
        var org = await Session.SignInAsync(_app, "OA1");
        var res = await org.PostFormAsync("/Admin/Organisation?handler=Site",
            new() { ["code"] = "WH3", ["nameZh"] = "三号仓", ["nameEn"] = "Warehouse 3", ["timeZone"] = "Asia/Shanghai", ["locale"] = "en-US", ["active"] = "true" }, formPage: "/Admin/People");
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.Equal("en-US", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT default_locale FROM sites WHERE code = 'WH3'"));
        var audit = await org.GetDocAsync("/Admin/Audit?what=site.");
        Assert.Contains("WH3", audit.QuerySelector("#audit")!.TextContent);
        Assert.Equal("添加了厂区", audit.QuerySelector("#audit tr[data-action='site.create'] .audit-what")!.TextContent.Trim());
        Assert.DoesNotContain("WH3", (await _a1.GetDocAsync("/Admin/Audit?what=site.")).QuerySelector("main")!.TextContent);
        Assert.NotEqual(HttpStatusCode.OK, (await (await Session.SignInAsync(_app, "E1")).Client.GetAsync("/Admin/Audit")).StatusCode);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
