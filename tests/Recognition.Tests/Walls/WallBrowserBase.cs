using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Recognition.Tests.Support;
using Recognition.Web.Features.Devices;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Walls;

/// <summary>What the wall's browser tests share: an app on a real port (so it can be restarted on the same one), the
/// world, a paired wall, a signed-in page, and an award.</summary>
public abstract class WallBrowserBase(BrowserFixture browser) : IAsyncLifetime
{
    protected BrowserFixture Browser { get; } = browser;
    protected readonly int _port = FreePort();
    protected AppFactory _app = null!;
    protected World _w = null!;
    protected readonly string _dir = Path.Combine(Path.GetTempPath(), "recognition-tests", Guid.NewGuid().ToString("N"));
    protected static readonly Dictionary<string, string?> Settings = [];

    public async Task InitializeAsync()
    {
        _app = new AppFactory(Settings, port: _port, dataDir: _dir);
        _w = await World.CreateAsync(_app);
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 100);
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var p = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return p;
    }

    protected async Task<IPage> PairedWallAsync(string locale = "zh-CN", int width = 1920, int height = 1080, DateTime? browserTime = null)
    {
        var devices = _app.Get<DeviceService>();
        var created = await devices.CreateAsync(_w.Admin, _w.SiteId, null, "display", $"Wall {Guid.NewGuid():N}"[..12], locale, _app.Clock.UtcNow);
        var code = (await devices.IssuePairingCodeAsync(created.Id!.Value, AdminScope.CommandLine, _app.Clock.UtcNow))!.PairingCode;
        var page = await Browser.NewPageAsync(_app.ServerAddress, width, height, locale);
        if (browserTime is { } t) await page.Clock.SetFixedTimeAsync(t); // Date only: timers keep running
        await page.GotoAsync($"/pair?code={code}");
        await page.ClickAsync("#pair-submit");
        await page.WaitForURLAsync("**/walls/**");
        await page.WaitForFunctionAsync("() => window.recognitionWall && window.recognitionWall.connected()");
        return page;
    }

    protected async Task<long> GiveAsync(AwardService awards, long to, string visibility, string message, DateTime now, int points = 0)
    {
        var o = await awards.AwardAsync(new AwardCommand(_w.Giver, [to], _w.Badges["customer_guardian"], null, message, visibility, points, Idempotency.NewKey()), now);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    protected async Task<IPage> SignedInAsync(string login, int width, int height, string locale = "zh-CN")
    {
        var page = await Browser.NewPageAsync(_app.ServerAddress, width, height, locale);
        await page.GotoAsync("/Account/SignIn");
        await page.FillAsync("#Login", login);
        await page.FillAsync("#Password", World.Password);
        await page.ClickAsync("#signin-submit");
        await page.WaitForURLAsync(u => !u.Contains("SignIn", StringComparison.Ordinal));
        return page;
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
