using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Devices;
using Recognition.Web.Features.Walls;

namespace Recognition.Tests.Admin;

/// <summary>Device status rules: what a device may report, working hours, renaming and reload with their checks.</summary>
public sealed class DeviceStatusTests : IAsyncLifetime
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

    [Theory]
    [InlineData("1a2b3c", "1920x1080", "1a2b3c", "1920x1080")]
    [InlineData("<script>", "1920x1080;drop", null, null)]
    [InlineData("0123456789012345678901234567890123456789x", "99999999x1", null, null)]
    [InlineData("", "0x0", null, null)]
    public void A_device_reports_only_a_bounded_version_and_screen(string v, string screen, string? version, string? size)
    {
        var hello = DeviceHello.From(new QueryCollection(new Dictionary<string, StringValues> { ["v"] = v, ["screen"] = screen }));
        Assert.Equal(version, hello.Version);
        Assert.Equal(size, hello.Screen);
    }

    [Theory]
    [InlineData(2, "Asia/Shanghai", 480, 1200, true)]    // 10:00 in a 08:00–20:00 shift
    [InlineData(14, "Asia/Shanghai", 480, 1200, false)]  // 22:00
    [InlineData(14, "Asia/Shanghai", 1320, 360, true)]   // 22:00 in a night shift that runs past midnight
    [InlineData(20, "Asia/Shanghai", 1320, 360, true)]   // 04:00 in it
    [InlineData(2, "Asia/Shanghai", 1320, 360, false)]   // 10:00: not in it
    public void Working_hours_follow_the_sites_shifts_in_its_zone(int utcHour, string zone, int start, int end, bool working) =>
        Assert.Equal(working, DevicesModel.Working(new DateTime(2026, 11, 18, utcHour, 0, 0, DateTimeKind.Utc), zone, [(start, end)], null));

    [Fact]
    public void Without_shifts_working_hours_are_the_setting_or_seven_to_seven() =>
        Assert.Equal([true, false, true],
            new[] { (2, (string?)null), (12, null), (12, "18:00-23:00") }.Select(x => DevicesModel.Working(new DateTime(2026, 11, 18, x.Item1, 0, 0, DateTimeKind.Utc), "Asia/Shanghai", [], x.Item2)));

    [Fact]
    public async Task Renaming_and_reload_refuse_bad_names_unpaired_and_other_sites_devices_and_write_nothing()
    {
        var devices = _app.Get<DeviceService>();
        var mine = (await devices.CreateAsync(_w.Admin, _w.SiteId, null, "display", "Hall wall", "zh-CN", _app.Clock.UtcNow)).Id!.Value;
        var theirs = (await devices.CreateAsync(_w.AdminB, _w.SiteB, null, "display", "Shenzhen wall", "zh-CN", _app.Clock.UtcNow)).Id!.Value;

        var tooShort = await _a1.PostFormAsync("/Admin/Devices?handler=Rename", new() { ["id"] = $"{mine}", ["name"] = "x" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooShort.StatusCode);
        var other = await _a1.PostFormAsync("/Admin/Devices?handler=Rename", new() { ["id"] = $"{theirs}", ["name"] = "Taken over" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("Shenzhen wall", await DbProbe.ScalarAsync<string>(_app.Db, $"SELECT name FROM devices WHERE id = {theirs}"));
        Assert.Equal("Hall wall", await DbProbe.ScalarAsync<string>(_app.Db, $"SELECT name FROM devices WHERE id = {mine}"));

        // Not paired yet: nothing to reload; another site's: refused; neither writes an event.
        var events = await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM events WHERE kind = 'device.reload'");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _a1.PostFormAsync("/Admin/Devices?handler=Reload", new() { ["id"] = $"{mine}" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _a1.PostFormAsync("/Admin/Devices?handler=Reload", new() { ["id"] = $"{theirs}" })).StatusCode);
        Assert.Equal(events, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM events WHERE kind = 'device.reload'"));

        var renamed = await _a1.PostFormAsync("/Admin/Devices?handler=Rename", new() { ["id"] = $"{mine}", ["name"] = "  Canteen wall " });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Canteen wall", await DbProbe.ScalarAsync<string>(_app.Db, $"SELECT name FROM devices WHERE id = {mine}"));
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, $"SELECT COUNT(*) FROM audit_log WHERE action = 'device.renamed' AND target = 'device:{mine}'"));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}
