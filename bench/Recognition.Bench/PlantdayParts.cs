using System.Diagnostics;
using System.Text.Json;

namespace Recognition.Bench;

/// <summary>One class of requests in the plant-day soak: its timings and errors.</summary>
internal sealed class RequestClass
{
    private readonly List<double> _ms = [];
    public int Errors;
    public void Add(double ms) { lock (_ms) _ms.Add(ms); }
    public double P99() { lock (_ms) { _ms.Sort(); return _ms.Count == 0 ? 0 : Stats.Round(Stats.Percentile(_ms, 99)); } }
    public int Count { get { lock (_ms) return _ms.Count; } }
}

/// <summary>
/// The people's own hub connections (bench/node/people.js): each office user's open page holds /hubs/me, each kiosk's
/// idle screen /hubs/wall, as the product's scripts do.
/// </summary>
internal sealed class PeopleHubs(string baseUrl) : IDisposable
{
    private readonly Process _node = NodeClients.Start("people.js", baseUrl);
    private readonly SemaphoreSlim _in = new(1, 1);

    private async Task SendAsync(string line)
    {
        await _in.WaitAsync();
        try { await _node.StandardInput.WriteLineAsync(line); }
        finally { _in.Release(); }
    }

    public Task KioskAsync(string deviceToken) => SendAsync("kiosk " + deviceToken);

    public Task PersonAsync(string cookieHeader) => SendAsync("me " + cookieHeader);

    /// <summary>Closes every connection; what they received and how many failed.</summary>
    public async Task<JsonElement> ReportAsync()
    {
        await SendAsync("report");
        var report = JsonDocument.Parse(await _node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("no people report")).RootElement;
        await _node.WaitForExitAsync();
        return report;
    }

    public void Dispose()
    {
        if (!_node.HasExited) _node.Kill();
        _node.Dispose();
        _in.Dispose();
    }
}

/// <summary>Every 10 s: the server's RSS, its managed heap and the GC's committed memory (RSS minus that is native).</summary>
internal static class MemorySamples
{
    public readonly record struct Sample(double Minute, double Mb, double HeapMb, double CommittedMb);

    public static Task RunAsync(BenchApp app, WebClient probe, Stopwatch clock, DateTime until, List<Sample> into) => Task.Run(async () =>
    {
        while (DateTime.UtcNow < until)
        {
            double heap, committed;
            try
            {
                var m = JsonDocument.Parse(await probe.Http.GetStringAsync("/bench/memory")).RootElement;
                (heap, committed) = (m.GetProperty("heap_mb").GetDouble(), m.GetProperty("committed_mb").GetDouble());
            }
            catch (HttpRequestException) { (heap, committed) = (-1, -1); }
            lock (into) into.Add(new Sample(clock.Elapsed.TotalMinutes, app.RssMb(), heap, committed));
            await Task.Delay(10_000);
        }
    });
}
