using System.Net;
using Recognition.Tests.Support;
using Recognition.Web.Features.Setup;

namespace Recognition.Tests.Setup;

/// <summary>First run on an empty database: /setup with the one-time code, and the `setup` command.</summary>
public sealed class SetupTests : IDisposable
{
    private readonly AppFactory _app = new();

    private Dictionary<string, string> Form(string? code = null) => new()
    {
        ["Code"] = code ?? _app.Get<SetupService>().Code, ["SiteCode"] = "SZ1", ["SiteNameZh"] = "苏州工厂", ["SiteNameEn"] = "Suzhou Plant",
        ["TimeZone"] = "Asia/Shanghai", ["Locale"] = "zh-CN", ["AdminNo"] = "H001", ["AdminNameZh"] = "王人事", ["AdminNameEn"] = "Wang HR",
        ["Password"] = "plant-2026-setup", ["Confirm"] = "plant-2026-setup",
    };

    [Fact]
    public async Task Setup_needs_the_code_then_creates_the_site_and_an_organisation_admin_who_is_signed_in()
    {
        var s = Session.Anonymous(_app);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Client.GetAsync("/setup")).StatusCode);
        var wrong = await s.Client.GetAsync("/setup?code=0123456789abcdef0123");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Contains("此设置链接无效", (await Session.Doc(wrong)).QuerySelector("#setup-closed")!.TextContent);

        var res = await s.PostFormAsync("/setup", Form(), formPage: $"/setup?code={_app.Get<SetupService>().Code}");
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.Equal("/Admin/People?welcome=true", res.Headers.Location!.OriginalString);
        Assert.Equal(13, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT roles FROM employees WHERE employee_no = 'H001'")); // Employee | Admin | OrgAdmin
        Assert.Equal("Asia/Shanghai", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT time_zone FROM sites WHERE code = 'SZ1'"));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'setup.done'"));
        var people = await s.GetDocAsync("/Admin/People?welcome=true");
        Assert.NotNull(people.QuerySelector("#welcome"));

        // Afterwards the page is closed, with a clear message, code or not.
        var again = await Session.Anonymous(_app, "en-US").Client.GetAsync($"/setup?code={_app.Get<SetupService>().Code}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("Setup is already complete. Sign in with an admin account.", (await Session.Doc(again)).QuerySelector("#setup-closed")!.TextContent);
    }

    [Theory]
    [InlineData("TimeZone", "Mars/Olympus", "请从列表中选择时区。")]
    [InlineData("Password", "short1", "密码太短：至少 10 个字符。")]
    [InlineData("Password", "onlyletterslong", "密码需要同时包含字母和数字。")]
    [InlineData("Password", "H001-secret-99", "密码不能包含工号。")]
    [InlineData("SiteNameZh", "", "请填写厂区名称。")]
    [InlineData("AdminNo", "工号 1", "工号只能包含字母、数字和 . _ -，以字母或数字开头，最多 32 个字符。")]
    [InlineData("SiteCode", "SZ 1;DROP", "厂区代码只能包含字母、数字、- 和 _，最多 20 个字符。")]
    public async Task Bad_setup_input_gets_a_clear_error_and_writes_nothing(string field, string value, string error)
    {
        var s = Session.Anonymous(_app);
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var form = Form();
        form[field] = value;
        if (field == "Password") form["Confirm"] = value;
        if (field == "SiteNameZh") form["SiteNameEn"] = "";
        var res = await s.PostFormAsync("/setup", form, formPage: $"/setup?code={_app.Get<SetupService>().Code}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.Equal(error, (await Session.Doc(res)).QuerySelector("#setup-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task A_wrong_code_on_post_writes_nothing()
    {
        var s = Session.Anonymous(_app);
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var form = Form("not-the-code");
        var res = await s.PostFormAsync("/setup", form, formPage: $"/setup?code={_app.Get<SetupService>().Code}");
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task Two_people_finishing_setup_at_once_make_one_admin()
    {
        var setup = _app.Get<SetupService>();
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => setup.CreateAsync(
            new SetupCommand($"S{i}", $"厂{i}", null, "Asia/Shanghai", "zh-CN", $"H{i}", "人事", null, "plant-2026-setup"), DateTime.UtcNow))));
        Assert.Single(results, r => r.Ok);
        Assert.All(results.Where(r => !r.Ok), r => Assert.Equal("Setup.AlreadyDone", r.Error));
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM sites"));
    }

    [SqliteFact]
    public async Task The_setup_command_creates_the_first_admin_once_and_explains_bad_input()
    {
        var file = Path.Combine(_app.DataDir, "cli-setup.db");
        var env = new Dictionary<string, string> { ["Recognition__ConnectionStrings__Recognition"] = $"Data Source={file}", ["RECOGNITION_ADMIN_PASSWORD"] = "plant-2026-setup" };
        string[] args = ["setup", "--site-name", "苏州工厂", "--time-zone", "Asia/Shanghai", "--admin-no", "H001", "--admin-name", "王人事"];

        Assert.Equal(2, (await AppProcess.RunAsync(env, "setup", "--site-name", "x")).Exit);
        var badZone = await AppProcess.RunAsync(env, [.. args[..4], "Nowhere/Town", .. args[5..]]);
        Assert.Equal(1, badZone.Exit);
        Assert.Contains("setup: Choose a time zone from the list.", badZone.Stderr);

        var (exit, stderr, stdout) = await AppProcess.RunWithOutputAsync(env, args);
        Assert.True(exit == 0, stderr);
        Assert.Contains("Setup complete", stdout);
        Assert.DoesNotContain("plant-2026-setup", stdout); // a password from the environment is never echoed
        var again = await AppProcess.RunAsync(env, args);
        Assert.Equal(1, again.Exit);
        Assert.Contains("Setup is already complete", again.Stderr);

        // Without RECOGNITION_ADMIN_PASSWORD a password is generated and printed once.
        var other = Path.Combine(_app.DataDir, "cli-setup-2.db");
        var generated = await AppProcess.RunWithOutputAsync(new() { ["Recognition__ConnectionStrings__Recognition"] = $"Data Source={other}" }, args);
        Assert.Equal(0, generated.Exit);
        Assert.Matches("Admin password \\(shown once, change it after signing in\\): [A-Za-z2-9]{16}", generated.Stdout);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [SqliteFact]
    public async Task An_unknown_command_prints_the_usage_and_exits_2()
    {
        var (exit, stderr) = await AppProcess.RunAsync(new() { ["Recognition__ConnectionStrings__Recognition"] = $"Data Source={Path.Combine(_app.DataDir, "x.db")}" }, "help");
        Assert.Equal(2, exit);
        Assert.Contains("Unknown command: help", stderr);
        Assert.Contains("migrate --list", stderr);
    }

    public void Dispose() => _app.Dispose();
}
