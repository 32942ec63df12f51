using System.Diagnostics;
using System.Text.Json;

namespace Recognition.Bench;

/// <summary>One class of requests in the plant-day soak: its timings and errors.</summary>
internal sealed class RequestClass
{
    private readonly List<double> _ms = [];
    private readonly List<double> _warm = []; // those that started after the first minute (the server had been up a while)
    private readonly Stopwatch _since = Stopwatch.StartNew();
    public int Errors;
    public void Add(double ms)
    {
        var warm = _since.Elapsed.TotalMilliseconds - ms >= 60_000;
        lock (_ms) { _ms.Add(ms); if (warm) _warm.Add(ms); }
    }
    public double P99() { lock (_ms) return Percentile99(_ms); }
    public int Count { get { lock (_ms) return _ms.Count; } }

    private static double Percentile99(List<double> ms) { ms.Sort(); return ms.Count == 0 ? 0 : Stats.Round(Stats.Percentile(ms, 99)); }

    /// <summary>Each class's p99 over the requests that started after the run's first minute.</summary>
    public static Dictionary<string, double> AfterFirstMinute(params (string Name, RequestClass Class)[] classes) =>
        classes.ToDictionary(c => c.Name, c => { lock (c.Class._ms) return Percentile99(c.Class._warm); });
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

    /// <summary>
    /// RSS growth over the samples as a percentage of their first, from a least-squares line through all of them: the GC's
    /// sawtooth moves single samples by ±15 MB, so two end points alone say more about where in it they fell than about a leak.
    /// </summary>
    public static double TrendPercent(IReadOnlyList<Sample> samples)
    {
        if (samples.Count < 2) return 0;
        var (mx, my) = (samples.Average(s => s.Minute), samples.Average(s => s.Mb));
        var slope = samples.Sum(s => (s.Minute - mx) * (s.Mb - my)) / samples.Sum(s => (s.Minute - mx) * (s.Minute - mx));
        var span = samples[^1].Minute - samples[0].Minute;
        return Math.Round(slope * span / (my - slope * (mx - samples[0].Minute)) * 100, 1);
    }
}
