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

/// <summary>The built app serving as a process of its own (Production, a loopback port), e.g. a second server on a test's database.</summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly Process _process;
    public string Address { get; }

    private AppServer(Process process, string address) => (_process, Address) = (process, address);

    public static async Task<AppServer> StartAsync(Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Recognition.Web.dll")])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = AppFactory.RepoRoot(),
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        psi.Environment["Recognition__Database__Provider"] = TestEngine.Provider.ToString();
        psi.Environment["Recognition__Security__KeyEncryptionKey"] = AppFactory.TestKey;
        psi.Environment["Recognition__Security__PinPepper"] = "test-pepper";
        psi.Environment["Recognition__Insights__RebuildMinutes"] = "0";
        foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
        var p = Process.Start(psi)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Read(string? line)
        {
            if (line is null) return;
            output.Enqueue(line);
            var at = line.IndexOf("Now listening on: ", StringComparison.Ordinal);
            if (at >= 0) listening.TrySetResult(line[(at + "Now listening on: ".Length)..].Trim());
        }
        p.OutputDataReceived += (_, e) => Read(e.Data);
        p.ErrorDataReceived += (_, e) => Read(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var done = await Task.WhenAny(listening.Task, p.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (done != listening.Task)
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The app process did not start listening:\n" + string.Join("\n", output));
        }
        return new AppServer(p, await listening.Task);
    }

    /// <summary>SIGKILL, as kill -9: no shutdown, no flush, whatever was in flight is cut.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>A browser-like client of this server.</summary>
    public Session Session(string acceptLanguage = "zh-CN")
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(Address) };
        client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        return new Session(client, new ServerErrors());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
