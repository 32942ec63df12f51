using System.Net;
using Recognition.Tests.Support;

namespace Recognition.Tests.Security;

/// <summary>
/// Two app processes on one database, each with its own stamp cache (as two servers of one plant): an admin deactivated
/// or demoted through the test's app can't change anything through the other process a moment later, though reads
/// there may still be served from its cache.
/// </summary>
public sealed class PrivilegedWriteTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _w.AddSecondSiteAsync(_app);
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private Task<string?> PinHashAsync() => DbProbe.ScalarAsync<string?>(_app.Db, "SELECT pin_hash FROM employees WHERE id = @id", new { id = _w.Giver });

    [Theory]
    [InlineData("deactivated")]
    [InlineData("demoted")]
    public async Task An_admin_changed_on_one_instance_cannot_reset_a_PIN_on_another_a_moment_later(string change)
    {
        await using var second = await AppServer.StartAsync(new()
        {
            ["Recognition__ConnectionStrings__Recognition"] = _app.Db.ConnectionString,
            ["Recognition__Security__AllowInsecureCookies"] = "true", // plain http on loopback
        });
        var admin = second.Session();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Account/SignIn", new() { ["Login"] = "A1", ["Password"] = World.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/Admin")).StatusCode); // the second process has cached A1's stamp
        var org = await Session.SignInAsync(_app, "OA1");
        var res = change == "deactivated"
            ? await org.PostFormAsync("/Admin/Person?handler=Active", new() { ["Id"] = _w.Admin.ToString(), ["active"] = "false" }, formPage: "/Admin/Person")
            : await org.PostFormAsync("/Admin/Person?handler=Save", new()
            {
                ["Id"] = _w.Admin.ToString(), ["Version"] = (await DbProbe.ScalarAsync<int>(_app.Db, "SELECT version FROM employees WHERE id = @id", new { id = _w.Admin })).ToString(),
                ["SiteId"] = _w.SiteId.ToString(), ["EmployeeNo"] = "A1", ["NameZh"] = "人事", ["NameEn"] = "HR", ["Locale"] = "zh-CN",
            }, formPage: $"/Admin/Person?id={_w.Admin}");
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);

        var pinBefore = await PinHashAsync();
        var audit = await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'kiosk.pin_reset'");
        var reset = await admin.PostFormAsync("/Admin?handler=ResetPin", new() { ["employeeNo"] = "E1" }, formPage: "/Admin"); // the read of the form is still served
        Assert.NotEqual(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(pinBefore, await PinHashAsync());
        Assert.Equal(audit, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'kiosk.pin_reset'"));
    }
}
