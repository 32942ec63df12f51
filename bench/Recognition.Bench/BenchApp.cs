using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Recognition.Web.Features.Demo;
using Recognition.Web.Infrastructure.Auth;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Data.Migrations;

namespace Recognition.Bench;

/// <summary>The app as its own Release process on a loopback port, the way an operator runs it.</summary>
public sealed class BenchApp : IAsyncDisposable
{
    private readonly Process _process;
    public string BaseUrl { get; }
    public int Pid => _process.Id;

    private BenchApp(Process p, string url) => (_process, BaseUrl) = (p, url);

    /// <summary>The DOTNET_ variables the Dockerfile's ENV gives the app.</summary>
    public static IEnumerable<(string Key, string Value)> DeployedRuntimeSettings() =>
        System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(Paths.RepoRoot(), "Dockerfile")), @"\b(DOTNET_\w+)=(\S+)")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    public static async Task<BenchApp> StartAsync(string dbFile, Dictionary<string, string>? env = null)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Recognition.Web.dll")])
        {
            WorkingDirectory = Paths.RepoRoot(), RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Recognition__ConnectionStrings__Recognition"] = $"Data Source={dbFile}";
        psi.Environment["Recognition__Demo__SeedOnEmpty"] = "false";
        psi.Environment["Recognition__Security__PinPepper"] = "bench";
        psi.Environment["Recognition__Security__KeyEncryptionKey"] = "YmVuY2gta2V5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU="; // Production requires one
        psi.Environment["Recognition__Security__AllowInsecureCookies"] = "true"; // plain http on loopback, no TLS proxy in a bench
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        // The runtime settings the image sets (the Dockerfile's DOTNET_ values), unless this shell sets its own for an A/B.
        foreach (var (key, value) in DeployedRuntimeSettings()) psi.Environment.TryAdd(key, value);
        foreach (var kv in env ?? []) psi.Environment[kv.Key] = kv.Value;
        var p = Process.Start(psi)!;
        var app = new BenchApp(p, $"http://127.0.0.1:{port}");
        p.OutputDataReceived += (_, e) => app.Keep(e.Data);
        p.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(120))
        {
            try
            {
                if ((await http.GetAsync(app.BaseUrl + "/healthz")).StatusCode == HttpStatusCode.OK) return app;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (p.HasExited) throw new InvalidOperationException($"The app exited with {p.ExitCode}.");
            await Task.Delay(20);
        }
        throw new TimeoutException("The app did not become healthy.");
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _tail = new();

    private void Keep(string? line)
    {
        if (line is null) return;
        _tail.Enqueue(line);
        while (_tail.Count > 200) _tail.TryDequeue(out _);
    }

    /// <summary>The app's last 200 lines of output (warnings and errors at the bench's log level).</summary>
    public string OutputTail => string.Join("\n", _tail);

    public bool Exited => _process.HasExited;

    public double RssMb()
    {
        if (_process.HasExited) throw new InvalidOperationException($"The app exited ({_process.ExitCode}):\n{OutputTail}");
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0, 1);
    }

    /// <summary>CPU time the app has used so far, all threads.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>A small plant written straight to a fresh database before the app starts: people, a display and kiosks with known tokens.</summary>
public sealed class BenchWorld
{
    public const string Password = "bench-pass";
    public string DbFile { get; } = Path.Combine(Paths.TempDir(), "bench.db");
    public long SiteId { get; private set; }
    public List<long> People { get; } = [];
    public string DisplayToken { get; } = "display-" + Guid.NewGuid().ToString("N");
    public string DisplaySlug { get; } = "bench-wall";
    public List<string> KioskTokens { get; } = [];
    public Dictionary<string, long> Badges { get; private set; } = [];
    public Db Db { get; private set; } = null!;

    public static async Task<BenchWorld> CreateAsync(int people, int kiosks = 0)
    {
        var w = new BenchWorld();
        w.Db = new Db(DbProvider.Sqlite, $"Data Source={w.DbFile}");
        await new Migrator(w.Db, NullLogger<Migrator>.Instance).MigrateAsync();
        // The policy lives in the database (organisation default): benches measure throughput, not the daily cap.
        await w.Db.WriteAsync((c, t) => Recognition.Web.Domain.PolicyStore.WriteAsync(c, t, null,
            new Recognition.Web.Domain.RulesOptions { DailyRecognitionCap = 100_000 }, DateTime.UtcNow));
        var hasher = new PasswordHasher<Credential>();
        var passwordHash = hasher.HashPassword(new Credential(), Password);
        await w.Db.WriteAsync(async (c, t) =>
        {
            var now = DateTime.UtcNow;
            w.SiteId = await c.QuerySingleAsync<long>("INSERT INTO sites (code, name_zh, name_en, time_zone, created_utc) VALUES ('B', '苏州一厂', 'Suzhou Plant 1', 'Asia/Shanghai', @now) RETURNING id", new { now }, t);
            await Catalog.SeedAsync(c, t);
            await Catalog.SeedAreasAsync(c, t, w.SiteId);
            var teams = new List<long>();
            for (var i = 0; i < 10; i++)
            {
                teams.Add(await c.QuerySingleAsync<long>("INSERT INTO teams (site_id, code, name_zh, name_en, kind) VALUES (@SiteId, @code, @code, @code, 'standing') RETURNING id", new { w.SiteId, code = $"T{i}" }, t));
            }
            for (var i = 0; i < people; i++)
            {
                w.People.Add(await c.QuerySingleAsync<long>(
                    @"INSERT INTO employees (site_id, team_id, employee_no, badge_code, name_zh, name_en, roles, password_hash, created_utc)
                      VALUES (@SiteId, @team, @no, @badge, @zh, @en, 1, @passwordHash, @now) RETURNING id",
                    new { w.SiteId, team = teams[i % teams.Count], no = $"B{i:0000}", badge = $"BADGE-B{i:0000}", zh = $"王伟{i}", en = $"Wei Wang {i}", passwordHash, now }, t));
            }
            await c.ExecuteAsync(
                "INSERT INTO devices (site_id, kind, name, slug, locale, token_hash, enrolled_utc, created_utc) VALUES (@SiteId, 'display', 'Bench wall', @slug, 'zh-CN', @hash, @now, @now)",
                new { w.SiteId, slug = w.DisplaySlug, hash = DeviceClaims.Hash(w.DisplayToken), now }, t);
            for (var i = 0; i < kiosks; i++)
            {
                var token = $"kiosk-{i}-" + Guid.NewGuid().ToString("N");
                w.KioskTokens.Add(token);
                await c.ExecuteAsync(
                    "INSERT INTO devices (site_id, kind, name, locale, token_hash, enrolled_utc, created_utc) VALUES (@SiteId, 'kiosk', @name, 'zh-CN', @hash, @now, @now)",
                    new { w.SiteId, name = $"Kiosk {i}", hash = DeviceClaims.Hash(token), now }, t);
            }
            w.Badges = (await c.QueryAsync<(long Id, string Code)>("SELECT id, code FROM badges", transaction: t)).ToDictionary(b => b.Code, b => b.Id);
        });
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return w;
    }
}
