using System.Security.Claims;

namespace Recognition.Web.Features.Notifications;

/// <summary>The in-app unread count shown in the top bar (recognitions received, claim decisions).</summary>
public sealed class NotificationCounter(Db db)
{
    public async Task<int> UnreadAsync(ClaimsPrincipal user)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is null || !user.IsInRole(nameof(Roles.Employee))) return 0;
        await using var conn = await db.OpenAsync();
        return await conn.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM notifications WHERE employee_id = @id AND read_utc IS NULL", new { id = user.EmployeeId() });
    }

    public static Task MarkReadAsync(Db db, long employeeId, DateTime now) =>
        db.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE notifications SET read_utc = @now WHERE employee_id = @employeeId AND read_utc IS NULL", new { now, employeeId }, t));
}
