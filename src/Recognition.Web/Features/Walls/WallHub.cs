using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Recognition.Web.Features.Walls;

/// <summary>
/// One message per outbox event of the wall's site. <c>Prev</c> is the site's previous event, so a wall that sees Prev ≠ its
/// last Seq knows it missed something and catches up. A card or a celebration carries its HTML; a "reactions" message carries
/// only the counts (kind → number), which the page draws with its own template in its own language: at 50 reactions a second
/// a frame to each of 2,000 walls every 250 ms was ~5 KB of SVG markup, and reading it kept both cores busy. Empty fields
/// are left out of the frame (most messages of a busy batch are ticks).
/// </summary>
public sealed record WallMessage(long Seq, long Prev, string Kind, long Id, long?[] Teams,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Html,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, int>? Counts = null);

/// <summary>The side panel rendered by the server, current up to event <c>Seq</c> (a wall applies it if not older than what it has).</summary>
public sealed record BoardsMessage(long Seq, string Html);

public interface IWallClient
{
    /// <summary>One or more events of the site, in order (the relay sends what arrived together as one frame).</summary>
    Task Events(WallMessage[] messages);
    Task Boards(BoardsMessage message);
    Task Unpaired();

    /// <summary>The admin asked this device to reload its page (a new version, a stuck screen).</summary>
    Task Reload();
}

/// <summary>
/// Walls (and idle kiosks) only listen: the hub has no methods to call. Groups come from the connection's device identity
/// (not from anything the client sends), so a reconnect restores them and a display can join nothing else.
/// </summary>
[Authorize(Policy = Policies.Device)]
public sealed class WallHub(WallConnections open, DevicePresence presence) : Hub<IWallClient>
{
    public static string SiteGroup(long siteId, string culture) => $"site:{siteId}:{culture}";
    public static string DeviceGroup(long deviceId) => $"device:{deviceId}";

    /// <summary>
    /// A site group is also split into <see cref="Slices"/> parts by connection, and the relay hands a frame to one part at a
    /// time, letting other work in between (<see cref="EventRelay"/>): one send to 2,000 walls queued 2,000 socket writes on
    /// the thread pool at once, and a request that arrived meanwhile waited behind all of them (bench react: a reaction's
    /// p99 at the client 42 ms in one piece, 25 ms in 32).
    /// </summary>
    public const int Slices = 32;

    public static string SliceGroup(string siteGroup, int slice) => $"{siteGroup}#{slice}";

    public static int SliceOf(string connectionId) => (int)((uint)StringComparer.Ordinal.GetHashCode(connectionId) % Slices);

    /// <summary>Walls showing one panel: the site's, or one team's (team displays), in one language.</summary>
    public static string BoardsGroup(long siteId, long? teamId, string culture) => teamId is { } t ? $"boards:{siteId}:t{t}:{culture}" : $"boards:{siteId}:{culture}";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        var site = SiteGroup(user.SiteId(), Infrastructure.Localization.LocalizationSetup.Normalize(user.FindFirst(ClaimNames.Locale)?.Value));
        await Groups.AddToGroupAsync(Context.ConnectionId, site);
        await Groups.AddToGroupAsync(Context.ConnectionId, SliceGroup(site, SliceOf(Context.ConnectionId)));
        await Groups.AddToGroupAsync(Context.ConnectionId, DeviceGroup(user.DeviceId()));
        long? team = long.TryParse(user.FindFirst(DeviceClaims.Team)?.Value, out var t) ? t : null;
        if (user.IsInRole("Display"))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, BoardsGroup(user.SiteId(), team,
                Infrastructure.Localization.LocalizationSetup.Normalize(user.FindFirst(ClaimNames.Locale)?.Value)));
        }
        open.Add(user.DeviceId(), user.SiteId(), user.IsInRole("Display") ? team : null, site, Context);
        presence.Connected(user.DeviceId(), DeviceHello.From(Context.GetHttpContext()?.Request.Query));
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        open.Remove(Context.ConnectionId);
        presence.Disconnected(Context.User!.DeviceId());
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>
/// The wall and kiosk connections open on this instance, by device (so a revoked device's are closed, not only told) and
/// by panel (so the boards are rendered only for the team walls that are watching).
/// </summary>
public sealed class WallConnections
{
    private sealed record Open(long DeviceId, long SiteId, long? TeamId, string SiteGroup, HubCallerContext Context);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Open> _byConnection = new();

    public void Add(long deviceId, long siteId, long? teamId, string siteGroup, HubCallerContext context) =>
        _byConnection[context.ConnectionId] = new Open(deviceId, siteId, teamId, siteGroup, context);

    public void Remove(string connectionId) => _byConnection.TryRemove(connectionId, out _);

    public int Count(long deviceId) => _byConnection.Values.Count(o => o.DeviceId == deviceId);

    /// <summary>The walls and kiosks of one site group (a site in one language) connected here.</summary>
    public int InGroup(string siteGroup) => _byConnection.Values.Count(o => o.SiteGroup == siteGroup);

    /// <summary>The devices with a connection open here.</summary>
    public IReadOnlyList<long> Devices() => _byConnection.Values.Select(o => o.DeviceId).Distinct().ToList();

    /// <summary>The sites with a wall or kiosk connected here.</summary>
    public IReadOnlyList<long> Sites() => _byConnection.Values.Select(o => o.SiteId).Distinct().ToList();

    /// <summary>The team displays of a site connected here (their panel is the team's).</summary>
    public IReadOnlyList<long> Teams(long siteId) => _byConnection.Values.Where(o => o.SiteId == siteId && o.TeamId is not null).Select(o => o.TeamId!.Value).Distinct().ToList();

    /// <summary>Aborts every open connection of the device; returns how many.</summary>
    public int Close(long deviceId)
    {
        var mine = _byConnection.Values.Where(o => o.DeviceId == deviceId).ToList();
        foreach (var o in mine)
        {
            _byConnection.TryRemove(o.Context.ConnectionId, out _);
            o.Context.Abort();
        }
        return mine.Count;
    }
}
