using System.Security.Claims;
using Dapper;
using Recognition.Web.Infrastructure.Auth;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Web.Features.Printing;

/// <summary>Who may print what: supervisors for the teams they lead, admins for any team, a person their own certificates.</summary>
public sealed class PrintAccess(Db db)
{
    public async Task<bool> CanPrintTeamAsync(ClaimsPrincipal user, long teamId)
    {
        if (user.IsAdmin()) return true;
        if (!user.IsSupervisor()) return false;
        return await db.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM team_leaders WHERE team_id = @teamId AND employee_id = @me", new { teamId, me = user.EmployeeId() })) > 0;
    }

    /// <summary>Teams the person may print for: all for admins, the ones they lead for supervisors.</summary>
    public async Task<IReadOnlyList<(long Id, string NameZh, string NameEn)>> TeamsAsync(ClaimsPrincipal user) =>
        (await db.ReadAsync(c => c.QueryAsync<(long, string, string)>(
            "SELECT id, name_zh, name_en FROM teams WHERE active = 1 AND (id IN " + Access.TeamsLedBy("@me") + " OR @admin = 1) ORDER BY id",
            new { me = user.EmployeeId(), admin = user.IsAdmin() ? 1 : 0 }))).ToList();
}
