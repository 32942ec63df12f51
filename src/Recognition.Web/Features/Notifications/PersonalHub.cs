using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Recognition.Web.Features.Notifications;

/// <summary>A toast for one person; <paramref name="Href"/> is where it leads (the person's page when null).</summary>
public sealed record ToastMessage(long RecognitionId, string Zh, string En, string? Href = null);

public interface IPersonalClient
{
    Task Toast(ToastMessage message);

    /// <summary>Something new may be on the feed of the site (only to pages that watch it): the page asks for what follows
    /// its top card through its own, scoped request. It carries nothing, so it tells nobody what was given to whom.</summary>
    Task FeedChanged();

    /// <summary>The reactions of these cards changed (only public and team ones, to pages that watch the site's feed): a page
    /// showing any of them asks for their bars through its own request, which shows only what the person may see.</summary>
    Task ReactionsChanged(long[] ids);
}

/// <summary>A signed-in person's own channel: a toast when they receive a recognition; the feed page also watches its site's feed.</summary>
[Authorize(Policy = Policies.Employee)]
public sealed class PersonalHub : Hub<IPersonalClient>
{
    public static string UserGroup(long employeeId) => $"user:{employeeId}";

    public static string FeedGroup(long siteId) => $"feed:{siteId}";

    /// <summary>The feed page watches its own site's feed (the site from the person's sign-in, never from the caller).</summary>
    public Task WatchFeed() => Groups.AddToGroupAsync(Context.ConnectionId, FeedGroup(Context.User!.SiteId()));

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(Context.User!.EmployeeId()));
        await base.OnConnectedAsync();
    }
}
