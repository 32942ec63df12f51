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

    /// <summary>The built app serving on a free loopback port with a database of its own, until disposed.</summary>
    public static async Task<Server> StartServerAsync(Dictionary<string, string> env)
    {
        var dir = Path.Combine(Path.GetTempPath(), "recognition-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Recognition.Web.dll")])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = AppFactory.RepoRoot(),
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["Recognition__Database__Provider"] = "Sqlite";
        psi.Environment["Recognition__ConnectionStrings__Recognition"] = $"Data Source={Path.Combine(dir, "app.db")}";
        psi.Environment["Recognition__Security__KeyEncryptionKey"] = AppFactory.TestKey;
        psi.Environment["Recognition__Security__PinPepper"] = "test-pepper";
        psi.Environment["Recognition__Security__AllowInsecureCookies"] = "true";
        psi.Environment["Recognition__Insights__RebuildMinutes"] = "0";
        foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var server = new Server(p, $"http://127.0.0.1:{port}", dir);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await http.GetAsync(server.BaseUrl + "/healthz")).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (p.HasExited) break;
            await Task.Delay(50);
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("The app did not become healthy.");
    }

    public sealed class Server(Process process, string baseUrl, string dir) : IAsyncDisposable
    {
        public string BaseUrl { get; } = baseUrl;

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
