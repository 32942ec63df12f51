using System.Net;
using Recognition.Tests.Support;

namespace Recognition.Tests.Foundation;

public sealed class SignInTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    [Fact]
    public async Task Good_password_signs_in_and_the_home_page_greets_the_person()
    {
        var s = await Session.SignInAsync(_app, "E1");
        var home = await s.GetDocAsync("/");
        Assert.Contains("王伟", home.QuerySelector("#home-greeting")!.TextContent);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'signin.ok' AND actor_id = @id", new { id = _w.Giver }));
    }

    [Fact]
    public async Task Email_also_signs_in_case_insensitively()
    {
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE employees SET email = 'wei.wang@example.com' WHERE id = @id", new { id = _w.Giver }, t));
        var s = await Session.SignInAsync(_app, "Wei.Wang@Example.com");
        Assert.Contains("王伟", (await s.GetDocAsync("/")).QuerySelector("#home-greeting")!.TextContent);
    }

    [Fact]
    public async Task Wrong_password_gets_a_clear_localized_error_and_is_audited()
    {
        var s = Session.Anonymous(_app, "zh-CN");
        var res = await s.PostFormAsync("/Account/SignIn", new() { ["Login"] = "E1", ["Password"] = "nope" });
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("工号或密码不正确。", (await Session.Doc(res)).QuerySelector("#signin-error")!.TextContent);
        var en = Session.Anonymous(_app, "en-US");
        var resEn = await en.PostFormAsync("/Account/SignIn", new() { ["Login"] = "nobody", ["Password"] = "nope" });
        Assert.Equal("Employee number or password is not correct.", (await Session.Doc(resEn)).QuerySelector("#signin-error")!.TextContent);
        Assert.Equal(2, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'signin.failed'"));
        Assert.Equal(HttpStatusCode.Redirect, (await s.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Inactive_people_cannot_sign_in()
    {
        var s = Session.Anonymous(_app);
        var res = await s.PostFormAsync("/Account/SignIn", new() { ["Login"] = "E6", ["Password"] = World.Password });
        Assert.NotNull((await Session.Doc(res)).QuerySelector("#signin-error"));
    }

    [Fact]
    public async Task Repeated_failures_are_refused_with_429_even_with_the_right_password()
    {
        var s = Session.Anonymous(_app, "en-US");
        for (var i = 0; i < 5; i++)
        {
            var r = await s.PostFormAsync("/Account/SignIn", new() { ["Login"] = "E2", ["Password"] = "wrong" + i });
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        var blocked = await s.PostFormAsync("/Account/SignIn", new() { ["Login"] = "E2", ["Password"] = World.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("Too many failed sign-ins", (await Session.Doc(blocked)).QuerySelector("#signin-error")!.TextContent);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'signin.throttled'"));
        _app.Clock.Advance(TimeSpan.FromMinutes(16));
        var later = await s.PostFormAsync("/Account/SignIn", new() { ["Login"] = "E2", ["Password"] = World.Password });
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_rejected()
    {
        var s = Session.Anonymous(_app);
        var res = await s.Client.PostAsync("/Account/SignIn", new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = "E1", ["Password"] = World.Password }));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log"));
    }

    [Fact]
    public async Task Roles_guard_pages_employee_supervisor_admin()
    {
        var employee = await Session.SignInAsync(_app, "E1");
        Assert.Equal(HttpStatusCode.Forbidden, (await employee.Client.GetAsync("/Admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await employee.Client.GetAsync("/Supervisor/Approvals")).StatusCode);
        var supervisor = await Session.SignInAsync(_app, "S1");
        Assert.Equal(HttpStatusCode.OK, (await supervisor.Client.GetAsync("/Supervisor/Approvals")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.Client.GetAsync("/Admin")).StatusCode);
        var admin = await Session.SignInAsync(_app, "A1");
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/Admin")).StatusCode);
        var anonymous = Session.Anonymous(_app);
        Assert.Equal("/Account/SignIn", (await anonymous.Client.GetAsync("/Me")).Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        var s = await Session.SignInAsync(_app, "E1");
        var res = await s.PostFormAsync("/Account/SignOut", [], formPage: "/");
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await s.Client.GetAsync("/Me")).StatusCode);
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_http_only_cookies()
    {
        var s = Session.Anonymous(_app);
        var res = await s.Client.GetAsync("/Account/SignIn");
        Assert.Equal("nosniff", res.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", res.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("script-src 'self'", res.Headers.GetValues("Content-Security-Policy").Single());
        var signIn = await s.PostFormAsync("/Account/SignIn", new() { ["Login"] = "E1", ["Password"] = World.Password });
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("recognition.auth", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        // Data Protection keys live in the database so several instances share them.
        Assert.True(await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM data_protection_keys") >= 1);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
