using System.Security.Claims;

namespace Recognition.Web.Domain;

/// <summary>Who may print what: supervisors for the teams they lead, admins for the teams of their site (organisation admins any), a person their own certificates.</summary>
public sealed class TeamAccess(Db db)
{
    public async Task<bool> CanPrintTeamAsync(ClaimsPrincipal user, long teamId)
    {
        if (!user.IsSupervisor()) return false;
        return await db.ReadAsync(async c =>
            await c.ExecuteScalarAsync<long?>("SELECT site_id FROM teams WHERE id = @teamId", new { teamId }) is { } site
            && await Access.LeadsOrAdministersAsync(c, user, teamId, site));
    }

    /// <summary>Teams the person may print for: their site's for admins (every site's for organisation admins), the ones they lead for supervisors.</summary>
    public async Task<IReadOnlyList<(long Id, string NameZh, string NameEn)>> TeamsAsync(ClaimsPrincipal user) =>
        (await db.ReadAsync(c => c.QueryAsync<(long, string, string)>(
            "SELECT id, name_zh, name_en FROM teams WHERE active = 1 AND " + Access.LeadsOrAdministers("id", "site_id") + " ORDER BY id",
            Access.Parameters(user)))).ToList();
}
