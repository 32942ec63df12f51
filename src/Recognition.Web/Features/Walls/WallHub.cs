using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Recognition.Web.Features.Devices;
using Recognition.Web.Infrastructure.Auth;

namespace Recognition.Web.Features.Walls;

/// <summary>One message per outbox event of the wall's site. <c>Prev</c> is the site's previous event, so a wall that sees Prev ≠ its last Seq knows it missed something and catches up.</summary>
public sealed record WallMessage(long Seq, long Prev, string Kind, long Id, long?[] Teams, string? Html);

public interface IWallClient
{
    Task Event(WallMessage message);
    Task Unpaired();
}

public sealed record ToastMessage(long RecognitionId, string Zh, string En);

public interface IPersonalClient
{
    Task Toast(ToastMessage message);
}

/// <summary>
/// Walls (and idle kiosks) only listen: the hub has no methods to call. Groups come from the connection's device identity
/// (not from anything the client sends), so a reconnect restores them and a display can join nothing else.
/// </summary>
[Authorize(Policy = Policies.Device)]
public sealed class WallHub(WallConnections open) : Hub<IWallClient>
{
    public static string SiteGroup(long siteId, string culture) => $"site:{siteId}:{culture}";
    public static string DeviceGroup(long deviceId) => $"device:{deviceId}";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        await Groups.AddToGroupAsync(Context.ConnectionId, SiteGroup(user.SiteId(), Infrastructure.Localization.LocalizationSetup.Normalize(user.FindFirst(ClaimNames.Locale)?.Value)));
        await Groups.AddToGroupAsync(Context.ConnectionId, DeviceGroup(user.DeviceId()));
        open.Add(user.DeviceId(), Context);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        open.Remove(Context.User!.DeviceId(), Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>The wall and kiosk connections open on this instance, by device, so a revoked device's are closed, not only told.</summary>
public sealed class WallConnections
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, System.Collections.Concurrent.ConcurrentDictionary<string, HubCallerContext>> _byDevice = new();

    public void Add(long deviceId, HubCallerContext context) => _byDevice.GetOrAdd(deviceId, _ => new())[context.ConnectionId] = context;

    public void Remove(long deviceId, string connectionId)
    {
        if (_byDevice.TryGetValue(deviceId, out var set)) set.TryRemove(connectionId, out _);
    }

    public int Count(long deviceId) => _byDevice.TryGetValue(deviceId, out var set) ? set.Count : 0;

    /// <summary>Aborts every open connection of the device; returns how many.</summary>
    public int Close(long deviceId)
    {
        if (!_byDevice.TryRemove(deviceId, out var set)) return 0;
        foreach (var c in set.Values) c.Abort();
        return set.Count;
    }
}

/// <summary>A signed-in person's own channel: a toast when they receive a recognition.</summary>
[Authorize(Policy = Policies.Employee)]
public sealed class PersonalHub : Hub<IPersonalClient>
{
    public static string UserGroup(long employeeId) => $"user:{employeeId}";

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(Context.User!.EmployeeId()));
        await base.OnConnectedAsync();
    }
}
