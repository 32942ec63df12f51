using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Recognition.Web.Features.Walls;

/// <summary>What a device reported when it connected: its page's app version and screen size (both bounded and checked).</summary>
public sealed record DeviceHello(string? Version, string? Screen)
{
    private static readonly Regex VersionShape = new(@"^[0-9A-Za-z.+\-]{1,40}$", RegexOptions.CultureInvariant);
    private static readonly Regex ScreenShape = new(@"^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$", RegexOptions.CultureInvariant);

    /// <summary>From the hub request's query (<c>v</c>, <c>screen</c>); anything of another shape is dropped, never stored.</summary>
    public static DeviceHello From(IQueryCollection? query)
    {
        string? v = query?["v"], screen = query?["screen"];
        return new(v is { Length: <= 40 } && VersionShape.IsMatch(v) ? v : null, screen is { Length: <= 11 } && ScreenShape.IsMatch(screen) ? screen : null);
    }
}

/// <summary>
/// Walls' and kiosks' status for the admin, across instances: a connection marks its device seen (with what it reported),
/// every instance refreshes "seen" for the devices connected to it every <c>Devices:HeartbeatSeconds</c> (30), and the last
/// connection of a device on an instance going away marks it offline. Writes are gathered and made once a second at most,
/// off the hub's path (a thousand walls reconnecting are a few writes, not a thousand); nothing is written while no device
/// is connected and nothing changed.
/// </summary>
public sealed class DevicePresence(Db db, WallConnections open, TimeProvider clock, IConfiguration config, ILogger<DevicePresence> log) : BackgroundService
{
    private readonly ConcurrentDictionary<long, DeviceHello> _seen = new();
    private readonly ConcurrentDictionary<long, bool> _gone = new();
    private readonly Infrastructure.Runtime.Wakeup _wake = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>A device counts as connected when seen within this long (three heartbeats).</summary>
    public static TimeSpan OnlineWindow(IConfiguration config) => TimeSpan.FromSeconds(3 * config.GetValue("Devices:HeartbeatSeconds", 30));

    public void Connected(long deviceId, DeviceHello hello)
    {
        _seen[deviceId] = hello;
        _wake.Set();
    }

    public void Disconnected(long deviceId)
    {
        _gone[deviceId] = true;
        _wake.Set();
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var beat = TimeSpan.FromSeconds(config.GetValue("Devices:HeartbeatSeconds", 30));
        var lastBeat = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), ct);
                try
                {
                    var heartbeat = System.Diagnostics.Stopwatch.GetElapsedTime(lastBeat) >= beat;
                    if (heartbeat) lastBeat = System.Diagnostics.Stopwatch.GetTimestamp();
                    await FlushAsync(heartbeat, ct);
                    await Task.Delay(TimeSpan.FromSeconds(1), ct); // at most one write a second
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    log.LogWarning(ex, "Device status not written; retrying");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>Writes what is pending (and, on a heartbeat, "seen" for every device connected here); tests call it directly.</summary>
    public async Task FlushAsync(bool heartbeat, CancellationToken ct = default)
    {
        await _flushing.WaitAsync(ct); // one gathering at a time: what it read is what lands, in order
        try
        {
            await FlushOnceAsync(heartbeat, ct);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task FlushOnceAsync(bool heartbeat, CancellationToken ct)
    {
        var seen = _seen.Keys.Select(id => (Id: id, Hello: _seen.TryRemove(id, out var h) ? h : null)).Where(x => x.Hello is not null).ToList();
        // A device that left and came back (or has another connection here) is not offline.
        var gone = _gone.Keys.Where(id => _gone.TryRemove(id, out _) && open.Count(id) == 0).ToList();
        var beating = heartbeat ? open.Devices().Except(seen.Select(s => s.Id)).ToArray() : [];
        if (seen.Count == 0 && gone.Count == 0 && beating.Length == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        await db.WriteAsync(async (c, t) =>
        {
            foreach (var (id, hello) in seen)
            {
                await c.ExecuteAsync("UPDATE devices SET last_seen_utc = @now, offline_utc = NULL, app_version = COALESCE(@v, app_version), screen = COALESCE(@s, screen) WHERE id = @id",
                    new { now, v = hello!.Version, s = hello.Screen, id }, t);
            }
            if (beating.Length > 0)
            {
                await c.ExecuteAsync("UPDATE devices SET last_seen_utc = @now WHERE id IN @beating", new { now, beating }, t);
            }
            // Last: a device that connected and left within one gathering (a reload, then the screen switched off) ends offline.
            foreach (var id in gone)
            {
                await c.ExecuteAsync("UPDATE devices SET offline_utc = @now WHERE id = @id", new { now, id }, t);
            }
        }, ct);
    }
}
