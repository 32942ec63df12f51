using System.Security.Claims;

namespace Recognition.Web.Domain;

/// <summary>Who may print what: supervisors for the teams they lead, admins for the teams of their site (organisation admins any), a person their own certificates.</summary>
public sealed class TeamAccess(Db db)
{
    public async Task<bool> CanPrintTeamAsync(ClaimsPrincipal user, long teamId)
    {
        if (!user.IsSupervisor()) return false;
        var site = await db.ReadAsync(c => c.ExecuteScalarAsync<long?>("SELECT site_id FROM teams WHERE id = @teamId", new { teamId }));
        if (site is { } s && user.AdministersSite(s)) return true;
        return await db.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM team_leaders WHERE team_id = @teamId AND employee_id = @me", new { teamId, me = user.EmployeeId() })) > 0;
    }

    /// <summary>Teams the person may print for: their site's for admins (every site's for organisation admins), the ones they lead for supervisors.</summary>
    public async Task<IReadOnlyList<(long Id, string NameZh, string NameEn)>> TeamsAsync(ClaimsPrincipal user) =>
        (await db.ReadAsync(c => c.QueryAsync<(long, string, string)>(
            "SELECT id, name_zh, name_en FROM teams WHERE active = 1 AND (id IN " + Access.TeamsLedBy("@me") + " OR (@admin = 1 AND (@org = 1 OR site_id = @site))) ORDER BY id",
            new { me = user.EmployeeId(), admin = user.IsAdmin() ? 1 : 0, org = user.IsOrgAdmin() ? 1 : 0, site = user.SiteId() }))).ToList();
}
