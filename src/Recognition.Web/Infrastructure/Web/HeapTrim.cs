namespace Recognition.Web.Infrastructure.Web;

/// <summary>
/// Keeps a long-running server's memory flat. What lives longer than a few seconds — cached feed cards and sessions,
/// a shift summary's PDF buffers, kept-alive connections — is promoted to the oldest generation and dies there, and the
/// GC lets that generation grow by about its own size before collecting it: with 2,000 walls the managed heap swung
/// between ~125 and ~245 MB every four minutes (bench plantday), and the process's memory with it. Every
/// Memory:TrimSeconds (30) this looks at how far the old generation (with the large object heap) has grown since the
/// last full collection and, past Memory:TrimGrowthMegabytes (12, or a twelfth of its size if more), asks for a full,
/// compacting one — ~80 ms with 2,000 walls connected. 0 turns it off.
/// </summary>
public sealed class HeapTrim : BackgroundService
{
    private readonly IConfiguration _config;
    private readonly ILogger<HeapTrim> _log;
    private readonly Func<long> _old;
    private readonly Func<int> _fullCount;
    private long _afterLast;
    private int _fullCollections;

    public HeapTrim(IConfiguration config, ILogger<HeapTrim> log) : this(config, log, Old, () => GC.CollectionCount(2)) { }

    /// <summary>With the collector's figures supplied (tests: other tests' allocations and collections share the process).</summary>
    internal HeapTrim(IConfiguration config, ILogger<HeapTrim> log, Func<long> old, Func<int> fullCollections)
    {
        (_config, _log, _old, _fullCount) = (config, log, old, fullCollections);
        (_afterLast, _fullCollections) = (old(), fullCollections());
    }

    /// <summary>The oldest generation and the large and pinned object heaps as the last collection (of any kind) left them.</summary>
    private static long Old()
    {
        var g = GC.GetGCMemoryInfo().GenerationInfo;
        return g[2].SizeAfterBytes + g[3].SizeAfterBytes + g[4].SizeAfterBytes;
    }

    /// <summary>Full collections this service asked for (the bench reports it).</summary>
    public static int Trims { get; private set; }

    /// <summary>How long the last one took (the pause it caused).</summary>
    public static double LastMilliseconds { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var growth = _config.GetValue("Memory:TrimGrowthMegabytes", 12) * 1048576L;
        if (growth <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_config.GetValue("Memory:TrimSeconds", 30)));
        try
        {
            // A big plant's heap (10,000 walls: ~350 MB live) takes longer to collect: it may grow by a twelfth first.
            while (await timer.WaitForNextTickAsync(ct)) Check(Math.Max(growth, _afterLast / 12));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>One look; returns true when it collected.</summary>
    public bool Check(long growthBytes)
    {
        // The GC collected on its own since the last look: measure from what it left.
        if (_fullCount() != _fullCollections) (_afterLast, _fullCollections) = (_old(), _fullCount());
        if (_old() - _afterLast < growthBytes) return false;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        (_afterLast, _fullCollections) = (_old(), _fullCount());
        Trims++;
        LastMilliseconds = Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
        _log.LogDebug("Heap trimmed to {Megabytes} MB in {Ms} ms", _afterLast / 1048576, LastMilliseconds);
        return true;
    }
}
