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

    public static Task<(int Exit, string Stderr, string Stdout)> RunWithOutputAsync(Dictionary<string, string> env, params string[] args) =>
        RunWithInputAsync(env, null, args);

    /// <summary>As <see cref="RunWithOutputAsync"/>, with <paramref name="stdin"/> piped to the app's standard input (then closed).</summary>
    public static async Task<(int Exit, string Stderr, string Stdout)> RunWithInputAsync(Dictionary<string, string> env, byte[]? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Recognition.Web.dll"), .. args])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, WorkingDirectory = AppFactory.RepoRoot(),
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        psi.Environment["Recognition__Database__Provider"] = TestEngine.Provider.ToString();
        psi.Environment["Recognition__Security__KeyEncryptionKey"] = AppFactory.TestKey; // Production requires both
        psi.Environment["Recognition__Security__PinPepper"] = "test-pepper";
        foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
        using var p = Process.Start(psi)!;
        if (stdin is not null) await p.StandardInput.BaseStream.WriteAsync(stdin);
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = await p.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw new TimeoutException("The app did not exit within 60 s."); }
        return (p.ExitCode, await stderr, stdout);
    }
}
