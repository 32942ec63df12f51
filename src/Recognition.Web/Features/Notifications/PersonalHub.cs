using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Recognition.Web.Features.Notifications;

/// <summary>A toast for one person; <paramref name="Href"/> is where it leads (the person's page when null).</summary>
public sealed record ToastMessage(long RecognitionId, string Zh, string En, string? Href = null);

public interface IPersonalClient
{
    Task Toast(ToastMessage message);
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
