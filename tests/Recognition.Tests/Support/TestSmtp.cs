using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Recognition.Tests.Support;

/// <summary>A real SMTP server (npm smtp-server in tests/smtp) as its own process on loopback; every accepted message, parsed.</summary>
public sealed class TestSmtp : IAsyncDisposable
{
    public const string User = "mailer";
    public const string Password = "mail-secret-0123";
    private readonly Process _process;
    public int Port { get; }
    public ConcurrentQueue<JsonElement> Mails { get; } = new();

    private TestSmtp(Process process, int port) => (_process, Port) = (process, port);

    public static async Task<TestSmtp> StartAsync()
    {
        var dir = Path.Combine(RepoRoot(), "tests", "smtp");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "smtp-server")))
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--silent"]) { WorkingDirectory = dir })!;
            await npm.WaitForExitAsync();
        }
        var psi = new ProcessStartInfo("node", ["server.js", JsonSerializer.Serialize(new { user = User, password = Password })])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await p.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("The test SMTP server exited.");
        var smtp = new TestSmtp(p, int.Parse(first["listening ".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture));
        _ = Task.Run(async () =>
        {
            while (await p.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("{\"mail\"", StringComparison.Ordinal)) smtp.Mails.Enqueue(JsonDocument.Parse(line).RootElement.GetProperty("mail").Clone());
            }
        });
        return smtp;
    }

    /// <summary>The folder holding Recognition.sln, above wherever the tests or the bench run from.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Recognition.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Recognition.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The channel address for this server: plain SMTP to loopback, authenticated, with a sender.</summary>
    public string Url => $"smtp://{User}@127.0.0.1:{Port}?from=recognition@plant.example.com";

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
