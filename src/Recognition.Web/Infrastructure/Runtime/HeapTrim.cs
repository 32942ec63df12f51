namespace Recognition.Web.Infrastructure.Runtime;

/// <summary>
/// Keeps a long-running server's memory flat. What lives longer than a few seconds — cached feed cards and sessions,
/// a shift summary's PDF buffers, kept-alive connections — is promoted to the oldest generation and dies there, and the
/// GC lets that generation grow by about its own size before collecting it: with 2,000 walls the managed heap swung
/// between ~125 and ~245 MB every four minutes (bench plantday), and the process's memory with it. Every
/// Memory:TrimSeconds (2) this looks at how far the old generation (with the large object heap) has grown since the
/// last full collection and, past Memory:TrimGrowthMegabytes (12, or a twelfth of its size if more), asks for a full,
/// compacting one — ~80 ms with 2,000 walls connected. 0 (either setting) turns it off.
/// The GC also keeps free regions committed after a busy spell (5,000 walls connecting, then cards at 10/s: 48–68 MB
/// beyond its heap even after a full collection, and how much varied from run to run by ~20 MB). When what it holds
/// beyond its heap passes Memory:TrimIdleMegabytes (48, or a quarter of the old generation if more), the collection is an
/// aggressive one, which gives those regions back to the operating system. Those pauses get at most 1 % of the time
/// (the next no sooner than a hundred times the last one's pause, and 10 s), so a plant whose collector needs that much
/// to work with is not paused for nothing — and after 2,000 walls have connected at once (~60 MB kept beyond the heap)
/// the memory goes back within seconds instead of up to a minute later. 0 turns that part off.
/// </summary>
public sealed class HeapTrim : BackgroundService
{
    private readonly IConfiguration _config;
    private readonly ILogger<HeapTrim> _log;
    private readonly Func<long> _old;
    private readonly Func<int> _fullCount;
    private readonly Func<long> _idle;
    private long _afterLast;
    private int _fullCollections;
    private long? _lastGiveBack;
    private TimeSpan _giveBackWait;
    private static readonly TimeSpan MinGiveBackInterval = TimeSpan.FromSeconds(10);

    public HeapTrim(IConfiguration config, ILogger<HeapTrim> log) : this(config, log, Old, () => GC.CollectionCount(2), Idle) { }

    /// <summary>With the collector's figures supplied (tests: other tests' allocations and collections share the process).</summary>
    internal HeapTrim(IConfiguration config, ILogger<HeapTrim> log, Func<long> old, Func<int> fullCollections, Func<long> idle)
    {
        (_config, _log, _old, _fullCount, _idle) = (config, log, old, fullCollections, idle);
        (_afterLast, _fullCollections) = (old(), fullCollections());
    }

    /// <summary>The oldest generation and the large and pinned object heaps as the last collection (of any kind) left them.</summary>
    private static long Old()
    {
        var g = GC.GetGCMemoryInfo().GenerationInfo;
        return g[2].SizeAfterBytes + g[3].SizeAfterBytes + g[4].SizeAfterBytes;
    }

    /// <summary>Memory the GC holds committed beyond its heap as the last collection left it: free regions kept for what is allocated next.</summary>
    private static long Idle()
    {
        var info = GC.GetGCMemoryInfo();
        return info.TotalCommittedBytes - info.HeapSizeBytes;
    }

    /// <summary>Full collections this service asked for (the bench reports it).</summary>
    public static int Trims { get; private set; }

    /// <summary>How long the last one took (the pause it caused).</summary>
    public static double LastMilliseconds { get; private set; }

    /// <summary>Of those, the aggressive ones (memory given back).</summary>
    public static int Aggressive { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var growth = _config.GetValue("Memory:TrimGrowthMegabytes", 12) * 1048576L;
        var seconds = _config.GetValue("Memory:TrimSeconds", 2);
        // Either at 0 (or below) turns the trim off; a timer of no length would stop the app at start.
        if (growth <= 0 || seconds <= 0) return;
        var idle = _config.GetValue("Memory:TrimIdleMegabytes", 48) * 1048576L;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        try
        {
            // A big plant's heap (10,000 walls: ~350 MB live) takes longer to collect: it may grow by a twelfth first.
            while (await timer.WaitForNextTickAsync(ct)) Check(Math.Max(growth, _afterLast / 12), idle > 0 ? Math.Max(idle, _afterLast / 4) : long.MaxValue);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>
    /// One look; returns true when it collected. <paramref name="growthBytes"/>: the old generation's growth that calls for a
    /// full collection; <paramref name="idleBytes"/>: the committed-but-unused memory that makes it an aggressive one.
    /// </summary>
    public bool Check(long growthBytes, long idleBytes = long.MaxValue)
    {
        // The GC collected on its own since the last look: measure from what it left.
        if (_fullCount() != _fullCollections) (_afterLast, _fullCollections) = (_old(), _fullCount());
        var giveBack = _idle() >= idleBytes
            && (_lastGiveBack is not { } last || System.Diagnostics.Stopwatch.GetElapsedTime(last) >= _giveBackWait);
        if (_old() - _afterLast < growthBytes && !giveBack) return false;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        GC.Collect(2, giveBack ? GCCollectionMode.Aggressive : GCCollectionMode.Forced, blocking: true, compacting: true);
        (_afterLast, _fullCollections) = (_old(), _fullCount());
        Trims++;
        var pause = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (giveBack) (Aggressive, _lastGiveBack, _giveBackWait) = (Aggressive + 1, started, pause * 100 > MinGiveBackInterval ? pause * 100 : MinGiveBackInterval);
        LastMilliseconds = Math.Round(pause.TotalMilliseconds, 1);
        _log.LogDebug("Heap trimmed to {Megabytes} MB in {Ms} ms", _afterLast / 1048576, LastMilliseconds);
        return true;
    }
}
