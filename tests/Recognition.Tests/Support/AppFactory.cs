using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Support;

/// <summary>
/// The real app on a database of its own (<see cref="TestDatabases"/>: SQLite, or SQL Server in that run of the suite).
/// With <c>realPort</c> it listens on a loopback port so a browser can reach it.
/// </summary>
public class AppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    public TestClock Clock { get; } = new(new DateTime(2026, 11, 18, 2, 0, 0, DateTimeKind.Utc));

    // Dozens of apps start and stop in one run; inotify watchers (config reload, static file versions) would exhaust the
    // machine's per-user limit of 128 instances. Tests never change files under a running app, so nothing watches.
    static AppFactory()
    {
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
    }
    public string DataDir { get; }

    public AppFactory(Dictionary<string, string?>? settings = null, bool realPort = false, int? port = null, string? dataDir = null)
    {
        DataDir = dataDir ?? Path.Combine(Path.GetTempPath(), "recognition-tests", Guid.NewGuid().ToString("N"));
        // A second instance on another app's database brings that connection string and rents nothing.
        var shared = settings?.ContainsKey("ConnectionStrings:Recognition") == true;
        _ownsDataDir = dataDir is null && !shared;
        Directory.CreateDirectory(DataDir);
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = TestEngine.Provider.ToString(),
            ["ConnectionStrings:Recognition"] = shared ? null : TestDatabases.Rent(DataDir),
            ["Demo:SeedOnEmpty"] = "false",
            ["Security:PinPepper"] = "test-pepper",
            ["Security:KeyEncryptionKey"] = TestKey,
            // The in-process test server speaks plain http; the TLS proxy test turns this off to see Secure cookies.
            ["Security:AllowInsecureCookies"] = "true",
            ["Insights:RebuildMinutes"] = "0", // rebuilt when a test asks, never behind a test's back
        };
        foreach (var kv in settings ?? []) _settings[kv.Key] = kv.Value;
        // UseKestrel() without a port: with a port, WebApplicationFactory rewrites the server addresses after the app has
        // been built, racing Kestrel's own start (dotnet/aspnetcore#67714: "Addresses cannot be modified after the server
        // has started"). The address comes from the urls setting instead.
        _urls = $"http://127.0.0.1:{port ?? 0}";
        if (port is not null || realPort) UseKestrel();
    }

    private readonly bool _ownsDataDir;
    private readonly string _urls;
    private bool _returned;

    public Db Db => Services.GetRequiredService<Db>();

    /// <summary>The sign-in keys' encryption key for tests (the app requires one in Production).</summary>
    public const string TestKey = "dGVzdC1rZXktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=";

    /// <summary>Settings for a second app instance on this one's database (as a second server of one plant would be).</summary>
    public Dictionary<string, string?> SameDatabase() => new() { ["ConnectionStrings:Recognition"] = _settings["ConnectionStrings:Recognition"] };

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>What the app logged at Error or above (with exceptions), so a test that meets a 500 can say why.</summary>
    public ServerErrors Errors { get; } = new();

    /// <summary>The loopback address when started with a real port.</summary>
    public string ServerAddress
    {
        get
        {
            StartServer();
            return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseContentRoot(RepoRoot());
        // UseSetting (not ConfigureAppConfiguration) so Program sees these before Build(), where it reads them.
        foreach (var kv in _settings) builder.UseSetting(kv.Key, kv.Value);
        builder.UseSetting("urls", _urls);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
        builder.ConfigureLogging(l => l.AddProvider(Errors));
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Recognition.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Recognition.sln not found above the test output.");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsDataDir || _returned) return;
        _returned = true;
        TestDatabases.Return(_settings["ConnectionStrings:Recognition"]!);
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed class TestClock(DateTime start) : TimeProvider
{
    private DateTime _now = start;
    public override DateTimeOffset GetUtcNow() => new(_now, TimeSpan.Zero);
    public DateTime UtcNow => _now;
    public void Set(DateTime utc) => _now = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Keeps the app's last Error-level log entries (category, message, exception) for failure messages.</summary>
public sealed class ServerErrors : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _entries = new();

    public ILogger CreateLogger(string categoryName) => new Named(this, categoryName);
    public void Dispose() { }

    /// <summary>The entries so far, newest last, or a line saying there were none.</summary>
    public string Describe() => _entries.IsEmpty ? "(the app logged no errors)" : string.Join("\n---\n", _entries);

    private void Add(string category, string message, Exception? exception)
    {
        _entries.Enqueue($"{category}: {message}\n{exception}");
        while (_entries.Count > 10) _entries.TryDequeue(out _);
    }

    private sealed class Named(ServerErrors owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner.Add(category, formatter(state, exception), exception);
        }
    }
}
