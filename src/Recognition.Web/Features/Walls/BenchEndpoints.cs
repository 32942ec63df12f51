using System.Net;
using Microsoft.AspNetCore.SignalR;
using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Features.Walls;

/// <summary>
/// The fan-out benchmark's baseline: a raw hub broadcast of a card-sized message to a site's walls,
/// bypassing the outbox. Mapped only when Bench:Broadcast is true (never in production) and only
/// answers loopback callers.
/// </summary>
public static class BenchEndpoints
{
    private static readonly System.Collections.Concurrent.ConcurrentQueue<double> Posts = new();

    /// <summary>
    /// Bench only (Bench:Broadcast): how long each POST takes inside the app, from the start of the pipeline to its end, so a
    /// bench can tell the app's own time from the time a request waits before it (sockets, threads, other processes).
    /// </summary>
    public static IApplicationBuilder UseBenchTiming(this IApplicationBuilder app, IConfiguration config)
    {
        if (!config.GetValue("Bench:Broadcast", false)) return app;
        return app.Use(async (ctx, next) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await next();
            if (HttpMethods.IsPost(ctx.Request.Method) && Posts.Count < 100_000) Posts.Enqueue(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
    }

    public static IEndpointRouteBuilder MapBenchBroadcast(this IEndpointRouteBuilder app, IConfiguration config)
    {
        if (!config.GetValue("Bench:Broadcast", false)) return app;
        app.MapPost("/bench/broadcast", async (HttpContext ctx, long site, long id, IHubContext<WallHub, IWallClient> walls) =>
        {
            if (ctx.Connection.RemoteIpAddress is not { } ip || !IPAddress.IsLoopback(ip)) return Results.NotFound();
            var html = "<article class=\"wcard\" id=\"w-b" + id + "\">" + new string('x', 420) + "</article>";
            // Like an award (whose response comes back before the relay pushes), answer first, then broadcast.
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            await ctx.Response.CompleteAsync();
            foreach (var culture in LocalizationSetup.Cultures)
            {
                await walls.Clients.Group(WallHub.SiteGroup(site, culture)).Events([new WallMessage(0, 0, "bench", id, [], html)]);
            }
            return Results.Empty;
        }).AllowAnonymous().DisableAntiforgery();
        // The POSTs' in-app times since the last call (p50, p99, max), then forgotten.
        app.MapGet("/bench/posts", (HttpContext ctx) =>
        {
            if (ctx.Connection.RemoteIpAddress is not { } ip || !IPAddress.IsLoopback(ip)) return Results.NotFound();
            var l = new List<double>();
            while (Posts.TryDequeue(out var ms)) l.Add(ms);
            l.Sort();
            double P(double q) => l.Count == 0 ? -1 : Math.Round(l[Math.Min(l.Count - 1, (int)Math.Ceiling(q / 100 * l.Count) - 1)], 1);
            return Results.Json(new { count = l.Count, p50_ms = P(50), p99_ms = P(99), max_ms = P(100) });
        }).AllowAnonymous();
        // Where the server's memory is: the managed heap versus everything else in the process.
        app.MapGet("/bench/memory", (HttpContext ctx, EventRelay relay) =>
        {
            if (ctx.Connection.RemoteIpAddress is not { } ip || !IPAddress.IsLoopback(ip)) return Results.NotFound();
            // ?collect=true: a full, compacting collection first, so heap_mb is what is live (per connection, per wall).
            if (ctx.Request.Query["collect"] == "true") GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var gc = GC.GetGCMemoryInfo();
            var g = gc.GenerationInfo;
            var (pumps, pumpMeanMs, pumpMaxMs) = relay.PumpStats();
            return Results.Json(new
            {
                heap_mb = Math.Round(gc.HeapSizeBytes / 1048576.0, 1),
                gen0_budget_mb = Math.Round(g[0].SizeBeforeBytes / 1048576.0, 1),
                gen1_mb = Math.Round(g[1].SizeAfterBytes / 1048576.0, 1),
                gen2_mb = Math.Round(g[2].SizeAfterBytes / 1048576.0, 1),
                loh_mb = Math.Round(g[3].SizeAfterBytes / 1048576.0, 1),
                loh_before_mb = Math.Round(g[3].SizeBeforeBytes / 1048576.0, 1), // live + allocated since the previous collection
                gen2_before_mb = Math.Round(g[2].SizeBeforeBytes / 1048576.0, 1),
                poh_mb = Math.Round(g[4].SizeAfterBytes / 1048576.0, 1),
                pinned = gc.PinnedObjectsCount,
                array_pool_per_core = Recognition.Web.Infrastructure.Runtime.BufferPool.Effective(),
                malloc_arenas_limited = Recognition.Web.Infrastructure.Runtime.MallocArenas.Applied,
                heap_trims = Recognition.Web.Infrastructure.Runtime.HeapTrim.Trims,
                heap_trim_last_ms = Recognition.Web.Infrastructure.Runtime.HeapTrim.LastMilliseconds,
                heap_trims_aggressive = Recognition.Web.Infrastructure.Runtime.HeapTrim.Aggressive,
                sqlite_mb = Math.Round(SQLitePCL.raw.sqlite3_memory_used() / 1048576.0, 1), // SQLite's own heap: page caches, schemas, statements
                sqlite_peak_mb = Math.Round(SQLitePCL.raw.sqlite3_memory_highwater(0) / 1048576.0, 1),
                committed_mb = Math.Round(gc.TotalCommittedBytes / 1048576.0, 1),
                fragmented_mb = Math.Round(gc.FragmentedBytes / 1048576.0, 1),
                gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2),
                allocated_mb = Math.Round(GC.GetTotalAllocatedBytes(precise: true) / 1048576.0, 1), // since start, every thread
                gc_pause_total_ms = Math.Round(GC.GetTotalPauseDuration().TotalMilliseconds, 1), // every collection's pause since start
                server_gc = System.Runtime.GCSettings.IsServerGC,
                relay_batches = pumps, relay_batch_mean_ms = pumpMeanMs, relay_batch_max_ms = pumpMaxMs,
            });
        }).AllowAnonymous();
        return app;
    }
}
