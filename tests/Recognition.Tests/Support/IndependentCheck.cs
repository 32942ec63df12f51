using System.Diagnostics;
using System.Text.Json;

namespace Recognition.Tests.Support;

/// <summary>What npm jose and ajv said about a credential (tests/credentials/check.mjs): another implementation than the app's.</summary>
public sealed record IndependentCheckResult(bool Verified, string? Error, JsonElement Header, JsonElement Payload, IReadOnlyList<string> SchemaErrors);

public static class IndependentCheck
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    public static string Schema => Path.Combine(AppContext.BaseDirectory, "Credentials", "OpenBadges", "ob_v3p0_achievementcredential_schema.json");

    /// <summary>Verifies <paramref name="jwt"/> with the JWKS the app serves and, when asked, validates it against 1EdTech's schema.</summary>
    public static async Task<IndependentCheckResult> RunAsync(string jwt, string jwksJson, bool schema = true)
    {
        var dir = Path.Combine(TestSmtp.RepoRoot(), "tests", "credentials");
        await Install.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(dir, "node_modules", "jose")))
            {
                using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--silent"]) { WorkingDirectory = dir })!;
                await npm.WaitForExitAsync();
            }
        }
        finally
        {
            Install.Release();
        }
        var psi = new ProcessStartInfo("node", ["check.mjs"]) { WorkingDirectory = dir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(JsonSerializer.Serialize(new { jwt, jwks = JsonDocument.Parse(jwksJson).RootElement, schema = schema ? Schema : null }));
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        var text = await stdout;
        Assert.True(p.ExitCode == 0 && text.Length > 0, $"check.mjs failed: {await stderr}");
        var r = JsonDocument.Parse(text).RootElement;
        return new(r.GetProperty("verified").GetBoolean(), r.TryGetProperty("error", out var e) ? e.GetString() : null,
            r.TryGetProperty("header", out var h) ? h.Clone() : default, r.TryGetProperty("payload", out var pl) ? pl.Clone() : default,
            r.GetProperty("schemaErrors").EnumerateArray().Select(x => x.GetString()!).ToList());
    }
}
