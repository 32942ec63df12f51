using System.Diagnostics;
using System.Text.Json;
using Recognition.Tests.Support;
using Recognition.Web.Features.Devices;
using Recognition.Web.Features.Notifications;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Features.Walls;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Walls;

/// <summary>
/// The benchmark's walls and people do what the product's screens do because they run the screens' own live connection
/// (wwwroot/js/live.js, loaded in Node): the same handlers, back-off, catch-up request and card handling. These tests run
/// that script and the bench's wall client against the real app and hub; a screen that changes what it requests or
/// receives changes live.js, and with it the bench.
/// </summary>
public sealed class BenchParityTests
{
    private static readonly string NodeDir = Path.Combine(AppFactory.RepoRoot(), "bench", "node");

    private static async Task<string> NodeAsync(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("node", ["-e", script, .. args]) { WorkingDirectory = NodeDir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, await p.StandardError.ReadToEndAsync());
        return output.Trim();
    }

    [Fact]
    public async Task The_live_script_handles_every_message_each_hub_sends_and_refuses_a_client_that_does_not()
    {
        var hubs = JsonSerializer.Deserialize<Dictionary<string, string[]>>(await NodeAsync("console.log(JSON.stringify(require('../../wwwroot/js/live.js').MESSAGES))"))!;
        Assert.Equal(typeof(IWallClient).GetMethods().Select(m => m.Name).Order(), hubs["/hubs/wall"].Order());
        Assert.Equal(typeof(IPersonalClient).GetMethods().Select(m => m.Name).Order(), hubs["/hubs/me"].Order());
        // A client (a page or a bench) that leaves a message unhandled does not get a connection.
        var refused = await NodeAsync(
            "const live = require('../../wwwroot/js/live.js'); try { live.connect({ signalR: {}, hub: '/hubs/wall', on: { Events() {} } }); console.log('connected'); } catch (e) { console.log(e.message); }");
        Assert.Equal("/hubs/wall sends Boards; handle it", refused);
        Assert.Equal("/walls/%E8%BD%A6%E9%97%B4?handler=Since&after=42",
            await NodeAsync("console.log(require('../../wwwroot/js/live.js').catchUpUrl('车间', 42))"));
    }

    [Fact]
    public async Task The_bench_walls_read_the_page_connect_catch_up_and_receive_a_pushed_card_as_a_wall_page_does()
    {
        if (!Directory.Exists(Path.Combine(NodeDir, "node_modules", "@microsoft", "signalr")))
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = NodeDir })!;
            await npm.WaitForExitAsync();
            Assert.Equal(0, npm.ExitCode);
        }
        using var app = new AppFactory(realPort: true);
        var w = await World.CreateAsync(app);
        var devices = app.Get<DeviceService>();
        var created = await devices.CreateAsync(w.Admin, w.SiteId, null, "display", "Bench parity", "zh-CN", app.Clock.UtcNow);
        var code = (await devices.IssuePairingCodeAsync(created.Id!.Value, AdminScope.CommandLine, app.Clock.UtcNow))!.PairingCode;
        var paired = (await devices.PairAsync(code, app.Clock.UtcNow)).Value!;
        var (token, slug) = (paired.Token, paired.Slug);

        var psi = new ProcessStartInfo("node", ["fanout.js", app.ServerAddress, "2", token!, slug!, "1"])
        { WorkingDirectory = NodeDir, RedirectStandardInput = true, RedirectStandardOutput = true };
        using var node = Process.Start(psi)!;
        try
        {
            Assert.Equal("ready 2 errors 0", await node.StandardOutput.ReadLineAsync());
            var award = await app.Get<AwardService>().AwardAsync(new AwardCommand(w.Giver, [w.Alice], w.Badges["customer_guardian"], null,
                "你把交接单重新设计了，换班时缺料一目了然。", "public", 0, Idempotency.NewKey()), app.Clock.UtcNow);
            Assert.True(award.Ok, award.Error);
            await node.StandardInput.WriteLineAsync($"mark card {award.Id} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
            await node.StandardInput.WriteLineAsync("report");
            var report = JsonDocument.Parse((await node.StandardOutput.ReadLineAsync())!).RootElement;
            // Both walls got the card over the hub, and each made the wall page's catch-up request after connecting.
            Assert.Equal(2, report.GetProperty("card").GetProperty("receipts").GetInt32());
            Assert.Equal(0, report.GetProperty("card").GetProperty("missing").GetInt32());
            Assert.Equal(2, report.GetProperty("catch_ups").GetInt32());
        }
        finally
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
        }
    }
}
