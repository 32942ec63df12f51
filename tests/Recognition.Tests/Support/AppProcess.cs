using System.Diagnostics;

namespace Recognition.Tests.Support;

/// <summary>Runs the built app as its own process, the way an operator would, and captures what it prints.</summary>
public static class AppProcess
{
    public static async Task<(int Exit, string Stderr)> RunAsync(Dictionary<string, string> env, params string[] args)
    {
        var (exit, stderr, _) = await RunWithOutputAsync(env, args);
        return (exit, stderr);
    }

    public static async Task<(int Exit, string Stderr, string Stdout)> RunWithOutputAsync(Dictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Recognition.Web.dll"), .. args])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = AppFactory.RepoRoot(),
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        psi.Environment["Recognition__Database__Provider"] = TestEngine.Provider.ToString();
        psi.Environment["Recognition__Security__KeyEncryptionKey"] = AppFactory.TestKey; // Production requires both
        psi.Environment["Recognition__Security__PinPepper"] = "test-pepper";
        foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = await p.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw new TimeoutException("The app did not exit within 60 s."); }
        return (p.ExitCode, await stderr, stdout);
    }
}
