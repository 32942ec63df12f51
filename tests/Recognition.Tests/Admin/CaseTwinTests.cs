using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Tests.Support;
using Recognition.Web.Features.Kiosk;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Tests.Admin;

/// <summary>One person, one employee number and one badge code, whatever the case or width: the form, the importer, sign-in and the database.</summary>
public sealed class CaseTwinTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private static Dictionary<string, string> Person(long site, string no, string? badge = null) => new()
    {
        ["SiteId"] = site.ToString(), ["EmployeeNo"] = no, ["NameZh"] = "新同事", ["NameEn"] = "New Colleague", ["Locale"] = "en-US", ["Version"] = "0",
        ["BadgeCode"] = badge ?? "",
    };

    [Fact]
    public async Task The_person_form_refuses_a_number_or_badge_that_differs_only_in_case_or_width_and_writes_nothing()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        foreach (var (no, badge) in new[] { ("e1", (string?)null), ("Ｅ１", null), (" E1 ", null), ("N200", "b-e1") })
        {
            var res = await admin.PostFormAsync("/Admin/Person?handler=Save", Person(_w.SiteId, no, badge), formPage: "/Admin/Person");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
            Assert.NotNull((await Session.Doc(res)).QuerySelector(".error, [role=alert], #person-error"));
        }
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
        // The database itself refuses a twin written past the app.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _app.Db.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE employees SET employee_no = 'e1' WHERE employee_no = 'E2'", transaction: t)));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _app.Db.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE employees SET badge_code = 'b-e1' WHERE employee_no = 'E2'", transaction: t)));
    }

    [Fact]
    public async Task The_importer_treats_a_lower_case_number_as_the_same_person_and_a_case_twin_in_one_file_as_a_duplicate()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        const string header = "employee_no,name_zh,name_en\r\n";
        var same = await admin.PostFileAsync("/Admin/Import?handler=Preview", "/Admin/Import", "file", "people.csv",
            Encoding.UTF8.GetBytes(header + "e1,王伟,Wei Wang\r\n"));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal("新增 0，变更 0，不变 1，停用 0，错误 0", (await Session.Doc(same)).QuerySelector("#preview-summary")!.TextContent);
        var twins = await admin.PostFileAsync("/Admin/Import?handler=Preview", "/Admin/Import", "file", "people.csv",
            Encoding.UTF8.GetBytes(header + "N9,甲,A\r\nn9,乙,B\r\n"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twins.StatusCode);
        Assert.Contains("错误 1", (await Session.Doc(twins)).QuerySelector("#preview-summary")!.TextContent);
    }

    [Fact]
    public async Task Sign_in_and_the_kiosk_find_the_person_whatever_the_case()
    {
        var office = await Session.SignInAsync(_app, "e1");
        Assert.Equal(HttpStatusCode.OK, (await office.Client.GetAsync("/Me")).StatusCode);
        var kiosk = _app.Get<KioskSignIn>();
        Assert.Equal(_w.Giver, (await kiosk.ByPinAsync(_w.SiteId, 1, "ｅ1", "123456", _app.Clock.UtcNow)).Value!.Id);
        Assert.Equal(_w.Giver, (await kiosk.ByBadgeAsync(_w.SiteId, 1, "b-e1", _app.Clock.UtcNow)).Value!.Id);
    }

    [SqliteFact]
    public async Task Migration_0013_renames_existing_twins_audits_them_and_then_enforces_the_rule()
    {
        var dir = Directory.CreateTempSubdirectory("recognition-0013-").FullName;
        try
        {
            await using var db = new Db(DbProvider.Sqlite, $"Data Source={Path.Combine(dir, "twins.db")}");
            var runner = new Migrator(db, NullLogger<Migrator>.Instance);
            await runner.MigrateAsync(target: 12);
            await db.WriteAsync(async (c, t) =>
            {
                var site = await c.QuerySingleAsync<long>("INSERT INTO sites (code, name_zh, name_en, time_zone, created_utc) VALUES ('U', '升级', 'Upgrade', 'Asia/Shanghai', '2026-01-01T00:00:00Z') RETURNING id", transaction: t);
                foreach (var (no, badge) in new[] { ("E0001", "BADGE-1"), ("e0001", "badge-1"), ("E0002", null) })
                {
                    await c.ExecuteAsync("INSERT INTO employees (site_id, employee_no, badge_code, name_zh, roles, created_utc) VALUES (@site, @no, @badge, @no, 1, '2026-01-01T00:00:00Z')",
                        new { site, no, badge }, t);
                }
            });
            Assert.Equal(1, await runner.MigrateAsync(target: 13));
            await using var conn = await db.OpenAsync();
            var rows = (await conn.QueryAsync<(long Id, string No, string? Badge)>("SELECT id, employee_no, badge_code FROM employees ORDER BY id")).ToList();
            Assert.Equal(("E0001", "BADGE-1"), (rows[0].No, rows[0].Badge));
            Assert.Equal(($"e0001-DUP{rows[1].Id}", (string?)null), (rows[1].No, rows[1].Badge));
            Assert.Equal(2, await conn.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = 'employee.case_twin' AND target = @t", new { t = $"employee:{rows[1].Id}" }));
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => conn.ExecuteAsync("UPDATE employees SET employee_no = 'e0002' WHERE id = @Id", new { rows[1].Id }));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
