using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Recognition.Bench;

/// <summary>
/// Time from process start to /healthz OK: on a fresh database (migrations only), on a fresh database
/// that gets the demo plant (first run of the README command), and a restart on that demo database.
/// The app is started as its own process from the Release build, the way an operator runs it.
/// </summary>
public static class StartupBench
{
    public static async Task<Dictionary<string, object>> RunAsync(Options o)
    {
        var runs = o.Int("runs", 3);
        var fresh = new List<double>();
        var demo = new List<double>();
        var restart = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            fresh.Add(await TimeStartAsync(Path.Combine(Paths.TempDir(), "fresh.db"), seedDemo: false));
            var demoDb = Path.Combine(Paths.TempDir(), "demo.db");
            demo.Add(await TimeStartAsync(demoDb, seedDemo: true));
            restart.Add(await TimeStartAsync(demoDb, seedDemo: true));
        }
        return new Dictionary<string, object>
        {
            ["scenario"] = "startup",
            ["fresh_ms"] = Stats.Round(Stats.Median(fresh)),
            ["demo_ms"] = Stats.Round(Stats.Median(demo)),
            ["demo_restart_ms"] = Stats.Round(Stats.Median(restart)),
            ["runs"] = runs,
        };
    }

    private static async Task<double> TimeStartAsync(string dbFile, bool seedDemo)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Recognition.Web.dll")])
        {
            WorkingDirectory = Paths.RepoRoot(), RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Recognition__ConnectionStrings__Recognition"] = $"Data Source={dbFile}";
        psi.Environment["Recognition__Demo__SeedOnEmpty"] = seedDemo ? "true" : "false";
        psi.Environment["Recognition__Security__PinPepper"] = "bench";
        psi.Environment["Recognition__Security__KeyEncryptionKey"] = "YmVuY2gta2V5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU="; // Production requires one
        psi.Environment["Recognition__Security__AllowInsecureCookies"] = "true"; // plain http on loopback, no TLS proxy in a bench
        foreach (var (key, value) in BenchApp.DeployedRuntimeSettings()) psi.Environment.TryAdd(key, value);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            while (sw.Elapsed < TimeSpan.FromSeconds(120))
            {
                try
                {
                    var res = await http.GetAsync($"http://127.0.0.1:{port}/healthz");
                    if (res.StatusCode == HttpStatusCode.OK) return Math.Round(sw.Elapsed.TotalMilliseconds, 1);
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                if (p.HasExited) throw new InvalidOperationException($"The app exited with {p.ExitCode}.");
                await Task.Delay(10);
            }
            throw new TimeoutException("The app did not become healthy within 120 s.");
        }
        finally
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
